"""Where a site's language and framework switchers lead.

A switcher links only to a site that is there: a sibling site built next to
this one (`_build/html/<lang>/<site>/`), or the published sites of a
language with a deployment URL (`[languages.<code>] url`: `<url>/<site>/`
is what the build writes to `_build/html/<code>/<site>/`). A sibling that is
neither is left out of the switcher. A page the target site lacks leads to
that site's index.

- The language switcher: for each other language, its site of the same
  framework, else its tabbed (`all`) site, else its first framework's site.
  A language with a URL is linked there (its sites may live on another host),
  else to a sibling built here.
- The framework switcher: the other sites of the language built here, else
  (a language with a URL) its published ones.

The pages of a site built here are its HTML files; those of a published site
are the pages the build would give it (`site_pages`). What the switchers
link to is a conf.py setting (`switch_conf`) and part of the site's stamp:
building a sibling, or publishing a language, re-writes the pages of a site
built before it at its next build (no page is read again).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polybook.render.i18n import Words
from polybook.render.inputs import site_pages
from polybook.source.book import Book

ALL = "all"
ROOT_DOC = "index"


@dataclass(frozen=True, slots=True)
class Sibling:
    """A site a switcher may link to."""

    lang: str
    site: str
    base: str  # the site's root: an absolute URL, or relative to this site's root
    pages: frozenset[str]  # its docnames

    def line(self) -> str:
        """The sibling as one line of the site's stamp."""
        return f"sibling {self.lang} {self.site} {self.base} " + " ".join(sorted(self.pages))


def built_pages(out: Path) -> frozenset[str] | None:
    """Docnames of the site built in `out` (its HTML pages); None: no site there."""
    if not (out / f"{ROOT_DOC}.html").is_file():
        return None
    pages: set[str] = set()
    for path in out.rglob("*.html"):
        rel = path.relative_to(out)
        if not any(part.startswith("_") for part in rel.parts[:-1]):
            pages.add(rel.with_suffix("").as_posix())
    return frozenset(pages)


def _sites_of(book: Book, lang: str) -> list[str]:
    return [*book.config.frameworks_for(lang), ALL]


@dataclass(slots=True)
class _Finder:
    book: Book
    lang: str  # the language of the site the switchers are on
    published: dict[str, frozenset[str]]  # language -> pages of its published sites

    def published_pages(self, lang: str) -> frozenset[str]:
        if lang not in self.published:
            self.published[lang] = frozenset(p.docname for p in site_pages(self.book, lang))
        return self.published[lang]

    def local(self, lang: str, site: str) -> Sibling | None:
        pages = built_pages(self.book.layout.html(lang, site))
        if pages is None:
            return None
        base = f"../{site}/" if lang == self.lang else f"../../{lang}/{site}/"
        return Sibling(lang, site, base, pages)

    def remote(self, lang: str, site: str) -> Sibling | None:
        url = self.book.config.languages[lang].url
        if not url:
            return None
        return Sibling(lang, site, f"{url}/{site}/", self.published_pages(lang))

    def find(self, lang: str, site: str) -> Sibling | None:
        """The sibling (lang, site): built here or published, in the switcher's order."""
        if lang == self.lang:
            return self.local(lang, site) or self.remote(lang, site)
        return self.remote(lang, site) or self.local(lang, site)


def find_siblings(book: Book, lang: str, site: str) -> list[Sibling]:
    """The sites the switchers of `lang`/`site` link to, in the switchers' order:
    the other languages' (one each), then the language's other frameworks'."""
    finder = _Finder(book, lang, {})
    out: list[Sibling] = []
    for other in book.config.languages:
        if other == lang:
            continue
        preferred = [site, ALL, *book.config.frameworks_for(other)]
        for candidate in dict.fromkeys(s for s in preferred if s in _sites_of(book, other)):
            found = finder.find(other, candidate)
            if found is not None:
                out.append(found)
                break
    for other_site in _sites_of(book, lang):
        if other_site != site:
            found = finder.find(lang, other_site)
            if found is not None:
                out.append(found)
    return out


def _entry(key: str, name: str, sibling: Sibling | None, docnames: Sequence[str]) -> dict[str, Any]:
    if sibling is None:  # the site itself
        return {"key": key, "name": name, "base": "", "missing": [], "current": True}
    missing = sorted(doc for doc in docnames if doc not in sibling.pages)
    return {"key": key, "name": name, "base": sibling.base, "missing": missing, "current": False}


def switch_conf(
    book: Book,
    lang: str,
    site: str,
    words: Words,
    siblings: Iterable[Sibling],
    docnames: Sequence[str],
) -> dict[str, list[dict[str, Any]]]:
    """The switchers of a site (conf.py's `polybook_switch`): for each entry its
    key, name, root (`base`: "" for the site itself) and the site's pages it
    lacks (`missing`: they lead to its index)."""
    config = book.config
    by_lang = {s.lang: s for s in siblings if s.lang != lang}
    by_site = {s.site: s for s in siblings if s.lang == lang}
    languages = [
        _entry(code, conf.name, by_lang.get(code), docnames)
        for code, conf in config.languages.items()
        if code == lang or code in by_lang
    ]
    names = {fw: config.framework[fw].display_name for fw in config.frameworks_for(lang)}
    names[ALL] = words.all_frameworks
    sites = [
        _entry(key, name, by_site.get(key), docnames)
        for key, name in names.items()
        if key == site or key in by_site
    ]
    return {"languages": languages, "sites": sites}


def switch_href(entry: dict[str, Any], target: str, up: str) -> str:
    """The link of a switcher entry on a page: `target` (a docname) in the entry's
    site, or its index when the site lacks it; `up` climbs to this site's root."""
    page = ROOT_DOC if target in entry["missing"] else target
    base = str(entry["base"])
    if "://" in base:
        return f"{base}{page}.html"
    return f"{up}{base}{page}.html"
