"""What a save re-does, in this process (Sphinx is imported once):

1. the split of the site's languages (incremental: only the saved page is
   parsed and written again);
2. the saved page's diagnostics, printed at once (`check --changed` for it:
   its own checks against the book-wide labels);
3. the saved page's notebook for the previewed framework through `execute`
   (content-addressed cache: a prose edit keeps the code's key, so nothing
   runs; a code edit runs that page alone); `--no-execute` leaves it out;
4. the site through `build_html` (incremental: Sphinx re-reads that page and
   the pages whose references changed);
5. the version bump that reloads the browsers.

Any other file of the book (an image, the bibliography, the configuration)
skips 2 and 3.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from polybook.check.changed import changed_pages, check_changed
from polybook.diagnostics import Code, Diagnostic, Severity
from polybook.graph import site_languages, split_site
from polybook.source.book import Book, one_walk

# (lang, framework, pages) -> the execution's problems
Executor = Callable[[str, str, list[str]], list[Diagnostic]]


def execute_pages(book: Book, lang: str, framework: str, rels: list[str]) -> list[Diagnostic]:
    """Pages' notebooks for one framework through the execution cache."""
    from polybook.execute.errors import ExecuteError
    from polybook.execute.run import ExecuteOptions, execute_book

    if not book.config.execute.enabled:
        return []
    options = ExecuteOptions(lang=lang, frameworks=[framework], pages=rels, keep_going=True)
    try:
        summary = execute_book(book, options)
    except ExecuteError as exc:
        file = book.display(lang, rels[0]) if len(rels) == 1 else "(preview)"
        return [Diagnostic.make(Code.PREVIEW_FAILED, file, 1, f"execute: {exc}")]
    out: list[Diagnostic] = []
    for report in summary.failures:
        failure = report.failure
        if failure is not None:
            file = failure.file or report.file
            message = f"execute [{lang}/{framework}] {failure.kind.value}: {failure.message}"
            out.append(Diagnostic.make(Code.PREVIEW_FAILED, file, failure.line or 1, message))
    return out


@dataclass(slots=True)
class Round:
    """What one rebuild did."""

    pages: list[str] = field(default_factory=list)  # saved pages (book paths)
    executed: list[str] = field(default_factory=list)  # pages sent through execute
    diagnostics: list[Diagnostic] = field(default_factory=list)  # the saved pages'
    site: list[Diagnostic] = field(default_factory=list)  # the site build's warnings
    read: int = 0  # pages Sphinx re-read
    seconds: float = 0.0
    failed: bool = False


@dataclass(slots=True)
class Previewer:
    book: Book
    lang: str
    site: str  # a framework, or "all"
    mathjax: str | None = None
    execute: Executor | None = None
    print_line: Callable[[str], None] = print

    @property
    def frameworks(self) -> list[str]:
        ordered = self.book.config.frameworks_for(self.lang)
        return list(ordered) if self.site == "all" else [self.site]

    def roots(self) -> tuple[Path, ...]:
        """What the preview watches: the site's languages' pages, the book's
        images and bibliography, the configuration."""
        book = self.book
        found = [book.lang_root(lang) for lang in site_languages(book, self.lang)]
        found += [book.root / "img", book.root / book.config.bibliography, book.root / "_config"]
        found += [book.root / "config.ini"]
        return tuple(p for p in found if p.exists())

    def render(self) -> tuple[list[Diagnostic], int]:
        from polybook.render.build import build_html

        result = build_html(self.book, self.lang, self.site, mathjax=self.mathjax)
        shown = [d for d in result.diagnostics if d.severity is not Severity.INFO]
        return shown, result.read

    def rebuild(self, files: Iterable[Path]) -> Round:
        """Re-do what the changed `files` need; never raises (a failure is a diagnostic)."""
        start = time.perf_counter()
        done = Round()
        try:
            with one_walk():  # this round's page set: pages added since are seen
                self._rebuild(sorted(files), done)
        except Exception as exc:  # a preview keeps serving whatever went wrong
            last = traceback.extract_tb(exc.__traceback__)[-1:]
            where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
            message = f"rebuild failed: {type(exc).__name__}: {exc}{where}"
            done.diagnostics.append(Diagnostic.make(Code.PREVIEW_FAILED, "(preview)", 0, message))
            done.failed = True
        done.seconds = time.perf_counter() - start
        return done

    def _rebuild(self, files: list[Path], done: Round) -> None:
        book = self.book
        for report in split_site(book, self.lang):
            if report.result.diagnostics:
                done.diagnostics.extend(report.result.diagnostics)
        changed = changed_pages(book, [str(f) for f in files], cwd=book.root)
        wanted = set(site_languages(book, self.lang))
        for lang, rels in changed.pages.items():
            if lang not in wanted:
                continue
            done.pages += [book.display(lang, rel) for rel in rels]
        page_files = set(done.pages)
        found = check_changed(book, changed)
        done.diagnostics = [d for d in done.diagnostics if d.file in page_files]
        done.diagnostics += [d for d in found if d.file in page_files]
        for d in sorted(set(done.diagnostics), key=lambda d: (d.file, d.line)):
            self.print_line(d.format())
        if self.execute is not None:
            for lang, rels in changed.pages.items():
                if lang not in wanted:
                    continue
                for fw in self.frameworks:
                    problems = self.execute(lang, fw, rels)
                    done.executed += [f"{book.display(lang, rel)} ({fw})" for rel in rels]
                    for d in problems:
                        self.print_line(d.format())
                    done.diagnostics += problems
        done.site, done.read = self.render()
