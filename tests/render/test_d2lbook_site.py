"""The site of a d2lbook book (fixtures/d2lbookbook): its config.ini's page set,
bibliography, site settings, Colab links and resources, and what a change of
each re-renders."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from polybook.diagnostics import Code
from polybook.render.build import RenderResult
from polybook.source.book import Book
from tests.config.test_d2lbook_config import CONFIG_NOTES
from tests.conftest import FIXTURES
from tests.render.conftest import build, stand_in_mathjax, write_executed
from tests.render.htmlparse import Page

D2LBOOK = FIXTURES / "d2lbookbook"
COLAB = "https://colab.research.google.com/github/example/fixture-{}-colab/blob/master/{}.ipynb"


@dataclass
class Site:
    book: Book
    result: RenderResult
    mathjax: Path

    def page(self, docname: str) -> Page:
        return Page.load(self.result.out / f"{docname}.html")

    def html(self, docname: str) -> str:
        return (self.result.out / f"{docname}.html").read_text("utf-8")


def _copy(dest: Path) -> Book:
    shutil.copytree(D2LBOOK, dest)
    return Book.open(dest)


def _edit(book: Book, old: str, new: str) -> Book:
    path = book.root / "config.ini"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return Book.open(book.root)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    book = _copy(tmp_path_factory.mktemp("d2lbook") / "book")
    mathjax = stand_in_mathjax(tmp_path_factory.mktemp("mathjax"))
    return Site(book, build(book, "en", "pytorch", mathjax=mathjax), mathjax)


def test_the_page_set_is_the_configured_one(site: Site) -> None:
    out = site.result.out
    pages = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.parts[-2] != "_static"
    )
    assert pages == [
        "chapter_intro/basics.html",
        "chapter_intro/index.html",
        "chapter_intro/notes.html",
        "chapter_references/zreferences.html",
        "index.html",
        "search.html",
    ]


def test_resources_are_copied_into_the_site_and_are_not_pages(site: Site) -> None:
    out = site.result.out
    for rel in ("img/README.md", "img/dot.svg", "book.bib", "static/site.css"):
        assert (out / rel).read_bytes() == (site.book.root / rel).read_bytes()
    assert not (out / "img" / "README.html").exists()


def test_a_non_notebook_page_is_rendered_as_written(site: Site) -> None:
    page = site.page("chapter_intro/notes")
    assert 'raise SystemExit("a non-notebook page is never executed")' in page.visible_text(
        skip_code=False
    )
    assert "This page is a non-notebook: it is shown, never run." in page.visible_text()
    assert not (
        site.book.root / "_build" / "split" / "en" / "pytorch" / "chapter_intro" / "notes.ipynb"
    ).exists()


def test_citations_resolve_from_the_bibfile(site: Site) -> None:
    text = " ".join(site.page("chapter_intro/basics").visible_text().split())
    assert "goes back a long way (Cauchy, 1847), and Robbins and Monro (1951) made it" in text
    unresolved = [
        (d.file, d.line, d.target)
        for d in site.result.diagnostics
        if d.code == Code.RENDER_UNRESOLVED_CITATION.id
    ]
    assert unresolved == [("chapter_intro/basics.md", 6, "Nobody.2099")]


def test_site_settings(site: Site) -> None:
    html = site.html("chapter_intro/basics")
    assert '<link rel="icon" href="../_static/favicon.png"/>' in html
    assert '<img src="../_static/logo.png" class="logo__image only-light"' in html
    assert 'href="../_static/pb-site/static/site.css' in html
    assert "© Copyright 2024, the fixture authors." in html
    out = site.result.out
    assert (out / "_static" / "favicon.png").read_bytes() == (
        site.book.root / "static" / "favicon.png"
    ).read_bytes()
    links = [
        (a.attrs["href"], a.attrs["title"], a.find_all("i")[0].attrs["class"])
        for ul in site.page("chapter_intro/basics").root.find_all("ul", "navbar-icon-links")
        for a in ul.find_all("a")
    ]
    assert links == [
        ("https://github.com/example/fixture", "GitHub", "fab fa-github fa-lg"),
        ("https://example.org/fixture.zip", "Notebooks", "fas fa-download fa-lg"),
    ]


def test_colab_links_for_pages_with_notebooks(site: Site) -> None:
    def colab(docname: str) -> list[tuple[str, str]]:
        page = site.page(docname)
        return [(a.attrs["href"], a.text()) for a in page.root.find_all("a", "pb-colab-link")]

    assert colab("chapter_intro/basics") == [
        (COLAB.format("pytorch", "chapter_intro/basics"), "Colab [pytorch]")
    ]
    # index pages (d2lbook's default exclusions) and non-notebooks have none
    for docname in ("index", "chapter_intro/index", "chapter_intro/notes"):
        assert colab(docname) == []
    assert colab("chapter_references/zreferences") == [
        (COLAB.format("pytorch", "chapter_references/zreferences"), "Colab [pytorch]")
    ]


def test_the_all_site_links_every_framework(site: Site, tmp_path: Path) -> None:
    book = _copy(tmp_path / "book")
    result = build(book, "en", "all", mathjax=site.mathjax)
    page = Page.load(result.out / "chapter_intro" / "basics.html")
    assert [a.text() for a in page.root.find_all("a", "pb-colab-link")] == [
        "Colab [pytorch]",
        "Colab [mxnet]",
    ]


def test_fixing_the_bibfile_rereads_exactly_the_citing_pages(site: Site, tmp_path: Path) -> None:
    book = _edit(_copy(tmp_path / "book"), "bibfile = book.bib", "bibfile = books.bib")
    first = build(book, "en", "pytorch", mathjax=site.mathjax)
    missing = [d.format() for d in first.diagnostics if d.code == Code.RENDER_SETUP.id]
    assert "config.ini:34: warning PB207: bibliography books.bib not found (en, pytorch)" in missing
    lines = [d.line for d in first.diagnostics if d.code == Code.RENDER_UNRESOLVED_CITATION.id]
    assert lines == [4, 5, 6]

    book = _edit(book, "bibfile = books.bib", "bibfile = book.bib")
    fixed = build(book, "en", "pytorch", mathjax=site.mathjax)
    assert (fixed.rewritten, fixed.read) == ([], 2)  # basics and the reference page
    lines = [d.line for d in fixed.diagnostics if d.code == Code.RENDER_UNRESOLVED_CITATION.id]
    assert lines == [6]
    text = " ".join(Page.load(fixed.out / "chapter_intro" / "basics.html").visible_text().split())
    assert "(Cauchy, 1847)" in text


def test_a_changed_html_setting_rewrites_an_unrelated_key_does_nothing(
    site: Site, tmp_path: Path
) -> None:
    book = _copy(tmp_path / "book")
    build(book, "en", "pytorch", mathjax=site.mathjax)
    book = _edit(book, "fab fa-github", "fab fa-gitlab")
    changed = build(book, "en", "pytorch", mathjax=site.mathjax)
    assert (changed.rewritten, changed.read, changed.written) == ([], 0, 5)
    assert "fab fa-gitlab" in (changed.out / "index.html").read_text("utf-8")

    book = _edit(book, "UA-000000-1", "UA-000000-2")
    unrelated = build(book, "en", "pytorch", mathjax=site.mathjax)
    assert (unrelated.rewritten, unrelated.read, unrelated.written) == ([], 0, 0)


def test_config_diagnostics_come_once_with_the_site(site: Site) -> None:
    notes = [(d.line, d.code, d.target) for d in site.result.diagnostics if d.file == "config.ini"]
    assert sorted(notes) == CONFIG_NOTES


def test_eval_notebook_false_shows_no_outputs(site: Site, tmp_path: Path) -> None:
    book = _copy(tmp_path / "book")
    build(book, "en", "pytorch", mathjax=site.mathjax)
    write_executed(book, "en", "pytorch", "chapter_intro/basics.ipynb")
    with_outputs = build(book, "en", "pytorch", mathjax=site.mathjax)
    page = with_outputs.out / "chapter_intro" / "basics.html"
    assert "output of cell 1" in Page.load(page).visible_text(skip_code=False)

    book = _edit(book, "eval_notebook = True", "eval_notebook = False")
    without = build(book, "en", "pytorch", mathjax=site.mathjax)
    assert without.rewritten == ["chapter_intro/basics"]
    assert "output of cell 1" not in Page.load(page).visible_text(skip_code=False)


def test_a_changed_resource_reaches_a_site_whose_pages_are_reused(tmp_path: Path) -> None:
    book = _copy(tmp_path / "book")
    mathjax = stand_in_mathjax(tmp_path / "mathjax")
    first = build(book, "en", "pytorch", mathjax=mathjax)
    readme = book.root / "img" / "README.md"
    readme.write_text("Figures of the fixture book, edited.\n", "utf-8")
    again = build(Book.open(book.root), "en", "pytorch", mathjax=mathjax)
    assert again.reused
    assert (again.out / "img" / "README.md").read_bytes() == readme.read_bytes()
    assert first.out == again.out
