"""The book's `resources` (d2lbook's `[build] resources`: `img/ d2l/ d2l.bib`)
copied into a site at their path in the book.

A file is copied when it is new or its size or modification time differs
from the copy's record (`resources.json` in the site's work folder); copies
of files no longer listed are removed. A file the site already has that was
not copied from the resources (a page, Sphinx's `_static/`) is never
replaced: it is reported instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.files import copy_atomic, read_json_object, write_atomic
from polybook.render.site import book_files
from polybook.source.book import Book

RECORD = "resources.json"


def _read(path: Path) -> dict[str, list[int]]:
    data = read_json_object(path)
    return {k: [int(x) for x in v] for k, v in data.items() if isinstance(v, list)}


def copy_resources(book: Book, out: Path, work: Path) -> tuple[int, list[Diagnostic]]:
    """Bring the site's copies of the resources up to date: (files copied, problems)."""
    record_path = work / RECORD
    old = _read(record_path)
    new: dict[str, list[int]] = {}
    problems: list[Diagnostic] = []
    copied = 0
    for rel in book_files(book.root, book.config.resources):
        source = book.root / rel
        stat = source.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        target = out / rel
        if rel not in old and target.exists():
            message = f"resource {rel} is not copied: the site has its own {rel}"
            keys = ("build.resources", "book.resources")
            problems.append(book.source.at(keys, Code.CONFIG_VALUE, message))
            continue
        new[rel] = stamp
        if old.get(rel) == stamp and target.is_file():
            continue
        copy_atomic(source, target)
        copied += 1
    for rel in sorted(set(old) - set(new)):
        (out / rel).unlink(missing_ok=True)
    if new != old:
        write_atomic(record_path, json.dumps(new, sort_keys=True) + "\n")
    return copied, problems
