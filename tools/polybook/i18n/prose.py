"""Untranslated prose: the translation's paragraphs that are in the origin's
language (`langid` between the two languages), in runs of consecutive
paragraphs (a half-translated page: English resuming mid-page)."""

from __future__ import annotations

from dataclasses import dataclass

from polybook.diagnostics import Code, Diagnostic
from polybook.i18n.langid import STOP_WORDS, identify, prose_text
from polybook.source.elements import Paragraph
from polybook.source.model import Page, TextBlock, TextKind


@dataclass(frozen=True, slots=True)
class ProseCount:
    translated: int  # paragraphs identified as the translation's language
    untranslated: int  # paragraphs identified as the origin's
    undecided: int  # too short, or no function words
    findings: tuple[Diagnostic, ...] = ()


def paragraphs(page: Page) -> list[Paragraph]:
    found: list[Paragraph] = []
    for block in page.blocks:
        if isinstance(block, TextBlock) and block.kind is TextKind.PROSE:
            found.extend(e for e in block.elements if isinstance(e, Paragraph))
    return found


def can_identify(lang: str) -> bool:
    return lang in STOP_WORDS


def count_prose(page: Page, lang: str, origin_lang: str) -> ProseCount:
    """The page's paragraphs by language; runs in `origin_lang` as findings."""
    if not (can_identify(lang) and can_identify(origin_lang)):
        return ProseCount(0, 0, len(paragraphs(page)))
    counts = {lang: 0, origin_lang: 0}
    undecided = 0
    runs: list[list[Paragraph]] = []
    open_run = False
    for paragraph in paragraphs(page):
        guess = identify(prose_text(paragraph.inline), (origin_lang, lang))
        if guess.language is None:
            undecided += 1
            continue
        counts[guess.language] += 1
        if guess.language == origin_lang:
            if not open_run:
                runs.append([])
            runs[-1].append(paragraph)
            open_run = True
        else:
            open_run = False
    findings = []
    for run in runs:
        first, last = run[0].line, run[-1].inline.lines[-1]
        count = f"{len(run)} paragraph{'s' if len(run) > 1 else ''}"
        findings.append(
            Diagnostic.make(
                Code.I18N_UNTRANSLATED,
                page.file,
                first,
                f"{count} in {origin_lang}, not {lang} (lines {first}-{last})",
            )
        )
    return ProseCount(counts[lang], counts[origin_lang], undecided, tuple(findings))
