"""The pages of one site, generated from their sources and notebooks, with
the notices they carry and the problems found on the way (as diagnostics at
book positions); `build_html` in build.py writes them into the Sphinx tree."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.graph import site_languages
from polybook.render import document
from polybook.render.i18n import Words, language_name
from polybook.render.inputs import Inputs, PageSource, resolve_image
from polybook.render.model import ConvertOptions, Problem
from polybook.render.plain import plain_notebook
from polybook.render.stamp import Lookup
from polybook.source.book import Book
from polybook.source.model import Page
from polybook.split.gaps import CodeGap, code_gaps, fallback_order, may_have_gaps
from polybook.split.model import Notebook

ALL = "all"


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
            self.diagnostics.extend(self.in_site(d) for d in self.book.refused_pages(lang))

    def in_site(self, diagnostic: Diagnostic) -> Diagnostic:
        """`diagnostic` naming this site (a page's own are the same in every site)."""
        return replace(diagnostic, message=f"{diagnostic.message} ({self.lang}, {self.site})")

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
            fills = self._tab_fills(page, parsed, {nb.framework: nb for nb in notebooks})
            return document.tabbed_page(
                page.docname, notebooks, parsed, opts, notice, fills, ordered
            )
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
            notice = self._gap_notice(page, gap, gap.fallback, report=True)
            inserts.append(document.Insert(nb, gap.section.line, gap.section.end, notice))
        return inserts

    def _tab_fills(
        self, page: PageSource, parsed: Page, found: dict[str, Notebook]
    ) -> list[document.TabFill]:
        """The tabbed site: for each framework and each section (or the page)
        where it has no code and others have, its tab in every tab set there,
        filled with the fallback's cells under a notice (PB230, PB205; a tab
        set without the fallback's cells takes the next framework's)."""
        config = self.book.config
        ordered = config.frameworks_for(page.lang)
        preferred = config.render.fallback_framework
        notebooks: dict[str, Notebook | None] = dict(found)
        fills: list[document.TabFill] = []
        for fw in ordered:
            for gap in code_gaps(parsed, fw, notebooks, ordered, preferred):
                others = [gap.fallback, *fallback_order(fw, ordered, preferred)]
                fallbacks = tuple(
                    (other, self._gap_notice(page, gap, other, report=other == gap.fallback))
                    for other in dict.fromkeys(others)
                )
                fills.append(document.TabFill(fw, gap.section.line, gap.section.end, fallbacks))
        return fills

    def _gap_notice(
        self, page: PageSource, gap: CodeGap, shown: str, *, report: bool
    ) -> document.Notice:
        """The notice of a framework's gap where `shown`'s code stands in (with
        `report`: reported, PB205 for a page, PB230 for a section)."""
        config = self.book.config
        name = config.framework[gap.framework].display_name
        other = config.framework[shown].display_name
        if gap.whole_page:
            code, where = Code.RENDER_NO_FRAMEWORK_CODE, "page"
            text = self.words.fallback_page_text.format(framework=name, fallback=other)
        else:
            code, where = (
                Code.RENDER_FALLBACK_SECTION,
                f"section {gap.section.title or '(page start)'!r}",
            )
            text = self.words.fallback_section_text.format(framework=name, fallback=other)
        if report:
            message = f"{where} has no {name} code; showing {other}'s"
            self.report(page.file, [Problem(code, gap.section.line, message)])
        title = self.words.no_code_title.format(framework=name)
        return document.Notice(title, text, "pb-no-code pb-fallback")
