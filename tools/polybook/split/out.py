"""Where `split --out DIR` may write: a folder (or a path to create) that is
not the book root and not inside the book's sources, so that no notebook or
manifest ever lands among the pages, the configuration or the library (and
stale-notebook removal never touches a source file)."""

from __future__ import annotations

from pathlib import Path

from polybook.diagnostics import Code
from polybook.faults import Fault
from polybook.source.book import Book

CONFIG_DIR = "_config"


def source_folders(book: Book) -> tuple[Path, ...]:
    """The folders of the book that hold sources: pages, configuration, library."""
    root = book.root.resolve()
    names = (book.config.chapters_dir, CONFIG_DIR, book.config.library_dir)
    return tuple((root / name).resolve() for name in names)


def output_folder(book: Book, out: Path) -> Path:
    """`out` (relative to the current directory, as the user typed it) when
    split may write there; otherwise the `Fault` that says why."""
    resolved = out.resolve()
    if resolved.exists() and not resolved.is_dir():
        raise Fault(
            Code.NOT_A_FOLDER,
            f"split: cannot write notebooks into {out}: it is a file, not a folder "
            "(name a folder with --out)",
        )
    root = book.root.resolve()
    inside = [f for f in source_folders(book) if resolved == f or f in resolved.parents]
    if resolved == root or inside:
        where = f"inside {inside[0]}" if inside else "the book root"
        raise Fault(
            Code.OUTPUT_IN_SOURCES,
            f"split: refusing to write notebooks into {out}: it is {where}, among the "
            "book's sources; name a folder outside them with --out "
            "(the default is _build/split/<lang>)",
        )
    return out
