"""`one_walk`: within a run, each language's pages are found once; a new run
(or a preview round) sees pages added since."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.source import book as book_module
from polybook.source.book import Book, one_walk
from tests.conftest import FIXTURES


@pytest.fixture
def book(tmp_path: Path) -> Book:
    root = tmp_path / "book"
    (root / "_config").mkdir(parents=True)
    config = (FIXTURES / "seedbook" / "_config" / "book.toml").read_text("utf-8")
    (root / "_config" / "book.toml").write_text(config, "utf-8")
    (root / "chapters" / "en").mkdir(parents=True)
    (root / "chapters" / "en" / "a.md").write_text("# A\n", "utf-8")
    return Book.open(root)


def _walks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    walked: list[Path] = []
    real = Book._markdown_files

    def counting(self: Book, base: Path) -> list[str]:
        walked.append(base)
        return real(self, base)

    monkeypatch.setattr(book_module.Book, "_markdown_files", counting)
    return walked


def test_within_a_run_the_pages_are_found_once(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    walked = _walks(monkeypatch)
    added = book.root / "chapters" / "en" / "b.md"
    with one_walk():
        assert book.page_files("en") == ["a.md"]
        added.write_text("# B\n", "utf-8")
        assert book.page_files("en") == ["a.md"]  # the run's page set
        assert book.page_set("vi").pages == ()
        assert len(walked) == 1  # "vi" has no folder: nothing to walk
        with one_walk():  # a preview round: pages added since are seen
            assert book.page_files("en") == ["a.md", "b.md"]
        assert book.page_files("en") == ["a.md"]
        assert len(walked) == 2
    assert book.page_files("en") == ["a.md", "b.md"]  # outside a run: walked each time
    assert book.page_files("en") == ["a.md", "b.md"]
    assert len(walked) == 4
