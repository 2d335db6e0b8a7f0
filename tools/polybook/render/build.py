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
from functools import partial
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic, Severity
from polybook.graph import site_languages
from polybook.interrupt import checkpoint
from polybook.render import document
from polybook.render.extras import finish_site, prepare_site, site_conf
from polybook.render.i18n import Words, language_name, words_for
from polybook.render.inputs import Inputs, PageSource, resolve_image, site_pages
from polybook.render.mathjax import choose as choose_mathjax
from polybook.render.mathjax import is_url
from polybook.render.model import ConvertOptions, Problem
from polybook.render.plain import plain_notebook
from polybook.render.project import (
    SitePaths,
    SiteSpec,
    Tree,
    read_positions,
    write_positions,
    write_support,
)
from polybook.render.stamp import STAMP, Lookup, Stamp, site_digest
from polybook.render.switch import find_siblings, switch_conf
from polybook.render.warnings import Locator, WarningCache, parse, to_diagnostics
from polybook.source.bibliography import bib_escape, read_bibliography
from polybook.source.book import Book
from polybook.source.model import Page
from polybook.split.gaps import code_gaps, may_have_gaps
from polybook.split.model import Notebook

ALL = "all"
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


@dataclass(slots=True)
class SitePages:
    """Generated pages of a site, with their problems as diagnostics."""

    book: Book
    lang: str
    site: str
    words: Words
    inputs: Inputs
    images: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parsed: dict[tuple[str, str], Page] = field(default_factory=dict)
    lookups: list[Lookup] = field(default_factory=list)  # images the pages show
    # problems of other frameworks' notebooks, reported when their code is shown
    _problems: dict[str, list[Problem]] = field(default_factory=dict)

    def read(self, lang: str, rel: str) -> Page:
        """The parsed page (parsed once per build by the source stage)."""
        key = (lang, rel)
        if key not in self.parsed:
            self.parsed[key] = self.book.read(lang, rel)
        return self.parsed[key]

    def report(self, file: str, problems: tuple[Problem, ...] | list[Problem]) -> None:
        for p in problems:
            message = f"{p.message} ({self.lang}, {self.site})"
            self.diagnostics.append(Diagnostic.make(p.code, file, p.line, message, p.target))

    def refuse_pages(self) -> None:
        """Report the pages the site leaves out because they lead out of the book."""
        for lang in site_languages(self.book, self.lang):
            self.diagnostics.extend(_in_site(d, self) for d in self.book.refused_pages(lang))

    def options(self, page: PageSource) -> ConvertOptions:
        def resolve(path: str) -> str | None:
            self.lookups.append((page.lang, page.rel, path))
            found = resolve_image(self.book, page, path)
            if found is None:
                return None
            self.images[found[0]] = found[1]
            return found[0]

        return ConvertOptions(
            resolve_image=resolve,
            escape=partial(self.book.escape, page.lang, page.rel),
            image_escape=partial(self.book.image_escape, page.lang, page.rel),
        )

    def notice(
        self, page: PageSource, code_missing: str | None, fallback: str | None = None
    ) -> document.Notice | None:
        """The page's notices: taken from another language, no code for the
        site's framework (`fallback`: whose code is shown instead)."""
        code = self._code_notice(page, code_missing, fallback) if code_missing else None
        if not page.fallback:
            return code
        config = self.book.config
        self.report(
            page.file,
            [Problem(Code.RENDER_UNTRANSLATED, 1, f"page taken from {page.lang}")],
        )
        language = language_name(self.lang, self.lang, config.languages[self.lang].name)
        source = language_name(page.lang, self.lang, config.languages[page.lang].name)
        text = self.words.untranslated_text.format(language=language, source=source)
        return document.Notice(self.words.untranslated_title, text, "pb-untranslated", code)

    def _code_notice(
        self, page: PageSource, code_missing: str, fallback: str | None
    ) -> document.Notice:
        config = self.book.config
        name = config.framework[code_missing].display_name
        title = self.words.no_code_title.format(framework=name)
        if fallback is not None:  # another framework's code stands in
            shown = config.framework[fallback].display_name
            self.report(page.file, self._problems.pop(fallback, []))
            message = f"page has no {name} code; showing {shown}'s"
            self.report(page.file, [Problem(Code.RENDER_NO_FRAMEWORK_CODE, 1, message)])
            text = self.words.fallback_page_text.format(framework=name, fallback=shown)
            return document.Notice(title, text, "pb-no-code pb-fallback")
        self.report(
            page.file,
            [Problem(Code.RENDER_NO_FRAMEWORK_CODE, 1, f"page has no {name} notebook")],
        )
        text = self.words.no_code_text.format(framework=name)
        return document.Notice(title, text, "pb-no-code")

    def generate(self, page: PageSource) -> document.Generated | None:
        if page.plain:  # a non-notebook page: its text as written, no notebook
            parsed = self.read(page.lang, page.rel)
            plain = plain_notebook(parsed, self.site)
            notice = self.notice(page, None)
            return document.single_page(page.docname, plain, parsed, self.options(page), notice)
        ordered = self.book.config.frameworks_for(page.lang)
        wanted = list(ordered) if self.site == ALL else [self.site]
        notebooks: list[Notebook] = []
        for fw in wanted:
            nb, problems = self.inputs.load(page, fw)
            self.report(page.file, problems)
            if nb is not None:
                notebooks.append(nb)
        parsed = self.read(page.lang, page.rel)
        opts = self.options(page)
        if self.site == ALL and notebooks:
            notice = self.notice(page, None)
            return document.tabbed_page(page.docname, notebooks, parsed, opts, notice)
        if notebooks:
            notice = self.notice(page, None)
            if not may_have_gaps(parsed, notebooks[0]):
                return document.single_page(page.docname, notebooks[0], parsed, opts, notice)
            others = self._others(page, ordered, notebooks[0])
            inserts = self._inserts(page, parsed, others)
            return document.fallback_page(page.docname, notebooks[0], parsed, opts, inserts, notice)
        others = self._others(page, ordered, None)
        gaps = code_gaps(
            parsed, self.site, others, ordered, self.book.config.render.fallback_framework
        )
        if gaps:  # the whole page, in another framework
            fallback = others[gaps[0].fallback]
            assert fallback is not None
            notice = self.notice(page, self.site, gaps[0].fallback)
            return document.single_page(page.docname, fallback, parsed, opts, notice)
        for fw in ordered:  # the page's shared prose, from any framework's notebook
            other = others.get(fw)
            if other is not None:
                notice = self.notice(page, self.site)
                return document.prose_page(page.docname, other, parsed, opts, notice)
        self.report(page.file, [Problem(Code.RENDER_WARNING, 1, "page has no notebook; left out")])
        return None

    def _others(
        self, page: PageSource, ordered: tuple[str, ...], own: Notebook | None
    ) -> dict[str, Notebook | None]:
        """Every framework's notebook of the page (the site's: `own`)."""
        found: dict[str, Notebook | None] = {self.site: own}
        for fw in ordered:
            if fw != self.site:
                nb, problems = self.inputs.load(page, fw)
                found[fw] = nb
                self._problems[fw] = problems
        return found

    def _inserts(
        self, page: PageSource, parsed: Page, others: dict[str, Notebook | None]
    ) -> list[document.Insert]:
        """Another framework's code for each section without the site's, each
        under a notice (PB230)."""
        ordered = self.book.config.frameworks_for(page.lang)
        preferred = self.book.config.render.fallback_framework
        inserts: list[document.Insert] = []
        for gap in code_gaps(parsed, self.site, others, ordered, preferred):
            nb = others[gap.fallback]
            assert nb is not None
            self.report(page.file, self._problems.pop(gap.fallback, []))
            name, shown = self._names(gap.fallback)
            title = self.words.no_code_title.format(framework=name)
            text = self.words.fallback_section_text.format(framework=name, fallback=shown)
            section = gap.section.title or "(page start)"
            message = f"section {section!r} has no {name} code; showing {shown}'s"
            self.report(
                page.file, [Problem(Code.RENDER_FALLBACK_SECTION, gap.section.line, message)]
            )
            notice = document.Notice(title, text, "pb-no-code pb-fallback")
            inserts.append(document.Insert(nb, gap.section.line, gap.section.end, notice))
        return inserts

    def _names(self, fallback: str) -> tuple[str, str]:
        config = self.book.config
        return config.framework[self.site].display_name, config.framework[fallback].display_name


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
        pages.diagnostics.append(_in_site(refused, pages))
        return None
    if not source.path.is_file():
        message = f"bibliography {source.shown} not found ({pages.lang}, {pages.site})"
        pages.diagnostics.append(
            Diagnostic.make(Code.RENDER_SETUP, source.file, source.line, message)
        )
        return None
    text, problems = read_bibliography(book, source)
    pages.diagnostics.extend(_in_site(d, pages) for d in problems)
    return source.path if text is not None and not problems else None


def _in_site(diagnostic: Diagnostic, pages: SitePages) -> Diagnostic:
    return replace(diagnostic, message=f"{diagnostic.message} ({pages.lang}, {pages.site})")


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
