"""Which BibTeX file is the book's bibliography, and where that is said.

The configured file (`bibliography` in book.toml, `[pdf] bibfile` in a
d2lbook config.ini); when none is configured, the file a page's
`:bibliography:` role names, relative to that page (d2lbook's reference page
says `:bibliography:`../d2l.bib``). Check and render use the same answer.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.source.book import Book
from polybook.source.contain import path_escape, within
from polybook.source.elements import Bibliography
from polybook.source.model import Page, TextBlock

_KEYS = ("pdf.bibfile", "book.bibliography")


@dataclass(frozen=True, slots=True)
class BibSource:
    path: Path  # the file
    shown: str  # its path as written
    file: str  # where it is declared: the configuration file or a page
    line: int


def declared_bibliographies(page: Page) -> list[Bibliography]:
    """The `:bibliography:` roles of a page (prose parsed only where one is written)."""
    found: list[Bibliography] = []
    for block in page.blocks:
        if isinstance(block, TextBlock) and ":bibliography:" in block.text:
            found.extend(e for e in block.elements if isinstance(e, Bibliography))
    return found


def book_bibliography(book: Book, pages: Iterable[Page]) -> BibSource | None:
    """The book's bibliography (None: neither configured nor named by a page)."""
    configured = book.config.bibliography
    if configured:
        path = book.root / configured
        if any(key in book.source.lines for key in _KEYS):
            return BibSource(path, configured, book.source.file, book.source.line(*_KEYS))
        return BibSource(path, configured, Path(configured).as_posix(), 1)
    for page in sorted(pages, key=lambda p: p.path):
        for element in declared_bibliographies(page):
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), element.path))
            path = book.lang_root(page.lang) / rel
            return BibSource(path, element.path, page.file, element.line)
    return None


# Where an entry starts: `@type{` or `@type(` (comments and strings included).
_ENTRY_START = re.compile(r"@(?P<type>[A-Za-z]+)\s*[{(]\s*(?P<key>[^,\s]*)")


def bib_escape(book: Book, source: BibSource) -> Diagnostic | None:
    """The bibliography leads out of the book (PB148, where it is named): refused."""
    why = path_escape(book.root, source.path)
    if why is None:
        return None
    message = f"bibliography {source.shown} refused: {why}; it is not read or published"
    return Diagnostic.make(Code.BIB_OUTSIDE_BOOK, source.file, source.line, message)


def bib_display(book: Book, source: BibSource) -> str:
    """The bibliography's path as diagnostics show it (relative to the book root)."""
    path = Path(os.path.normpath(source.path))
    return path.relative_to(book.root).as_posix() if within(book.root, path) else str(path)


def read_bibliography(book: Book, source: BibSource) -> tuple[str | None, list[Diagnostic]]:
    """The bibliography's text (None: it cannot be read, PB155) and the
    first entry that BibTeX's parser (pybtex, as Sphinx reads it) rejects
    (PB154, at that entry's line of the file: Sphinx would stop on it)."""
    try:
        text = source.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        message = f"bibliography {source.shown} cannot be read ({reason})"
        return None, [Diagnostic.make(Code.BIB_UNREADABLE, source.file, source.line, message)]
    problem = _malformed(text)
    if problem is None:
        return text, []
    line, message = problem
    shown = bib_display(book, source)
    return text, [Diagnostic.make(Code.BIB_MALFORMED, shown, line, message)]


def _malformed(text: str) -> tuple[int, str] | None:
    """(line of the entry, message) of the first error pybtex reports, or None."""
    from pybtex.database import BibliographyDataError  # type: ignore[import-untyped]
    from pybtex.database.input.bibtex import Parser  # type: ignore[import-untyped]
    from pybtex.scanner import PybtexSyntaxError  # type: ignore[import-untyped]

    try:
        Parser().parse_string(text)
    except PybtexSyntaxError as exc:
        # where the parser stopped (an offset; else the start of its line)
        stop = getattr(getattr(exc, "parser", None), "pos", None)
        if not isinstance(stop, int):
            stop = _offset_of_line(text, exc.lineno or 1)
        start, key = _entry_before(text, stop)
        what = f"entry {key!r}" if key else "an entry"
        return start, f"{what} is malformed ({exc}); Sphinx cannot read the file"
    except BibliographyDataError as exc:
        key = str(exc).rpartition(": ")[2]
        found = [
            (text.count("\n", 0, m.start()) + 1)
            for m in _ENTRY_START.finditer(text)
            if m.group("key") == key
        ]
        line = found[1] if len(found) > 1 else 1
        return (
            line,
            f"{exc} (first at line {found[0] if found else 1}); Sphinx loses the entries after it",
        )
    return None


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return len(text)
    return offset


def _entry_before(text: str, stop: int) -> tuple[int, str]:
    """(line, key) of the entry the parser was reading when it stopped at
    offset `stop`: the last one starting before it (an error found on the next
    entry's `@` belongs to the unclosed entry before)."""
    start, key = -1, ""
    for match in _ENTRY_START.finditer(text):
        if match.start() >= stop and start >= 0:
            break
        start, key = match.start(), match.group("key")
    if start < 0:
        start = min(stop, len(text))
    return text.count("\n", 0, start) + 1, key
