"""Per-page checks of what a page points to: its images (missing, or outside
the book), the files its `eval_rst` directives read, and whether it says
anything at all."""

from __future__ import annotations

from functools import partial

from polybook.diagnostics import Code, Diagnostic
from polybook.source.book import Book
from polybook.source.contain import rst_escape, rst_paths
from polybook.source.model import Page, TextBlock, TextKind


def images(book: Book, lang: str, page: Page) -> list[Diagnostic]:
    """Images the page shows that lie outside the book (PB147) or are not
    files of the book (PB173)."""
    out: list[Diagnostic] = []
    for path, line in page.images:
        if "://" in path:
            continue
        why = book.image_escape(lang, page.path, path)
        if why is not None:
            message = f"image {path!r} refused: {why}; it is not published"
            out.append(Diagnostic.make(Code.IMAGE_OUTSIDE_BOOK, page.file, line, message, path))
        elif book.find_image(lang, page.path, path) is None:
            message = f"image {path!r} not found"
            out.append(Diagnostic.make(Code.MISSING_IMAGE, page.file, line, message, path))
    return out


def rst_files(book: Book, lang: str, page: Page) -> list[Diagnostic]:
    """Files (and URLs) that `eval_rst` directives read from outside the book (PB149)."""
    out: list[Diagnostic] = []
    for block in page.blocks:
        if not isinstance(block, TextBlock) or block.kind is not TextKind.EVAL_RST:
            continue
        if block.fence is None:
            continue
        for item in rst_paths(block.fence):
            why = rst_escape(item, partial(book.escape, lang, page.path))
            if why is not None:
                message = f"{item.shown()} refused: {why}; the eval_rst block is not published"
                out.append(
                    Diagnostic.make(
                        Code.RST_FILE_OUTSIDE_BOOK, page.file, item.line, message, item.value
                    )
                )
    return out


def empty(page: Page) -> list[Diagnostic]:
    """A page with nothing but whitespace (PB157): it would have no title."""
    if any(not isinstance(b, TextBlock) or b.text.strip() for b in page.blocks):
        return []
    message = "the page is empty (nothing but whitespace); it has no title or content"
    return [Diagnostic.make(Code.EMPTY_PAGE, page.file, 1, message)]
