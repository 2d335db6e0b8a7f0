"""The five real (damaged) seed pages render, with every problem at a book line."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.diagnostics import Code
from polybook.source.book import Book
from tests.render.conftest import build, stand_in_mathjax
from tests.render.htmlparse import Page
from tests.render.test_site import RAW_ROLES, pages

MAPPED = {
    Code.RENDER_UNRESOLVED_REFERENCE.id,
    Code.RENDER_UNRESOLVED_CITATION.id,
    Code.RENDER_MISSING_IMAGE.id,
}


@pytest.mark.parametrize(("lang", "site"), [("id", "all"), ("vi", "pytorch"), ("tr", "all")])
def test_seed_pages_render_cleanly(seed_book: Book, tmp_path: Path, lang: str, site: str) -> None:
    result = build(seed_book, lang, site, mathjax=stand_in_mathjax(tmp_path), jobs=1)
    html = pages(result.out)
    assert any(p.name == "lenet.html" for p in html)
    for path in html:
        text = Page.load(path).visible_text()
        assert not RAW_ROLES.search(text), f"{path.name}: {RAW_ROLES.search(text)}"
        assert "(**" not in text and "[**" not in text
    for d in result.diagnostics:
        if d.code in MAPPED:
            assert d.file.startswith(f"chapters/{lang}/") and d.line > 0, d.format()
            source = (seed_book.root / d.file).read_text("utf-8").split("\n")[d.line - 1]
            name = (d.target or "").split("/")[-1].replace("-", "_").lower()
            assert name in source.replace("-", "_").lower(), d.format()
