"""Sites per language: the switchers (never a missing page, checked on built
sites), the theme's words and the notice on built pages, and search in the
site's language in chromium.

The Sphinx builds and the browser are `slow`; the rest needs neither.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from polybook.config.load import ConfigError
from polybook.render.i18n import WORDS
from polybook.render.switch import find_siblings, switch_conf, switch_href
from polybook.source.book import Book
from tests.chromium import chromium
from tests.render.conftest import copy_minibook, stand_in_mathjax
from tests.render.htmlparse import Page
from tests.render.test_language_words import NOTICES

# --- the switchers, without Sphinx -------------------------------------------


def _site(book: Book, lang: str, site: str, pages: list[str]) -> None:
    out = book.layout.html(lang, site)
    for doc in pages:
        (out / f"{doc}.html").parent.mkdir(parents=True, exist_ok=True)
        (out / f"{doc}.html").write_text("<html></html>", "utf-8")


def _with_url(book: Book, lang: str, url: str) -> Book:
    path = book.root / "_config" / "book.toml"
    text = path.read_text("utf-8").replace(
        f"[languages.{lang}]\n", f'[languages.{lang}]\nurl = "{url}"\n'
    )
    path.write_text(text, "utf-8")
    return Book.open(book.root)


def test_a_lone_site_has_no_switcher_entry_but_itself(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    words = WORDS["en"]
    assert find_siblings(book, "en", "pytorch") == []
    conf = switch_conf(book, "en", "pytorch", words, [], ["index", "chap/first"])
    assert [e["key"] for e in conf["languages"]] == ["en"]
    assert [e["key"] for e in conf["sites"]] == ["pytorch"]


def test_siblings_built_here_and_pages_they_lack(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    _site(book, "id", "jax", ["index", "chap/first", "_static/x"])
    _site(book, "id", "all", ["index", "chap/first", "chap/second"])
    _site(book, "en", "mxnet", ["index"])
    _site(book, "en", "jax", ["chap/first"])  # no index.html: not a site
    siblings = find_siblings(book, "en", "pytorch")
    # id: no pytorch site, its tabbed site is preferred to another framework's
    assert [(s.lang, s.site, s.base) for s in siblings] == [
        ("id", "all", "../../id/all/"),
        ("en", "mxnet", "../mxnet/"),
    ]
    docs = ["index", "chap/first", "chap/second"]
    conf = switch_conf(book, "en", "pytorch", WORDS["en"], siblings, docs)
    languages = {e["key"]: e for e in conf["languages"]}
    assert languages["id"]["missing"] == []
    sites = {e["key"]: e for e in conf["sites"]}
    assert list(sites) == ["pytorch", "mxnet"]
    assert sites["mxnet"]["missing"] == ["chap/first", "chap/second"]
    # on chap/second.html: mxnet lacks it, its index instead
    assert switch_href(sites["mxnet"], "chap/second", "../") == "../../mxnet/index.html"
    assert switch_href(languages["id"], "chap/second", "../") == "../../../id/all/chap/second.html"
    assert switch_href(sites["pytorch"], "chap/second", "../") == "../chap/second.html"


def test_a_language_with_a_url_is_linked_there(tmp_path: Path) -> None:
    book = _with_url(copy_minibook(tmp_path / "book"), "id", "https://id.example.org/book/")
    assert book.config.languages["id"].url == "https://id.example.org/book"
    _site(book, "id", "pytorch", ["index"])  # built here too: the URL wins
    siblings = find_siblings(book, "en", "pytorch")
    assert [(s.lang, s.site, s.base) for s in siblings] == [
        ("id", "pytorch", "https://id.example.org/book/pytorch/")
    ]
    # the published pages: the Indonesian site's (its own, and English ones it takes)
    assert siblings[0].pages == {"index", "chap/index", "chap/first", "chap/second", "refs"}
    conf = switch_conf(book, "en", "pytorch", WORDS["en"], siblings, ["index", "chap/third"])
    entry = conf["languages"][1]
    assert entry["missing"] == ["chap/third"]
    assert (
        switch_href(entry, "chap/third", "../") == "https://id.example.org/book/pytorch/index.html"
    )
    # the Indonesian site's own frameworks, not built here: published there too
    id_siblings = find_siblings(book, "id", "pytorch")
    assert [(s.lang, s.site) for s in id_siblings] == [
        ("id", "mxnet"),
        ("id", "jax"),
        ("id", "all"),
    ]


def test_a_url_must_be_http(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    path = book.root / "_config" / "book.toml"
    text = path.read_text("utf-8").replace("[languages.id]\n", '[languages.id]\nurl = "id/"\n')
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=r"languages\.id\.url"):
        Book.open(book.root)


# --- built sites (slow) ------------------------------------------------------

VI_FIRST = """\
```{.python .input}
%load_ext d2lbook.tab
tab.interact_select(['pytorch', 'mxnet', 'jax'])
```

# Bước đầu tiên
:label:`sec_first`

Học sâu là một nhánh của học máy; do đó ta theo :citet:`Kingma.Ba.2014`.
Mạng được huấn luyện trên dữ liệu, xem :numref:`fig_arrow` và :eqref:`eq_loss`.

$$L = \\frac{1}{n}\\sum_i (y_i - \\hat{y}_i)^2.$$
:eqlabel:`eq_loss`

![Mũi tên.](../img/arrow.svg)
:label:`fig_arrow`

```{.python .input}
%%tab pytorch
import torch
x = torch.arange(3)
```
"""


@dataclass
class LangBook:
    book: Book
    mathjax: Path

    def out(self, lang: str, site: str) -> Path:
        return self.book.layout.html(lang, site)

    def build(self, lang: str, site: str) -> None:
        from tests.render.conftest import build

        build(self.book, lang, site, mathjax=self.mathjax)


def make_langbook(root: Path) -> LangBook:
    """The mini book with Vietnamese added, an English-only page (chap/third,
    which the Indonesian and Vietnamese tables of contents do not reach) and
    Indonesian and Vietnamese text to search."""
    book = copy_minibook(root / "langbook")
    base = book.root
    config = base / "_config" / "book.toml"
    config.write_text(
        config.read_text("utf-8") + '\n[languages.vi]\nname = "Tiếng Việt"\ntitle = "Sách nhỏ"\n',
        "utf-8",
    )
    en = base / "chapters" / "en"
    (en / "chap" / "third.md").write_text("# Third Steps\n\nOnly in English.\n", "utf-8")
    index = en / "chap" / "index.md"
    index.write_text(index.read_text("utf-8").replace("second\n", "second\nthird\n"), "utf-8")
    first = base / "chapters" / "id" / "chap" / "first.md"
    first.write_text(
        first.read_text("utf-8") + "\nDi bagian ini kita melatih sebuah model kecil.\n", "utf-8"
    )
    vi = base / "chapters" / "vi"
    (vi / "chap").mkdir(parents=True)
    (vi / "index.md").write_text(
        (base / "chapters" / "id" / "index.md")
        .read_text("utf-8")
        .replace("# Buku Mini", "# Sách nhỏ")
        .replace("Buku dengan dua halaman", "Một cuốn sách hai trang"),
        "utf-8",
    )
    (vi / "chap" / "index.md").write_text(
        "# Cơ bản\n:label:`chap_basics`\n\nChương này có hai mục, và đó là tất cả.\n\n"
        "```toc\n:maxdepth: 2\n\nfirst\nsecond\n```\n",
        "utf-8",
    )
    (vi / "chap" / "first.md").write_text(VI_FIRST, "utf-8")
    return LangBook(Book.open(base), stand_in_mathjax(root / "mathjax"))


@pytest.fixture(scope="module")
def langbook(tmp_path_factory: pytest.TempPathFactory) -> LangBook:
    return make_langbook(tmp_path_factory.mktemp("langsites"))


def broken_links(sites: list[Path], published: dict[str, Path]) -> list[str]:
    """Every link of every page of `sites` that leads nowhere: a relative link to
    no file, or a link into a published language (`url` -> its built folder)
    to no file there."""
    broken: list[str] = []
    for out in sites:
        for path in sorted(out.rglob("*.html")):
            if "_static" in path.parts:
                continue
            for link in Page.load(path).root.find_all("a"):
                href = link.attrs.get("href", "")
                target = href.split("#")[0].split("?")[0]
                if not target:
                    continue
                prefix = next((u for u in published if target.startswith(u)), None)
                if prefix is not None:
                    file = published[prefix] / target[len(prefix) :].lstrip("/")
                elif re.match(r"^[a-z]+:", target):
                    continue  # other sites of the web: not ours to check
                else:
                    file = (path.parent / target).resolve()
                if not file.is_file():
                    broken.append(f"{path.relative_to(out.parent.parent)}: {href}")
    return broken


def switch_links(page: Path) -> dict[str, str]:
    links = Page.load(page).root.find_all("a", "pb-switch")
    return {a.attrs.get("data-pb-lang") or a.attrs["data-pb-site"]: a.attrs["href"] for a in links}


@pytest.mark.slow
def test_a_single_framework_build_links_to_no_missing_page(langbook: LangBook) -> None:
    langbook.build("en", "pytorch")
    en = langbook.out("en", "pytorch")
    assert broken_links([en], {}) == []
    assert switch_links(en / "chap" / "first.html") == {}  # nothing to switch to

    langbook.build("id", "pytorch")
    langbook.build("en", "jax")
    langbook.build("en", "pytorch")  # again: now it has siblings
    ids = langbook.out("id", "pytorch")
    assert broken_links([en, ids, langbook.out("en", "jax")], {}) == []
    third = switch_links(en / "chap" / "third.html")
    assert third == {
        "en": "../chap/third.html",
        "id": "../../../id/pytorch/index.html",  # the Indonesian site has no chap/third
        "pytorch": "../chap/third.html",
        "jax": "../../jax/chap/third.html",
    }
    assert switch_links(en / "chap" / "first.html")["id"] == "../../../id/pytorch/chap/first.html"


@pytest.mark.slow
def test_published_languages_are_linked_at_their_url(langbook: LangBook) -> None:
    for lang, site in (("id", "pytorch"), ("vi", "pytorch")):
        langbook.build(lang, site)
    path = langbook.book.root / "_config" / "book.toml"
    text = path.read_text("utf-8")
    text = text.replace("[languages.vi]\n", '[languages.vi]\nurl = "https://vi.example.org"\n')
    path.write_text(text, "utf-8")
    langbook.book = Book.open(langbook.book.root)
    langbook.build("en", "pytorch")
    en = langbook.out("en", "pytorch")
    links = switch_links(en / "chap" / "third.html")
    assert links["vi"] == "https://vi.example.org/pytorch/index.html"
    assert links["id"] == "../../../id/pytorch/index.html"
    published = {"https://vi.example.org": langbook.book.layout.html("vi", "x").parent}
    assert broken_links([en], published) == []


THEME_WORDS = {
    "id": ("Kembali ke atas", "Mode warna", "Langsung ke konten utama", "© Hak cipta"),
    "vi": ("Về đầu trang", "Chế độ màu", "Chuyển đến nội dung chính", "© Bản quyền"),
}
ENGLISH_LEFT = ("Back to top", "Color mode", "Skip to main content", "Toggle primary sidebar")


@pytest.mark.slow
def test_pages_speak_the_sites_language(langbook: LangBook) -> None:
    for lang, words in THEME_WORDS.items():
        langbook.build(lang, "pytorch")
        out = langbook.out(lang, "pytorch")
        html = (out / "chap" / "first.html").read_text("utf-8")
        for word in words:
            assert word in html, (lang, word)
        for word in ENGLISH_LEFT:
            assert word not in html, (lang, word)
        assert f'placeholder="{WORDS[lang].search_placeholder}"' in html
        notice = Page.load(out / "chap" / "second.html").root.find_all("div", "pb-untranslated")
        text = " ".join(notice[0].text().split()).replace("\u2019", "'")
        assert text.endswith(NOTICES[lang]), text


def _search(page: Any, site: Path, query: str) -> set[str]:
    """The pages the site's search page lists for `query`, relative to the site."""
    from urllib.parse import quote

    page.goto((site / "search.html").as_uri() + "?q=" + quote(query))
    # the search is over when its summary is written (found or not)
    page.wait_for_function(
        "() => { const s = document.querySelector('p.search-summary');"
        " return s !== null && s.innerText.length > 0; }",
        timeout=30_000,
    )
    hrefs = page.eval_on_selector_all(
        "ul.search li > a", "links => links.map(a => a.getAttribute('href'))"
    )
    return {str(h).split("?")[0].split("#")[0] for h in hrefs}


@pytest.mark.slow
def test_search_finds_inflected_indonesian_and_vietnamese_syllables(langbook: LangBook) -> None:
    langbook.build("id", "pytorch")
    langbook.build("vi", "pytorch")
    ids, vi = langbook.out("id", "pytorch"), langbook.out("vi", "pytorch")
    assert (
        "window.Stemmer = IndonesianStemmer" in (ids / "_static" / "language_data.js").read_text()
    )
    assert "function splitQuery" in (vi / "_static" / "language_data.js").read_text()
    first = (ids / "chap" / "first.html").read_text("utf-8")
    assert "melatih" in first and "pelatihan" not in first
    with chromium() as browser:
        page = browser.new_page()
        # "pelatihan" (training) finds the page that says "melatih" (to train)
        assert _search(page, ids, "pelatihan") == {"chap/first.html"}
        assert _search(page, ids, "latihan") == {"chap/first.html"}
        # words of two syllables, as typed and with decomposed tone marks
        for word in ("học sâu", "huấn luyện", "học máy"):
            assert _search(page, vi, word) == {"chap/first.html"}, word
            decomposed = unicodedata.normalize("NFD", word)
            assert _search(page, vi, decomposed) == {"chap/first.html"}, decomposed
        # "do" is a syllable here, not an English stop word: chap/index has
        # "đó" without "do"
        assert _search(page, vi, "do đó") == {"chap/first.html"}
