"""The build graph: each stage runs once per build, on its predecessor's output.

    split (per language) ──► execute (per language and framework) ──► render (per site)

Stage functions run their own stage only: `execute_book` reads the split
notebooks as they are, `build_html` reads the split and executed notebooks as
they are. Whoever drives a build brings the inputs up to date first, once:
`make html` runs `polybook split` once per language the site reads, then
`polybook execute --no-split` and `polybook build html --no-split`
(tools/make/render.mk); run by hand, `polybook execute` and
`polybook build html` split first with `split_language`. Every split prints
the same one line (`SplitReport.line`), so a build's log shows each split.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from polybook.source.book import Book
from polybook.split.run import SplitResult, split_book
from polybook.split.select import ExistenceRule


@dataclass(frozen=True, slots=True)
class SplitReport:
    """One language's split: what it did, where, in how long."""

    lang: str
    out: Path
    result: SplitResult
    seconds: float

    def line(self) -> str:
        """E.g. `split: id: 13 pages, 3 written (12 notebooks), 10 unchanged, 0 removed
        in 0.05s -> DIR` (written: pages split again)."""
        r = self.result
        return (
            f"split: {self.lang}: {r.pages} pages, {r.pages - r.unchanged} written "
            f"({len(r.written)} notebooks), {r.unchanged} unchanged, {len(r.removed)} removed "
            f"in {self.seconds:.2f}s -> {self.out}"
        )


def split_dir(book: Book, lang: str) -> Path:
    """Where the split notebooks of `lang` are (`_build/split/<lang>`)."""
    return book.layout.split(lang)


def site_languages(book: Book, lang: str) -> tuple[str, ...]:
    """The languages whose split notebooks the site of `lang` reads: its own
    and, for a translation, the source language (the pages it lacks)."""
    source = book.config.source_language
    return (lang,) if lang == source else (lang, source)


def split_language(
    book: Book,
    lang: str,
    frameworks: Sequence[str] | None = None,
    *,
    out: Path | None = None,
    rule: ExistenceRule = ExistenceRule.NAMED,
    jobs: int | None = None,
) -> SplitReport:
    """Bring the split notebooks of `lang` up to date (incremental)."""
    start = time.perf_counter()
    target = out or split_dir(book, lang)
    result = split_book(book, lang, target, frameworks, rule, jobs=jobs)
    return SplitReport(lang, target, result, time.perf_counter() - start)


def split_site(book: Book, lang: str) -> list[SplitReport]:
    """Bring every split notebook the site of `lang` reads up to date. Every
    framework: the split manifest is per page, and splitting a subset would
    leave the other frameworks' notebooks of a changed page to a later split."""
    return [split_language(book, each) for each in site_languages(book, lang)]
