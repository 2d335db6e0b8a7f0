"""The book's sources: clean `check` in every language, four frameworks on every code page."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.check.run import check_book
from polybook.source.book import Book
from polybook.split.run import split_book
from tests.conftest import REPO

BOOK = Book.open(REPO)


@pytest.mark.parametrize("lang", ["en", "id", "vi", "tr"])
def test_check_is_clean(lang: str) -> None:
    assert [d.format() for d in check_book(BOOK, lang)] == []


def test_french_is_partial_and_only_reports_missing_translations() -> None:
    found = check_book(BOOK, "fr")
    assert {d.code for d in found} == {"PB180"}
    assert sorted(d.target or "" for d in found) == [
        "chapter_cnn/lenet.md",
        "chapter_linear-regression/linear-regression-concise.md",
        "chapter_linear-regression/linear-regression-scratch.md",
        "chapter_linear-regression/oo-design.md",
        "chapter_linear-regression/synthetic-data.md",
    ]


@pytest.mark.parametrize("lang", ["en", "id", "vi", "tr", "fr"])
def test_every_code_page_splits_for_all_four_frameworks(lang: str, tmp_path: Path) -> None:
    split_book(BOOK, lang, tmp_path)
    frameworks = sorted(BOOK.config.frameworks)
    for rel in BOOK.page_files(lang):
        page = BOOK.read(lang, rel)
        if not page.code_cells:
            continue
        have = sorted(
            fw for fw in frameworks if (tmp_path / fw / rel.replace(".md", ".ipynb")).is_file()
        )
        assert have == frameworks, f"{lang}/{rel}"


def test_vietnamese_and_turkish_use_the_legacy_syntax() -> None:
    for lang in ("vi", "tr"):
        assert BOOK.config.frameworks_for(lang)[0] == "mxnet"
        for rel in BOOK.page_files(lang):
            page = BOOK.read(lang, rel)
            assert page.interact_line is None
            assert all(
                c.marker is None or c.marker.syntax.value == "legacy" for c in page.code_cells
            )
