"""Nothing is written when `lib` fails, and the library mode comes from the book.

A saved cell that breaks the generated modules (PB192) or a method for a class
no earlier block saves (PB193) makes `polybook lib` exit 1 with every existing
file byte for byte as it was: no module that does not parse reaches the disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.diagnostics import Code
from polybook.library.model import LibraryError, Mode
from polybook.library.run import generate_library, write_library
from polybook.source.book import Book
from tests.conftest import REPO
from tests.library.util import D2LBOOK, SAVEBOOK, copy_book

PAGE = "chapters/en/chapter_advanced/redefine.md"

# A translator's slip: a line of a saved function's body indented too deep.
BROKEN_INDENT = (
    "```{.python .input}\n"  # 1
    "%%tab all\n"  # 2
    "def scaled(x):  #@save\n"  # 3
    '    """Twice x."""\n'  # 4
    "      return 2 * x\n"  # 5: unexpected indent
    "```\n"
)

UNKNOWN_CLASS = (
    "```{.python .input}\n"  # 1
    "%%tab all\n"  # 2
    "@d2l.add_to_class(Trainer)  #@save\n"  # 3: no class Trainer is saved
    "def fit(self):\n"  # 4
    "    return 0\n"  # 5
    "```\n"
)


def _checksums(root: Path) -> dict[str, str]:
    """sha256 of every file under d2l/ (names relative to the book)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "d2l").rglob("*"))
        if p.is_file()
    }


def _append(root: Path, snippet: str) -> int:
    """Append `snippet` to a page of the book; returns the page line before it."""
    page = root / PAGE
    text = page.read_text("utf-8").rstrip("\n") + "\n\n"
    page.write_text(text + snippet, encoding="utf-8")
    return text.count("\n")


@pytest.mark.parametrize(
    ("snippet", "code", "line", "flag"),
    [
        (BROKEN_INDENT, Code.SAVED_CODE_SYNTAX, 5, "--compat"),
        (BROKEN_INDENT, Code.SAVED_CODE_SYNTAX, 5, "--clean"),
        (UNKNOWN_CLASS, Code.LIBRARY_ADD_TO_CLASS, 3, "--compat"),
        (UNKNOWN_CLASS, Code.LIBRARY_ADD_TO_CLASS, 3, "--clean"),
    ],
)
def test_an_error_leaves_every_file_untouched(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    snippet: str,
    code: Code,
    line: int,
    flag: str,
) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    base = _append(root, snippet)
    before = _checksums(root)
    assert main(["--book", str(root), "lib", flag]) == 1
    captured = capsys.readouterr()
    assert f"{PAGE}:{base + line}: error {code.id}:" in captured.err
    assert captured.out.endswith("errors; nothing was written\n")
    assert _checksums(root) == before
    assert not [p for p in (root / "d2l").iterdir() if p.name.endswith(".tmp")]
    # --check says the sources are broken too
    assert main(["--book", str(root), "lib", flag, "--check"]) == 1
    assert _checksums(root) == before


def test_write_library_refuses_a_result_with_errors(tmp_path: Path) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    base = _append(root, BROKEN_INDENT)
    result = generate_library(Book.open(root))
    modules = [f for f in result.files if f.path.name != "__init__.py"]
    assert modules and all(f.changed for f in modules)  # there was something to write
    before = _checksums(root)
    with pytest.raises(LibraryError) as raised:
        write_library(result)
    assert str(raised.value) == (
        f"2 errors in the saved code (first: {PAGE}:{base + 5} PB192); nothing was written"
    )
    assert _checksums(root) == before


def _set_mode(root: Path, mode: str) -> None:
    toml = root / "_config" / "book.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text.replace("[book]\n", f'[book]\nlibrary_mode = "{mode}"\n', 1), "utf-8")


def test_the_mode_comes_from_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    _set_mode(root, "clean")
    assert Book.open(root).config.library_mode == "clean"
    assert main(["--book", str(root), "lib"]) == 0
    assert capsys.readouterr().out == "lib en (clean): 4 files written, 0 unchanged\n"
    torch = (root / "d2l" / "torch.py").read_text("utf-8")
    assert "#    polybook lib\n" in torch
    assert torch == generate_library(Book.open(root), None, Mode.CLEAN).modules["pytorch"]
    assert main(["--book", str(root), "lib", "--check"]) == 0
    assert main(["--book", str(root), "lib", "--clean", "--check"]) == 0
    # the flags override the configuration
    assert main(["--book", str(root), "lib", "--compat", "--check"]) == 1
    assert "lib en (compat): 3 of 4 files out of date" in capsys.readouterr().out


def test_compat_is_the_default_and_config_ini_books_get_it(tmp_path: Path) -> None:
    assert Book.open(SAVEBOOK).config.library_mode == "compat"
    book = Book.open(copy_book(D2LBOOK, tmp_path))
    assert book.config.legacy_layout and book.config.library_mode == "compat"
    assert main(["--book", str(book.root), "lib", "--check"]) == 0


def test_an_unknown_mode_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    _set_mode(root, "tidy")
    assert main(["--book", str(root), "lib"]) == 2
    err = capsys.readouterr().err
    assert "_config/book.toml: library_mode: Input should be 'compat' or 'clean'" in err


def test_mode_flags_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--book", str(tmp_path), "lib", "--clean", "--compat"])
    assert raised.value.code == 2


def test_this_repository_checks_with_no_flag() -> None:
    """`make lib-check` runs a bare `polybook lib --check`: the book sets its mode."""
    assert Book.open(REPO).config.library_mode == "clean"
    assert main(["--book", str(REPO), "lib", "--check"]) == 0
