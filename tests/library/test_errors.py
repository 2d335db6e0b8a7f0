"""Errors stop the stage before anything is written; writes are all-or-nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.library.model import LibraryError
from polybook.library.run import generate_library, write_library
from polybook.source.book import Book
from tests.library.util import SAVEBOOK, copy_book, snapshot


def test_missing_init_is_a_clear_error_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    (root / "d2l" / "__init__.py").unlink()
    before = snapshot(root / "d2l")
    with pytest.raises(LibraryError, match=r"d2l/__init__\.py is missing"):
        generate_library(Book.open(root))
    assert main(["--book", str(root), "lib"]) == 2
    assert "d2l/__init__.py is missing" in capsys.readouterr().err
    assert snapshot(root / "d2l") == before


def test_missing_version_file_is_a_clear_error(tmp_path: Path) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    toml = root / "_config" / "book.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace('release = "2.0.0"', 'release = "2.0.0"\nversion_file = "VERSION.py"')
    )
    before = snapshot(root / "d2l")
    with pytest.raises(LibraryError, match=r"version file VERSION\.py is missing"):
        generate_library(Book.open(root))
    assert main(["--book", str(root), "lib"]) == 2
    assert snapshot(root / "d2l") == before


def test_a_language_without_pages_writes_nothing(tmp_path: Path) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    (root / "chapters" / "en" / "index.md").unlink()
    before = snapshot(root / "d2l")
    with pytest.raises(LibraryError, match=r"chapters/en/index\.md is missing"):
        generate_library(Book.open(root))
    assert snapshot(root / "d2l") == before


def test_a_failed_write_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    result = generate_library(Book.open(root))
    before = snapshot(root / "d2l")
    # the temporary file of the second library cannot be created
    blocker = root / "d2l" / f".mxnet.py.{os.getpid()}.tmp"
    blocker.mkdir()
    with pytest.raises(OSError):
        write_library(result)
    blocker.rmdir()
    assert snapshot(root / "d2l") == before
    assert not [p for p in (root / "d2l").iterdir() if p.name.endswith(".tmp")]


def test_library_flag_off_for_legacy_tab_without_section(tmp_path: Path) -> None:
    """A config.ini tab with no [library-<tab>] section gets no library (d2lbook)."""
    root = copy_book(SAVEBOOK, tmp_path)
    (root / "_config" / "book.toml").unlink()
    (root / "config.ini").write_text(
        "[project]\nrelease = 3.0\n\n[build]\ntabs = pytorch, mxnet\n\n"
        "[library]\nversion_file = d2l/__init__.py\n\n"
        "[library-pytorch]\nlib_file = d2l/torch.py\nlib_name = torch\n"
        "simple_alias = ones, zeros\n    exp(\nfluent_alias = numpy -> detach().numpy,\n"
        "alias =\n    a = 1\n\n    b = 2\n",
        encoding="utf-8",
    )
    for page in (root / "chapters" / "en").rglob("*.md"):
        target = root / page.relative_to(root / "chapters" / "en")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.rename(target)
    book = Book.open(root)
    config = book.config.framework
    assert config["pytorch"].library and not config["mxnet"].library
    assert config["pytorch"].simple_alias == ("ones", "zeros", "exp(")
    assert config["pytorch"].alias == ("a = 1", "", "b = 2")
    result = generate_library(book)
    assert list(result.modules) == ["pytorch"]
    assert result.modules["pytorch"].endswith(
        "# Alias defined in config.ini\na = 1\n\nb = 2\n\nones = torch.ones\n"
        "zeros = torch.zeros\nexp = torch.exp\n"
        "numpy = lambda x, *args, **kwargs: x.detach().numpy(*args, **kwargs)\n\n"
    )
