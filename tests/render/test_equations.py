"""Display equations are numbered as d2lbook numbers them: all of them, labelled
or not (`[render] number_all_equations`, default true), or only labelled ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.render.conftest import build, copy_minibook, stand_in_mathjax
from tests.render.htmlparse import Element, Page

BEFORE = "$$a = b + c.$$\n\nThe loss is defined in :eqref:`eq_loss`."
# a display equation inside a paragraph (pandoc, hence d2lbook, numbers it too)
AFTER = "## Shapes\n\n$$\nd = e\n$$\n\nSo $$f = g$$ holds.\n"


def _numbers(page: Page) -> list[str]:
    """The number each display equation shows, in order ("" when it has none)."""
    out: list[str] = []
    for block in page.root.find_all("div", cls="math"):
        eqno = block.find_all("span", cls="eqno")
        text = [c for c in eqno[0].children if isinstance(c, str)] if eqno else []
        out.append("".join(text).strip())
    return out


def _eqref(page: Page) -> Element:
    anchors = page.root.find_all("a", cls="reference")
    links = [a for a in anchors if a.attrs.get("href") == "#equation-eq-loss"]
    assert len(links) == 1
    return links[0]


@pytest.mark.parametrize(
    ("setting", "numbers", "reference"),
    [
        (None, ["(1.1.1)", "(1.1.2)", "(1.1.3)", "(1.1.4)"], "Equation (1.1.2)"),
        ("true", ["(1.1.1)", "(1.1.2)", "(1.1.3)", "(1.1.4)"], "Equation (1.1.2)"),
        ("false", ["", "(1.1.1)", "", ""], "Equation (1.1.1)"),
    ],
)
def test_unlabelled_equations_are_numbered_unless_the_book_says_otherwise(
    tmp_path: Path, setting: str | None, numbers: list[str], reference: str
) -> None:
    book = copy_minibook(tmp_path / "book")
    page = book.root / "chapters" / "en" / "chap" / "first.md"
    text = page.read_text("utf-8")
    text = text.replace("The loss is defined in :eqref:`eq_loss`.", BEFORE)
    page.write_text(text.replace("## Shapes\n", AFTER), "utf-8")
    if setting is not None:
        config = book.root / "_config" / "book.toml"
        config.write_text(
            config.read_text("utf-8") + f"\n[render]\nnumber_all_equations = {setting}\n", "utf-8"
        )
        book = type(book).open(book.root)
    result = build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path / "mj"), jobs=1)
    html = Page.load(result.out / "chap" / "first.html")
    assert _numbers(html) == numbers
    labelled = html.by_id("equation-eq-loss")
    assert labelled is not None and "math" in labelled.classes
    assert _eqref(html).text().strip() == reference
    # an equation label a reference resolves is not reported
    assert not [d for d in result.diagnostics if d.target == "eq_loss"]
