"""Library files reproduced byte for byte: the d2lbook 1.0.3 golden, and the
savebook goldens of both modes.

The savebook's compat goldens were also checked against d2lbook 1.0.3 itself
(the same pages under an equivalent config.ini gave identical files); its
clean goldens were read line by line when they were generated.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.cli import main
from polybook.library.model import LibraryResult, Mode
from polybook.library.run import generate_library, stale_files, write_library
from polybook.source.book import Book
from tests.library.util import (
    BLANKLINE,
    D2LBOOK,
    EXPECTED,
    LIBRARY_FILES,
    REGENERATE,
    SAVEBOOK,
    copy_book,
    d2lbook_input,
)


def _build(root: Path, mode: Mode = Mode.COMPAT) -> LibraryResult:
    result = generate_library(Book.open(root), None, mode)
    write_library(result)
    return result


def test_d2lbook_golden_reproduced_byte_for_byte(tmp_path: Path) -> None:
    root = d2lbook_input(tmp_path)
    _build(root)
    for name in ("torch.py", "mxnet.py", "__init__.py"):
        produced = (root / "d2l" / name).read_bytes()
        assert produced == (D2LBOOK / "d2l" / name).read_bytes(), name


def test_d2lbook_golden_is_a_fixed_point(tmp_path: Path) -> None:
    """Regenerating from the generated files changes nothing (as with d2lbook)."""
    root = copy_book(D2LBOOK, tmp_path)
    result = generate_library(Book.open(root))
    assert stale_files(result) == []


def test_statement_saved_last_in_a_module_golden(tmp_path: Path) -> None:
    """The last saved code of each module is a statement under a standalone mark,
    followed in its cell by a blank line and unsaved code (d2lbook 1.0.3's bytes:
    two blank lines, then the alias section). A config.ini book is compat."""
    root = d2lbook_input(tmp_path, BLANKLINE)
    assert main(["--book", str(root), "lib"]) == 0
    for name in ("torch.py", "mxnet.py", "__init__.py"):
        assert (root / "d2l" / name).read_bytes() == (BLANKLINE / "d2l" / name).read_bytes(), name
    torch = (root / "d2l" / "torch.py").read_text("utf-8")
    assert "\nTALLY_LIMIT = 25\n\n\n# Alias defined in config.ini\nnn_Module" in torch
    assert main(["--book", str(root), "lib", "--check"]) == 0  # a fixed point


@pytest.mark.parametrize("mode", [Mode.COMPAT, Mode.CLEAN])
def test_savebook_golden(tmp_path: Path, mode: Mode) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    _build(root, mode)
    expected = EXPECTED / mode.value
    for name in LIBRARY_FILES:
        produced = (root / "d2l" / name).read_bytes()
        if REGENERATE:
            (expected / name).write_bytes(produced)
        assert produced == (expected / name).read_bytes(), f"{mode.value}/{name}"


@pytest.mark.parametrize("mode", [Mode.COMPAT, Mode.CLEAN])
def test_every_generated_module_compiles(tmp_path: Path, mode: Mode) -> None:
    for source in (SAVEBOOK, D2LBOOK):
        result = generate_library(Book.open(copy_book(source, tmp_path / mode.value)), None, mode)
        assert result.modules
        for file in result.files:
            compile(file.text, str(file.path), "exec")


def test_header_kept_file_without_banner_replaced_new_file_has_none(tmp_path: Path) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    before = (root / "d2l" / "torch.py").read_text(encoding="utf-8")
    header = before[: before.index("#################   WARNING")]
    _build(root)
    torch = (root / "d2l" / "torch.py").read_text(encoding="utf-8")
    assert torch.startswith(header + "#################   WARNING   ################\n")
    assert "stale" not in torch
    jax = (root / "d2l" / "jax.py").read_text(encoding="utf-8")
    assert jax.startswith("#################   WARNING") and "STALE" not in jax
    assert (root / "d2l" / "mxnet.py").read_text(encoding="utf-8").startswith("#####")
    assert '__version__ = "2.0.0"' in (root / "d2l" / "__init__.py").read_text(encoding="utf-8")


def _codes(result: LibraryResult) -> list[tuple[str, str, int]]:
    return sorted((d.code, d.file, d.line) for d in result.diagnostics)


def test_savebook_diagnostics() -> None:
    compat = generate_library(Book.open(SAVEBOOK))
    setup = "chapters/en/chapter_basics/setup.md"
    assert _codes(compat) == [
        ("PB190", setup, 94),  # standalone mark followed by a blank line
        ("PB194", "chapters/en/chapter_basics/training.md", 8),  # method defined twice
        ("PB195", "d2l/jax.py", 1),  # uses d2l. without binding it
        ("PB195", "d2l/mxnet.py", 1),
        ("PB196", "chapters/en/orphan.md", 1),  # saves code but no toc reaches it
    ]
    clean = generate_library(Book.open(SAVEBOOK), None, Mode.CLEAN)
    assert _codes(clean) == [("PB190", setup, 94), ("PB196", "chapters/en/orphan.md", 1)]


def test_only_toc_pages_in_book_order(tmp_path: Path) -> None:
    torch = (EXPECTED / "compat" / "torch.py").read_text(encoding="utf-8")
    order = ["class HyperParameters", "def cpu", "def sigmoid", "with a name"]
    positions = [torch.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "orphan" not in torch
