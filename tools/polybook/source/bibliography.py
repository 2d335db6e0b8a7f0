"""Which BibTeX file is the book's bibliography, and where that is said.

The configured file (`bibliography` in book.toml, `[pdf] bibfile` in a
d2lbook config.ini); when none is configured, the file a page's
`:bibliography:` role names, relative to that page (d2lbook's reference page
says `:bibliography:`../d2l.bib``). Check and render use the same answer.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from polybook.source.book import Book
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
