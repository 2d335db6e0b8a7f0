"""The tabbed (`all`) site where a framework has no code: in a section (or a
page) without JAX code, every tab set gets a JAX tab holding the localized
notice and the fallback framework's cells, so the reader who chose JAX sees
why another framework's code is shown; check-style information once per gap.

The mini book gets two pages (fixtures/gaps): `third` (every framework in
its first section; "No JAX Here" with PyTorch and MXNet code, and a tab set
of MXNet code only; "Back Together" with code for all) and `fourth`
(PyTorch and MXNet only). `first` has code for every framework everywhere,
`second` none for MXNet.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from polybook.render.build import SitePages
from polybook.render.i18n import words_for
from polybook.render.inputs import Inputs, site_pages
from polybook.source.book import Book
from tests.chromium import chromium
from tests.render.conftest import build, configured_and_split, copy_minibook, stand_in_mathjax
from tests.render.htmlparse import Element, Page

GAPS = Path(__file__).resolve().parent / "fixtures" / "gaps"
NO_JAX_HERE = 21  # the book line of "## No JAX Here" in third.md

GAP_NOTICE = (
    "::::::{container} pb-tab pb-fw-jax pb-g2 pb-fill\n"
    "```{admonition} No JAX code\n"
    ":class: warning pb-notice pb-no-code pb-fallback\n"
    "\n"
    "No JAX code for this section; showing PyTorch.\n"
    "```\n"
    "::::::"
)


def gap_book(root: Path, config: str = "") -> Book:
    book = copy_minibook(root / "minibook")
    chap = book.root / "chapters" / "en" / "chap"
    for name in ("third", "fourth"):
        shutil.copy(GAPS / f"{name}.md", chap / f"{name}.md")
    for lang in ("en", "id"):  # the Indonesian book takes them from English
        index = book.root / "chapters" / lang / "chap" / "index.md"
        text = index.read_text("utf-8").replace("second\n", "second\nthird\nfourth\n")
        index.write_text(text, "utf-8")
    return configured_and_split(book, config)


def generate(
    book: Book, lang: str = "en", words: str | None = None
) -> tuple[dict[str, list[tuple[list[str], str]]], SitePages]:
    """The `all` site's generated pages: each cell as (tags, source)."""
    pages = SitePages(book, lang, "all", words_for(words or lang), Inputs.of(book))
    out: dict[str, list[tuple[list[str], str]]] = {}
    for source in site_pages(book, lang, pages.read):
        generated = pages.generate(source)
        assert generated is not None
        cells: list[dict[str, Any]] = json.loads(generated.notebook)["cells"]
        out[source.rel] = [(c["metadata"].get("tags", []), c["source"]) for c in cells]
    return out, pages


def tags(framework: str, group: int, *extra: str) -> list[str]:
    return ["pb-tab", f"pb-fw-{framework}", f"pb-g{group}", *extra]


def test_a_section_without_jax_code_gets_a_jax_tab_with_the_notice(tmp_path: Path) -> None:
    pages, _ = generate(gap_book(tmp_path))
    third = pages["chap/third.md"]
    start = third.index(([], "## No JAX Here"))
    assert third[start:] == [
        ([], "## No JAX Here"),
        ([], "::::::{container} pb-tab pb-fw-pytorch pb-g2\nTorch words.\n::::::"),
        (tags("pytorch", 2), 'print("gap, pytorch")'),
        (tags("mxnet", 2), 'print("gap, mxnet")'),
        # JAX's tab: the notice, then PyTorch's prose and code (its labels stay with PyTorch)
        ([], GAP_NOTICE),
        ([], "::::::{container} pb-tab pb-fw-jax pb-g2\nTorch words.\n::::::"),
        (tags("jax", 2, "pb-fallback", "pb-fallback-pytorch"), 'print("gap, pytorch")'),
        ([], "Between."),
        # a tab set without PyTorch's cells: the next framework that has some
        (tags("mxnet", 3), 'print("gap, mxnet only")'),
        ([], GAP_NOTICE.replace("pb-g2", "pb-g3").replace("PyTorch.", "MXNet.")),
        (tags("jax", 3, "pb-fallback", "pb-fallback-mxnet"), 'print("gap, mxnet only")'),
        ([], "## Back Together"),
        (tags("pytorch", 4), 'print("together")'),
        (tags("mxnet", 4), 'print("together")'),
        (tags("jax", 4), 'print("together")'),
    ]
    # the first section has JAX code: its tab set is as before
    assert third[1:4] == [
        (tags("pytorch", 1), 'print("third, pytorch")'),
        (tags("mxnet", 1), 'print("third, mxnet")'),
        (tags("jax", 1), 'print("third, jax")'),
    ]


def test_a_page_without_jax_gets_a_jax_tab_in_every_tab_set(tmp_path: Path) -> None:
    pages, _ = generate(gap_book(tmp_path))
    assert pages["chap/fourth.md"] == [
        ([], "# Fourth Steps\n\nNo JAX on this page."),
        (tags("pytorch", 1), 'print("fourth, pytorch")'),
        (tags("mxnet", 1), 'print("fourth, mxnet")'),
        (
            [],
            GAP_NOTICE.replace("pb-g2", "pb-g1").replace(
                "No JAX code for this section; showing PyTorch.",
                "This page has no JAX code; showing PyTorch.",
            ),
        ),
        (tags("jax", 1, "pb-fallback", "pb-fallback-pytorch"), 'print("fourth, pytorch")'),
    ]
    # the second page has no MXNet code: an MXNet tab, between PyTorch's and JAX's
    second = pages["chap/second.md"]
    assert [t for t, _ in second[1:]] == [
        tags("pytorch", 1),
        [],
        tags("mxnet", 1, "pb-fallback", "pb-fallback-pytorch"),
        tags("jax", 1),
    ]
    assert "pb-fw-mxnet pb-g1 pb-fill" in second[2][1]
    assert "This page has no MXNet code; showing PyTorch." in second[2][1]


def test_a_page_with_code_for_every_framework_has_no_notice(tmp_path: Path) -> None:
    pages, _ = generate(gap_book(tmp_path))
    first = pages["chap/first.md"]
    assert not any("admonition" in source or "pb-fill" in source for _, source in first)
    assert [t for t, _ in first if t] == [
        tags("pytorch", 1),
        tags("mxnet", 1),
        tags("jax", 1),
        tags("pytorch", 2),
        tags("mxnet", 2),
        tags("jax", 2),
    ]


def test_each_gap_is_reported_once_per_page(tmp_path: Path) -> None:
    _, state = generate(gap_book(tmp_path))
    found = [
        (d.code, d.severity.value, d.file, d.line, d.message)
        for d in state.diagnostics
        if d.code in ("PB205", "PB230")
    ]
    assert found == [
        (
            "PB205",
            "info",
            "chapters/en/chap/second.md",
            1,
            "page has no MXNet code; showing PyTorch's (en, all)",
        ),
        (
            "PB230",
            "info",
            "chapters/en/chap/third.md",
            NO_JAX_HERE,
            "section 'No JAX Here' has no JAX code; showing PyTorch's (en, all)",
        ),
        (
            "PB205",
            "info",
            "chapters/en/chap/fourth.md",
            1,
            "page has no JAX code; showing PyTorch's (en, all)",
        ),
    ]


def test_the_configured_fallback_fills_the_tab(tmp_path: Path) -> None:
    book = gap_book(tmp_path, '\n[render]\nfallback_framework = "mxnet"\n')
    pages, state = generate(book)
    third = pages["chap/third.md"]
    start = third.index(([], "## No JAX Here"))
    assert third[start + 4 : start + 7] == [
        ([], GAP_NOTICE.replace("PyTorch.", "MXNet.")),
        (tags("jax", 2, "pb-fallback", "pb-fallback-mxnet"), 'print("gap, mxnet")'),
        ([], "Between."),
    ]
    messages = [d.message for d in state.diagnostics if d.code == "PB230"]
    assert messages == ["section 'No JAX Here' has no JAX code; showing MXNet's (en, all)"]


@pytest.mark.parametrize("lang", ["en", "id", "vi", "tr", "fr"])
def test_the_notice_is_in_the_sites_language(tmp_path: Path, lang: str) -> None:
    pages, _ = generate(gap_book(tmp_path), words=lang)
    words = words_for(lang)
    third = pages["chap/third.md"]
    notice = next(source for _, source in third if "pb-fill" in source)
    assert notice.split("\n")[1] == "```{admonition} " + words.no_code_title.format(framework="JAX")
    text = words.fallback_section_text.format(framework="JAX", fallback="PyTorch")
    assert notice.split("\n")[4] == text
    fourth = next(source for _, source in pages["chap/fourth.md"] if "pb-fill" in source)
    text = words.fallback_page_text.format(framework="JAX", fallback="PyTorch")
    assert fourth.split("\n")[4] == text


def test_an_untranslated_page_shows_the_notice_in_the_sites_language(tmp_path: Path) -> None:
    pages, _ = generate(gap_book(tmp_path), lang="id")
    fourth = pages["chap/fourth.md"]
    assert "Belum diterjemahkan" in fourth[0][1]  # taken from English
    notice = next(source for _, source in fourth if "pb-fill" in source)
    assert "```{admonition} Tidak ada kode JAX" in notice
    assert "Halaman ini tidak memiliki kode JAX; menampilkan PyTorch." in notice


# --- the built site (slow: Sphinx, then chromium) ----------------------------


@dataclass(frozen=True)
class GapSite:
    book: Book
    mathjax: Path
    out: Path


@pytest.fixture(scope="module")
def gap_site(tmp_path_factory: pytest.TempPathFactory) -> GapSite:
    root = tmp_path_factory.mktemp("gaps")
    book = gap_book(root)
    mathjax = stand_in_mathjax(root / "mathjax")
    return GapSite(book, mathjax, build(book, "en", "all", mathjax=mathjax).out)


def _tab_sets(path: Path) -> list[Element]:
    return Page.load(path).root.find_all("div", "pb-tabs")


def _tabs(tab_set: Element) -> list[tuple[str, bool, str]]:
    """(framework, filled, text) of each tab of a tab set."""
    labels = tab_set.find_all("label", "sd-tab-label")
    contents = [c for c in tab_set.find_all("div", "sd-tab-content") if c.parent is tab_set]
    return [
        (label.attrs["data-sync-id"], "pb-tab-fill" in label.classes, content.text().strip())
        for label, content in zip(labels, contents, strict=True)
    ]


@pytest.mark.slow
def test_the_site_shows_a_marked_tab_for_the_missing_framework(gap_site: GapSite) -> None:
    sets = _tab_sets(gap_site.out / "chap" / "third.html")
    assert [[(fw, filled) for fw, filled, _ in _tabs(s)] for s in sets] == [
        [("pytorch", False), ("mxnet", False), ("jax", False)],
        [("pytorch", False), ("mxnet", False), ("jax", True)],
        [("mxnet", False), ("jax", True)],
        [("pytorch", False), ("mxnet", False), ("jax", False)],
    ]
    jax = _tabs(sets[1])[2][2]
    assert jax.split("\n")[:2] == ["No JAX code", "No JAX code for this section; showing PyTorch."]
    assert 'print("gap, pytorch")' in jax and "Torch words." in jax
    notices = sets[1].find_all("div", "pb-fallback")
    assert len(notices) == 1 and "pb-notice" in notices[0].classes
    assert "showing MXNet." in _tabs(sets[2])[1][2]
    fourth = _tab_sets(gap_site.out / "chap" / "fourth.html")
    assert [(fw, filled) for fw, filled, _ in _tabs(fourth[0])] == [
        ("pytorch", False),
        ("mxnet", False),
        ("jax", True),
    ]
    first = Page.load(gap_site.out / "chap" / "first.html")
    assert not first.root.find_all("div", "pb-notice")
    assert not first.root.find_all("label", "pb-tab-fill")
    # deterministic: built again unchanged, nothing changed
    assert build(gap_site.book, "en", "all", mathjax=gap_site.mathjax).reused


# the theme's own log on a browser's first visit (no colour mode stored yet)
THEME = "Got invalid theme mode: . Resetting to auto."
CHECKED = """fw => Array.from(document.querySelectorAll(
    `label.sd-tab-label[data-sync-id="${fw}"]`)).map(l => document.getElementById(
    l.getAttribute('for')).checked)"""


@pytest.mark.slow
def test_the_reader_who_chose_jax_sees_the_notice_and_pytorch_code(
    gap_site: GapSite,
) -> None:
    third = gap_site.out / "chap" / "third.html"
    with chromium() as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on(
            "console",
            lambda m: errors.append(m.text) if m.type == "error" and m.text != THEME else None,
        )
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(third.as_uri())
        page.locator('label.sd-tab-label[data-sync-id="jax"]').first.click()
        assert page.evaluate(CHECKED, "jax") == [True, True, True, True]
        shown = page.locator(".sd-tab-content:visible")
        assert shown.count() == 4
        assert 'print("third, jax")' in shown.nth(0).inner_text()
        gap = shown.nth(1).inner_text()
        assert "No JAX code for this section; showing PyTorch." in gap
        assert 'print("gap, pytorch")' in gap
        assert page.locator(".sd-tab-content:visible div.pb-notice").first.is_visible()
        assert "showing MXNet." in shown.nth(2).inner_text()
        assert 'print("together")' in shown.nth(3).inner_text()
        # the keyboard: from PyTorch's tab of the gap's tab set, arrows to JAX's
        page.locator('label.sd-tab-label[data-sync-id="pytorch"]').first.click()
        assert page.evaluate(CHECKED, "pytorch") == [True, True, True]
        page.locator('input[name="sd-tab-set-1"]').first.focus()
        page.keyboard.press("ArrowRight")
        assert page.evaluate(CHECKED, "mxnet") == [True, True, True, True]
        page.keyboard.press("ArrowRight")
        assert page.evaluate(CHECKED, "jax") == [True, True, True, True]
        assert "showing PyTorch." in page.locator(".sd-tab-content:visible").nth(1).inner_text()
        # the choice holds on the next pages: a page without JAX, one with JAX everywhere
        page.goto((gap_site.out / "chap" / "fourth.html").as_uri())
        assert page.evaluate(CHECKED, "jax") == [True]
        tab = page.locator(".sd-tab-content:visible").first.inner_text()
        assert "This page has no JAX code; showing PyTorch." in tab
        assert 'print("fourth, pytorch")' in tab
        page.goto((gap_site.out / "chap" / "first.html").as_uri())
        assert page.evaluate(CHECKED, "jax") == [True, True]
        assert "jnp.arange" in page.locator(".sd-tab-content:visible").first.inner_text()
        assert page.locator("div.pb-notice:visible").count() == 0
        assert errors == []
