"""`polybook i18n status`: where each translation stands, page by page.

A page is *missing* (the site shows the origin's), *stale* (its code, labels
or structure differ from the origin's: measured, `code`, `structure`),
*partial* (paragraphs still in the origin's language: `prose`) or
*current*. The findings are diagnostics at the translated page's lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from polybook.diagnostics import Code, Diagnostic
from polybook.i18n.books import Translation
from polybook.i18n.code import CodeComparison
from polybook.i18n.prose import count_prose
from polybook.i18n.structure import PLURAL, Kind, Structure, dropped_labels, structure
from polybook.source.model import Page


class PageState(StrEnum):
    CURRENT = "current"
    PARTIAL = "partial"
    STALE = "stale"
    MISSING = "missing"


STALE_CODES = frozenset(
    c.id
    for c in (
        Code.I18N_STALE_CODE,
        Code.I18N_MISSING_CODE_CELL,
        Code.I18N_EXTRA_CODE_CELL,
        Code.I18N_MISSING_LABEL,
        Code.I18N_STRUCTURE,
    )
)


@dataclass(frozen=True, slots=True)
class PageStatus:
    page: str  # relative to the language root
    file: str  # the translated page (the origin's when missing)
    state: PageState
    findings: tuple[Diagnostic, ...]
    translated: int  # paragraphs in the translation's language
    untranslated: int  # paragraphs in the origin's


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    lang: str
    origin: str
    pages: tuple[PageStatus, ...]
    extra: tuple[Diagnostic, ...] = ()

    @property
    def current(self) -> int:
        return sum(1 for p in self.pages if p.state is PageState.CURRENT)

    @property
    def pages_percent(self) -> float:
        return 100.0 * self.current / len(self.pages) if self.pages else 100.0

    @property
    def paragraphs(self) -> tuple[int, int]:
        """(translated, all decided) paragraphs; a missing page's count as untranslated."""
        done = sum(p.translated for p in self.pages)
        return done, done + sum(p.untranslated for p in self.pages)

    @property
    def paragraphs_percent(self) -> float:
        done, total = self.paragraphs
        return 100.0 * done / total if total else 100.0

    @property
    def state(self) -> PageState:
        """current (every page), stale (a page is), else partial."""
        states = {p.state for p in self.pages}
        if states <= {PageState.CURRENT}:
            return PageState.CURRENT
        return PageState.STALE if PageState.STALE in states else PageState.PARTIAL

    def summary(self) -> str:
        done, total = self.paragraphs
        return (
            f"{self.lang}: {self.state.value}: {self.current} of {len(self.pages)} pages "
            f"current ({self.pages_percent:.0f}%), {done} of {total} paragraphs translated "
            f"({self.paragraphs_percent:.0f}%)"
        )


def _count(n: int, kind: Kind) -> str:
    return f"{n} {kind.value if n == 1 else PLURAL[kind]}"


def _structure_findings(
    target: Page, origin: Page, mine: Structure, theirs: Structure
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for kind in Kind:
        a, b = mine.of(kind), theirs.of(kind)
        if len(a) == len(b):
            continue
        common = min(len(a), len(b))
        line = a[common].line if len(a) > common else (a[-1].line if a else 1)
        where = (
            f"; the first without a counterpart: {origin.file}:{b[common].line}"
            if len(b) > common
            else ""
        )
        out.append(
            Diagnostic.make(
                Code.I18N_STRUCTURE,
                target.file,
                line,
                f"{_count(len(a), kind)} here, {_count(len(b), kind)} in {origin.file}{where}",
            )
        )
    for dropped in dropped_labels(theirs, mine):
        what = dropped.kind.value if dropped.kind is not None else "element"
        if dropped.counterpart is not None:
            line = dropped.counterpart.line
            place = f"the {what} it names is here"
        else:
            line = 1
            place = f"no {what} here corresponds to it"
        out.append(
            Diagnostic.make(
                Code.I18N_MISSING_LABEL,
                target.file,
                line,
                f"label {dropped.name!r} ({origin.file}:{dropped.origin_line}) is missing; {place}",
                target=dropped.name,
            )
        )
    return out


def page_status(translation: Translation, rel: str) -> PageStatus:
    origin = translation.origin.read(rel)
    lang, origin_lang = translation.target.lang, translation.origin.lang
    if not translation.target.has(rel):
        count = count_prose(origin, lang, origin_lang)
        message = f"not translated: the {lang} site shows the {origin_lang} page"
        finding = Diagnostic.make(Code.I18N_MISSING_PAGE, origin.file, 1, message)
        total = count.translated + count.untranslated
        return PageStatus(rel, origin.file, PageState.MISSING, (finding,), 0, total)
    target = translation.target.read(rel)
    findings = CodeComparison(
        target, origin, translation.target.frameworks, translation.origin.frameworks
    ).run()
    findings += _structure_findings(target, origin, structure(target), structure(origin))
    prose = count_prose(target, lang, origin_lang)
    findings += prose.findings
    codes = {d.code for d in findings}
    if codes & STALE_CODES:
        state = PageState.STALE
    elif Code.I18N_UNTRANSLATED.id in codes:
        state = PageState.PARTIAL
    else:
        state = PageState.CURRENT
    ordered = tuple(sorted(findings, key=lambda d: (d.line, d.code, d.message)))
    return PageStatus(rel, target.file, state, ordered, prose.translated, prose.untranslated)


def language_status(translation: Translation) -> LanguageStatus:
    pages = tuple(page_status(translation, rel) for rel, _ in translation.page_pairs())
    extra = tuple(
        Diagnostic.make(
            Code.I18N_EXTRA_PAGE,
            translation.target.display(rel),
            1,
            f"no {translation.origin.lang} page {rel}: nothing to compare with",
        )
        for rel in translation.extra_pages()
    )
    return LanguageStatus(translation.target.lang, translation.origin.lang, pages, extra)
