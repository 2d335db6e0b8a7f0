"""Acceptance tests on the HTML the render stage produces (parsed, not grepped)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from polybook.diagnostics import Code, Severity
from tests.conftest import require
from tests.render.conftest import Sites
from tests.render.htmlparse import Page, resolve

NUMBERED = {
    "en/pytorch": ("Figure", "Table", "Section"),
    "en/all": ("Figure", "Table", "Section"),
    "id/pytorch": ("Gambar", "Tabel", "Bagian"),
}
RAW_ROLES = re.compile(r":(numref|ref|eqref|label|eqlabel|cite|citet|width|bibliography):`")
CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com", "fonts.googleapis.com")


def pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "_static" not in p.parts)


@pytest.mark.parametrize("key", sorted(NUMBERED))
def test_numbered_references_point_at_anchors_with_localized_words(sites: Sites, key: str) -> None:
    words = NUMBERED[key]
    pattern = re.compile(rf"^({'|'.join(words)}) \d+(\.\d+)*$")
    seen = 0
    for path in pages(sites.out(key)):
        for link in Page.load(path).root.find_all("a"):
            spans = [s for s in link.find_all("span") if "std-numref" in s.classes]
            if not spans:
                continue
            seen += 1
            text = link.text().strip()
            assert pattern.match(text), f"{path.name}: numbered reference shows {text!r}"
            file, fragment = resolve(path, link.attrs["href"])
            assert file.is_file(), f"{path.name}: {link.attrs['href']} points at no page"
            assert fragment in Page.load(file).ids, f"{path.name}: no anchor #{fragment}"
    assert seen >= 5


def test_equation_references_and_captions_are_numbered(sites: Sites) -> None:
    page = Page.load(sites.out("en/pytorch") / "chap" / "first.html")
    eq = [a for a in page.root.find_all("a") if a.attrs.get("href") == "#equation-eq-loss"]
    assert eq and eq[0].text().strip() == "Equation (1.1.1)"
    figure = page.by_id("fig-arrow")
    assert figure is not None and figure.tag == "figure"
    assert "Figure 1.1.1" in figure.text()
    table = page.by_id("tab-sizes")
    assert table is not None and "Table 1.1.1" in table.text()
    section = Page.load(sites.out("en/pytorch") / "chap" / "second.html")
    heading = section.root.find_all("article")[0].find_all("h1")[0]
    assert " ".join(heading.text().split()).startswith("1.2. Second Steps")


def test_indonesian_site_uses_its_words(sites: Sites) -> None:
    page = Page.load(sites.out("id/pytorch") / "chap" / "first.html")
    text = " ".join(page.visible_text().split())
    assert "Gambar 1.1.1" in text
    assert "Persamaan (1.1.1)" in text
    assert "Kingma dan Ba (2015)" in text
    html = page.root.find_all("html")[0]
    assert html.attrs.get("lang") == "id"
    options = (sites.out("id/pytorch") / "_static" / "documentation_options.js").read_text()
    assert "LANGUAGE: 'id'" in options
    title = page.root.find_all("title")[0].text()
    assert "Buku Mini" in title
    # the search page and index are the Indonesian site's own
    assert (sites.out("id/pytorch") / "search.html").is_file()
    index = (sites.out("id/pytorch") / "searchindex.js").read_text("utf-8")
    assert "langkah" in index.lower() and "pertama" in index.lower()


def test_citations_link_into_the_bibliography(sites: Sites) -> None:
    out = sites.out("en/pytorch")
    checked = 0
    for path in pages(out):
        for cite in Page.load(path).root.find_all("span", "bibtex-citation"):
            for link in cite.find_all("a"):
                file, fragment = resolve(path, link.attrs["href"])
                assert file == (out / "refs.html").resolve()
                entry = Page.load(file).by_id(fragment)
                assert entry is not None and "citation" in entry.classes
                checked += 1
    assert checked >= 2
    first = Page.load(out / "chap" / "first.html").visible_text()
    assert "Kingma and Ba (2015)" in " ".join(first.split())


@pytest.mark.parametrize("key", sorted(NUMBERED))
def test_no_raw_role_syntax_remains(sites: Sites, key: str) -> None:
    for path in pages(sites.out(key)):
        text = Page.load(path).visible_text()
        assert not RAW_ROLES.search(text), f"{path}: {RAW_ROLES.search(text)}"
        assert "(**" not in text and "[**" not in text and "~~" not in text, path


def test_slide_marks_and_bare_words(sites: Sites) -> None:
    text = " ".join(
        Page.load(sites.out("en/pytorch") / "chap" / "first.html").visible_text().split()
    )
    assert "keep the slide text here" in text
    assert "only on slides" not in text
    assert "predicts <eos> at the end" in text


def test_outputs_of_executed_cells_are_shown(sites: Sites) -> None:
    out = sites.out("en/pytorch")
    page = Page.load(out / "chap" / "first.html")
    cells = page.root.find_all("div", "cell")
    assert cells
    outputs = [c for c in cells if c.find_all("div", "cell_output")]
    assert len(outputs) == len(cells)
    assert "output of cell 1" in outputs[0].text()
    images = [i for c in outputs for i in c.find_all("img")]
    assert images and all(resolve(page.path, i.attrs["src"])[0].is_file() for i in images)
    # a page without an executed notebook renders its code without outputs
    second = Page.load(out / "chap" / "second.html")
    assert not second.root.find_all("div", "cell_output")


def test_untranslated_page_is_taken_from_english_with_a_notice(sites: Sites) -> None:
    out = sites.out("id/pytorch")
    page = Page.load(out / "chap" / "second.html")
    notice = page.root.find_all("div", "pb-untranslated")
    assert notice and "Belum diterjemahkan" in notice[0].text()
    assert "Second Steps" in page.visible_text()
    diagnostics = sites.results["id/pytorch"].diagnostics
    infos = [d for d in diagnostics if d.code == Code.RENDER_UNTRANSLATED.id]
    assert [d.file for d in infos] == ["chapters/en/chap/second.md"]
    toc = Page.load(out / "chap" / "index.html").visible_text()
    assert "Langkah Pertama" in toc


def test_switchers_link_the_same_page_in_the_sites_built(sites: Sites) -> None:
    path = sites.out("en/pytorch") / "chap" / "first.html"
    page = Page.load(path)
    by_lang = {
        a.attrs["data-pb-lang"]: a for a in page.root.find_all("a") if "data-pb-lang" in a.attrs
    }
    assert set(by_lang) == {"en", "id"}
    assert (
        resolve(path, by_lang["id"].attrs["href"])[0]
        == (sites.out("id/pytorch") / "chap" / "first.html").resolve()
    )
    by_site = {
        a.attrs["data-pb-site"]: a for a in page.root.find_all("a") if "data-pb-site" in a.attrs
    }
    # mxnet and jax have no site here: not linked
    assert set(by_site) == {"pytorch", "all"}
    assert (
        resolve(path, by_site["all"].attrs["href"])[0]
        == (sites.out("en/all") / "chap" / "first.html").resolve()
    )
    # id/pytorch was built first, alone: no switcher at all
    first_built = Page.load(sites.out("id/pytorch") / "chap" / "first.html")
    assert not first_built.root.find_all("nav", "pb-switcher")


def test_tabbed_site_shows_framework_tabs(sites: Sites) -> None:
    out = sites.out("en/all")
    first = Page.load(out / "chap" / "first.html")
    sets = first.root.find_all("div", "pb-tabs")
    assert len(sets) == 2
    labels = [[lb.attrs["data-sync-id"] for lb in s.find_all("label")] for s in sets]
    assert labels == [["pytorch", "mxnet", "jax"], ["pytorch", "mxnet", "jax"]]
    for s in sets:
        assert all(lb.attrs.get("data-sync-group") == "framework" for lb in s.find_all("label"))
        for content in s.find_all("div", "sd-tab-content"):
            assert content.find_all("div"), "empty tab"
    contents = sets[0].find_all("div", "sd-tab-content")
    assert "tensors" in contents[0].text() and "tensors" not in contents[2].text()
    assert "arrays" in contents[2].text()
    # the heading, figure and table are shared: once, outside the tabs
    assert len(first.root.find_all("figure")) == 1
    assert not any(
        fig.ancestors() and "pb-tabs" in a.classes
        for fig in first.root.find_all("figure")
        for a in fig.ancestors()
    )
    # the second page has no MXNet code: its MXNet tab says so and shows PyTorch's
    second = Page.load(out / "chap" / "second.html")
    tab_labels = second.root.find_all("label", "sd-tab-label")
    assert [lb.attrs["data-sync-id"] for lb in tab_labels] == ["pytorch", "mxnet", "jax"]
    assert ["pb-tab-fill" in lb.classes for lb in tab_labels] == [False, True, False]
    mxnet = second.root.find_all("div", "sd-tab-content")[1].text()
    assert "This page has no MXNet code; showing PyTorch." in mxnet
    assert 'print("second, pytorch")' in mxnet
    # executed outputs appear in their framework's tab
    jax = [c for c in contents[2].find_all("div", "cell_output")]
    assert jax and "output of cell 1" in jax[0].text()


@pytest.mark.parametrize("key", sorted(NUMBERED))
def test_site_is_offline(sites: Sites, key: str, mathjax: Path | None) -> None:
    out = sites.out(key)
    for path in pages(out):
        for url in Page.load(path).resources():
            assert "://" not in url and not url.startswith("//"), f"{path.name} loads {url}"
    for path in out.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text("utf-8", errors="replace")
            for host in CDN_HOSTS:
                assert host not in text, f"{path.relative_to(out)} mentions {host}"
            if path.suffix == ".css":
                assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
    require(mathjax is not None, "MathJax not installed (make mathjax)")
    page = Page.load(out / "chap" / "first.html")
    scripts = [s.attrs.get("src", "") for s in page.root.find_all("script")]
    startup = [s for s in scripts if "mathjax/startup.js" in s]
    assert startup and resolve(page.path, startup[0].split("?")[0])[0].is_file()


def test_diagnostics_map_to_book_lines_once(sites: Sites) -> None:
    result = sites.results["en/pytorch"]
    problems = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    got = sorted((d.code, d.file, d.line, d.target) for d in problems)
    assert got == [
        (Code.RENDER_UNRESOLVED_REFERENCE.id, "chapters/en/chap/second.md", 5, "fig_missing"),
        (Code.RENDER_UNRESOLVED_CITATION.id, "chapters/en/chap/second.md", 6, "Nobody.2000"),
        (Code.RENDER_MISSING_IMAGE.id, "chapters/en/chap/second.md", 8, "../img/missing.svg"),
    ]
    assert all(d.message.endswith("(en, pytorch)") for d in problems)
    tabbed = sites.results["en/all"].diagnostics
    assert len([d for d in tabbed if d.severity is not Severity.INFO]) == 3
