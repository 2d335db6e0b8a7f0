"""The render stage function: `build_html(book, lang, site)`.

pages and their split notebooks as they are (executed outputs when present;
whoever drives the build splits first, see `polybook.graph.split_site`) ->
generated notebooks (MyST) -> Sphinx source tree (changed files only) ->
Sphinx (incremental) -> diagnostics at book positions.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic, Severity
from polybook.interrupt import checkpoint
from polybook.render.extras import finish_site, prepare_site, site_conf
from polybook.render.i18n import Words, words_for
from polybook.render.inputs import Inputs, site_pages
from polybook.render.mathjax import choose as choose_mathjax
from polybook.render.mathjax import is_url
from polybook.render.project import (
    SitePaths,
    SiteSpec,
    Tree,
    read_positions,
    write_positions,
    write_support,
)
from polybook.render.site_pages import ALL, SitePages
from polybook.render.stamp import STAMP, Stamp, site_digest
from polybook.render.switch import find_siblings, switch_conf
from polybook.render.warnings import Locator, WarningCache, parse, to_diagnostics
from polybook.source.bibliography import bib_escape, read_bibliography
from polybook.source.book import Book

__all__ = [
    "ALL",
    "RenderResult",
    "SitePages",
    "build_html",
    "dedupe_diagnostics",
    "needs_bibliography",
    "site_bibliography",
]
_FEW_CHANGES = 16  # generated files changed: more, and Sphinx works in two processes
BIBLIOGRAPHY_PAGE = "bibliography.md"


@dataclass(slots=True)
class RenderResult:
    lang: str
    site: str
    out: Path
    pages: int = 0
    reused: bool = False  # nothing changed since the last build: neither generated nor run
    rewritten: list[str] = field(default_factory=list)  # generated pages whose text changed
    read: int = 0  # pages Sphinx re-read
    written: int = 0  # pages Sphinx re-wrote
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def index(self) -> Path:
        return self.out / "index.html"


def _spec(book: Book, lang: str, site: str, words: Words, paths: SitePaths) -> SiteSpec:
    config = book.config
    return SiteSpec(
        lang=lang,
        site=site,
        title=config.languages[lang].title,
        author=config.author,
        release=config.release,
        words=words,
        languages=tuple((code, conf.name) for code, conf in config.languages.items()),
        frameworks=tuple(
            (fw, config.framework[fw].display_name) for fw in config.frameworks_for(lang)
        ),
        outputs=str(paths.outputs.resolve()),
        html=site_conf(book, paths),
        number_all_equations=config.render.number_all_equations,
    )


def build_html(
    book: Book,
    lang: str,
    site: str,
    *,
    mathjax: Path | str | None = None,
    jobs: int | None = None,
    verbose: bool = False,
) -> RenderResult:
    """Build the HTML site of `lang` for one framework, or for all (tabbed) with site="all"."""
    from polybook.render.sphinx_run import run_sphinx, sphinx_recorded

    paths = SitePaths.of(book.layout, lang, site)
    result = RenderResult(lang, site, paths.out)
    clock = time.perf_counter()
    siblings = find_siblings(book, lang, site)
    digest = site_digest(book, lang, site, mathjax, [s.line() for s in siblings])
    stamp = Stamp.load(paths.work / STAMP)
    if stamp is not None and stamp.current(book, digest, paths.out):
        result.pages, result.reused, result.diagnostics = len(stamp.pages), True, stamp.diagnostics
        finish_site(book, paths)  # resources: copied again when changed (a stat compare)
        result.seconds["check"] = time.perf_counter() - clock
        return result
    (paths.work / STAMP).unlink(missing_ok=True)
    words = words_for(lang)
    pages = SitePages(book, lang, site, words, Inputs.of(book))
    tree = Tree(paths.src)
    positions: dict[str, tuple[str, tuple[int, ...]]] = {}
    refs: dict[str, set[str]] = {}
    texts: list[str] = []
    sources = site_pages(book, lang, pages.read)
    pages.refuse_pages()
    for page in sources:
        generated = pages.generate(page)
        if generated is None:
            continue
        pages.report(generated.file, generated.problems)
        if tree.write(f"{page.docname}.ipynb", generated.notebook):
            result.rewritten.append(page.docname)
        positions[page.docname] = (generated.file, generated.positions)
        refs[page.docname] = pages.read(page.lang, page.rel).references
        texts.append(generated.notebook)
    result.pages = len(positions)
    checkpoint("html-generated", f"{len(result.rewritten)} changed")
    prepare_site(book, lang, site, paths, tree, sources, pages.inputs)
    bibliography_page = needs_bibliography(texts)
    if bibliography_page:
        # citations but no :bibliography: anywhere: a reference list of their own
        tree.write(BIBLIOGRAPHY_PAGE, _bibliography_page(words))

    mathjax_of_site, problem = choose_mathjax(
        book, mathjax, pages.parsed.values(), f"{lang}, {site}"
    )
    if problem is not None:
        pages.diagnostics.append(problem)
        if problem.severity is Severity.ERROR:  # math without MathJax: no site
            result.diagnostics = dedupe_diagnostics(pages.diagnostics)
            return result
    bib = site_bibliography(pages)
    docnames = [*positions, *([BIBLIOGRAPHY_PAGE[: -len(".md")]] if bibliography_page else [])]
    switch = switch_conf(book, lang, site, words, siblings, docnames)
    spec = replace(_spec(book, lang, site, words, paths), switch=switch)
    if mathjax_of_site is not None:
        spec = replace(spec, mathjax=mathjax_of_site.script)
    files = mathjax_of_site.files if mathjax_of_site is not None else None
    write_support(tree, spec, bib, files, pages.images)
    removed = tree.prune()
    write_positions(paths.positions, positions)
    result.seconds["generate"] = time.perf_counter() - clock

    clock = time.perf_counter()
    workers = jobs if jobs is not None else _workers(paths, tree)
    run = run_sphinx(paths, refs, jobs=workers, verbose=verbose)
    result.read, result.written = len(run.read), len(run.written)
    tree.unpublish(paths.out, removed)
    pages.diagnostics.extend(finish_site(book, paths))
    result.seconds["sphinx"] = time.perf_counter() - clock

    cache = WarningCache.load(paths.warnings)
    loose = cache.update(
        "read", run.read, parse(run.warnings.get("read", ""), paths.src), run.all_docs
    )
    loose += cache.update(
        "write", run.written, parse(run.warnings.get("write", ""), paths.src), run.all_docs
    )
    cache.save(paths.warnings)
    sphinx_recorded(paths)  # (a build stopped before this starts Sphinx afresh)
    locator = Locator(read_positions(paths.positions))
    result.diagnostics = dedupe_diagnostics(
        pages.diagnostics + to_diagnostics([*cache.all(), *loose], locator, lang, site)
    )
    # what the build copied in, and what it looked for and may find next time
    watched = {*tree.sources, book.layout.mathjax / "es5" / "startup.js"}
    if mathjax is not None and not is_url(str(mathjax)):
        watched.add(Path(mathjax) / "es5" / "startup.js")
    if bib is not None:
        watched.add(bib)
    elif book.config.bibliography:  # configured, missing: it may appear
        watched.add(book.root / book.config.bibliography)
    stamp = Stamp.of(book, digest, watched, pages.lookups, positions, result.diagnostics)
    checkpoint("html-stamp", f"{lang}/{site}")
    stamp.save(paths.work / STAMP)
    return result


def site_bibliography(pages: SitePages) -> Path | None:
    """The book's bibliography file (`source.bibliography`); None: none, or missing."""
    book = pages.book
    source = book.bibliography(pages.parsed.values())
    if source is None:
        return None
    refused = bib_escape(book, source)
    if refused is not None:  # never read, never copied into the site
        pages.diagnostics.append(pages.in_site(refused))
        return None
    if not source.path.is_file():
        message = f"bibliography {source.shown} not found ({pages.lang}, {pages.site})"
        pages.diagnostics.append(
            Diagnostic.make(Code.RENDER_SETUP, source.file, source.line, message)
        )
        return None
    text, problems = read_bibliography(book, source)
    pages.diagnostics.extend(pages.in_site(d) for d in problems)
    return source.path if text is not None and not problems else None


def _workers(paths: SitePaths, tree: Tree) -> int:
    """Sphinx's worker processes: two for a build that reads many pages; one for
    a build after a few edits (forking and polling workers costs a second)."""
    fresh = not (paths.doctrees / "environment.pickle").is_file()
    configured = paths.src / "conf.py" in tree.changed  # every page is read again
    if fresh or configured or len(tree.changed) > _FEW_CHANGES:
        return min(2, os.cpu_count() or 1)
    return 1


def needs_bibliography(notebooks: list[str]) -> bool:
    cites = any("{cite:" in text for text in notebooks)
    return cites and not any("{bibliography}" in text for text in notebooks)


def _bibliography_page(words: Words) -> str:
    return (
        "---\norphan: true\n---\n\n"
        f"# {words.references}\n\n```{{bibliography}}\n:filter: cited\n```\n"
    )


def dedupe_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One report per problem: conversion and Sphinx may both see a missing target."""
    seen: set[tuple[str, str, int, str]] = set()
    out: list[Diagnostic] = []
    for d in diagnostics:
        key = (d.code, d.file, d.line, d.target or d.message)
        if d.code == Code.RENDER_MISSING_IMAGE.id:  # Sphinx names the copied path
            key = (d.code, d.file, d.line, "")
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
