"""A page or section without code for the site's framework shows the fallback
framework's code under a localized notice; check reports it as information.

The mini book's second page has PyTorch and JAX code and no MXNet code; the
tests add a section with PyTorch code only to the first page (which has
MXNet code elsewhere)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from polybook.check.run import check_book
from polybook.render.build import SitePages
from polybook.render.i18n import words_for
from polybook.render.inputs import Inputs, site_pages
from polybook.source.book import Book
from polybook.split.gaps import code_gaps, sections
from tests.chromium import chromium
from tests.conftest import parse_text
from tests.render.conftest import build, configured_and_split, copy_minibook, stand_in_mathjax
from tests.render.htmlparse import Page

EXTRA = (
    "\n## Extra Section\n\nOnly PyTorch here.\n\n"
    "```{.python .input}\n%%tab pytorch\nprint('extra, pytorch')\n```\n"
)


def _book(tmp_path: Path, config: str = "") -> tuple[Book, int]:
    book = copy_minibook(tmp_path / "minibook")
    first = book.root / "chapters" / "en" / "chap" / "first.md"
    text = first.read_text("utf-8")
    first.write_text(text + EXTRA, "utf-8")
    heading = text.count("\n") + 2  # the line of "## Extra Section"
    return configured_and_split(book, config), heading


def _generated(book: Book, lang: str, site: str) -> tuple[dict[str, Any], SitePages]:
    pages = SitePages(book, lang, site, words_for(lang), Inputs.of(book))
    out = {}
    for source in site_pages(book, lang, pages.read):
        generated = pages.generate(source)
        assert generated is not None
        out[source.rel] = json.loads(generated.notebook)
    return out, pages


def _cells(nb: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["cell_type"], c["source"]) for c in nb["cells"]]


def test_sections_and_gaps_by_book_line() -> None:
    page = parse_text(
        "# T\n\nIntro.\n\n## A\n\n```{.python .input}\n%%tab pytorch, jax\nx = 1\n```\n\n"
        "## B\n\n```{.python .input}\n%%tab pytorch\ny = 2\n```\n"
    )
    assert [(s.line, s.end, s.title) for s in sections(page)] == [
        (1, 5, "T"),
        (5, 12, "A"),
        (12, 0, "B"),
    ]
    from polybook.split.page import split_page

    notebooks = dict(split_page(page, ("pytorch", "jax", "mxnet")).notebooks)
    [gap] = code_gaps(page, "jax", notebooks, ("pytorch", "jax", "mxnet"))
    assert (gap.fallback, gap.section.line, gap.whole_page) == ("pytorch", 12, False)
    [whole] = code_gaps(page, "mxnet", notebooks, ("pytorch", "jax", "mxnet"), "jax")
    assert (whole.fallback, whole.whole_page) == ("jax", True)
    assert code_gaps(page, "pytorch", notebooks, ("pytorch", "jax", "mxnet")) == []


def test_page_and_section_without_code_show_the_fallback(tmp_path: Path) -> None:
    book, heading = _book(tmp_path)
    pages, state = _generated(book, "en", "mxnet")
    second = _cells(pages["chap/second.md"])
    assert ("code", 'print("second, pytorch")') in second
    assert ("code", 'print("second, jax")') not in second
    notice = next(s for kind, s in second if "admonition" in s)
    assert "This page has no MXNet code; showing PyTorch." in notice
    assert ":class: warning pb-notice pb-no-code pb-fallback" in notice
    first = pages["chap/first.md"]["cells"]
    extra = next(i for i, c in enumerate(first) if c["source"] == "print('extra, pytorch')")
    assert first[extra]["metadata"]["tags"] == ["pb-fallback", "pb-fallback-pytorch"]
    assert "No MXNet code for this section; showing PyTorch." in first[extra - 1]["source"]
    assert "## Extra Section" in first[extra - 2]["source"]
    # the page's own MXNet code stays, without a notice
    assert sum("admonition" in c["source"] for c in first) == 1
    found = {(d.code, d.file, d.line, d.message) for d in state.diagnostics}
    assert (
        "PB205",
        "chapters/en/chap/second.md",
        1,
        "page has no MXNet code; showing PyTorch's (en, mxnet)",
    ) in found
    assert (
        "PB230",
        "chapters/en/chap/first.md",
        heading,
        "section 'Extra Section' has no MXNet code; showing PyTorch's (en, mxnet)",
    ) in found
    # the sites of frameworks with code everywhere: no notice
    pytorch, _ = _generated(book, "en", "pytorch")
    assert not any("admonition" in s for _, s in _cells(pytorch["chap/first.md"]))


def test_configured_fallback_and_localized_notice(tmp_path: Path) -> None:
    book, _ = _book(tmp_path, '\n[render]\nfallback_framework = "jax"\n')
    pages, _ = _generated(book, "en", "mxnet")
    second = _cells(pages["chap/second.md"])
    assert ("code", 'print("second, jax")') in second
    assert any("showing JAX." in s for _, s in second)
    # an untranslated page: both notices, in the site's language
    indonesian, _ = _generated(book, "id", "mxnet")
    text = _cells(indonesian["chap/second.md"])[0][1]
    assert text.index("Belum diterjemahkan") < text.index(
        "Halaman ini tidak memiliki kode MXNet; menampilkan JAX."
    )


def test_check_reports_the_gaps_as_information(tmp_path: Path) -> None:
    book, heading = _book(tmp_path)
    found = [
        (d.code, d.severity.value, d.file, d.line, d.message)
        for d in check_book(book, "en")
        if d.code in ("PB205", "PB230")
    ]
    assert found == [
        (
            "PB230",
            "info",
            "chapters/en/chap/first.md",
            heading,
            "section 'Extra Section' has no JAX code; the JAX site shows PyTorch's",
        ),
        (
            "PB230",
            "info",
            "chapters/en/chap/first.md",
            heading,
            "section 'Extra Section' has no MXNet code; the MXNet site shows PyTorch's",
        ),
        (
            "PB205",
            "info",
            "chapters/en/chap/second.md",
            1,
            "page has no MXNet code; the MXNet site shows PyTorch's",
        ),
    ]


@pytest.mark.slow
def test_browser_sees_the_missing_framework_notice(tmp_path: Path) -> None:
    book, _ = _book(tmp_path)
    result = build(book, "en", "mxnet", mathjax=stand_in_mathjax(tmp_path / "mathjax"))
    second = result.out / "chap" / "second.html"
    notice = Page.load(second).root.find_all("div", "pb-fallback")
    assert notice and "showing PyTorch" in notice[0].text()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(second.as_uri())
        box = page.locator("div.pb-fallback")
        box.wait_for(state="visible")
        assert "This page has no MXNet code; showing PyTorch." in box.inner_text()
        code = page.locator("div.cell").first
        assert code.is_visible() and 'print("second, pytorch")' in code.inner_text()
        page.goto((result.out / "chap" / "first.html").as_uri())
        section = page.locator("div.pb-fallback")
        section.wait_for(state="visible")
        assert "No MXNet code for this section; showing PyTorch." in section.inner_text()
        extra = page.locator("div.tag_pb-fallback")
        assert extra.is_visible() and "extra, pytorch" in extra.inner_text()


def test_pdf_project_shows_the_notice_and_the_fallback_code(tmp_path: Path) -> None:
    from polybook.render.pdf.build import pdf_paths
    from polybook.render.pdf.generate import generate
    from polybook.render.pdf.settings import pdf_settings

    book, _ = _book(tmp_path)
    paths = pdf_paths(book, "en", "mxnet")
    generate(book, "en", "mxnet", paths, pdf_settings(book, lambda: set()))
    second = json.loads((paths.src / "chap" / "second.ipynb").read_text("utf-8"))
    sources = [c["source"] for c in second["cells"]]
    assert 'print("second, pytorch")' in sources
    assert "This page has no MXNet code; showing PyTorch." in sources[0]
