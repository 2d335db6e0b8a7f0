"""The notebook `polybook edit` writes: a page's split notebook for one framework
(what the build executes, line maps included), outputs from the execution
cache when the cache holds this very code, and a stamp that `--save` checks.

The stamp, in the notebook's `metadata.polybook.edit`, is the sha256 of the
page the notebook was made from and the ids of its cells in order. Next to
the notebook, `<page>.versions.json` records each page version a `--save` wrote
and the version it came from, so a notebook saved again from Jupyter (whose
stamp is older than the page it already wrote back) is still recognised, and
a page changed in any other way is not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from polybook.files import read_json_object, write_atomic
from polybook.source.book import Book
from polybook.source.model import Page
from polybook.source.parser import parse_page
from polybook.split.model import Cell, Notebook
from polybook.split.page import book_aliases, kernelspec, split_page
from polybook.split.select import ExistenceRule

STAMP = "edit"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class PageRef:
    """A page of the book: its language and its path under the language root."""

    lang: str
    rel: str

    def path(self, book: Book) -> Path:
        return book.lang_root(self.lang) / self.rel

    def file(self, book: Book) -> str:
        return book.display(self.lang, self.rel)


def parse(book: Book, ref: PageRef, data: bytes) -> Page:
    known = book.config.frameworks_for(ref.lang)
    return parse_page(data, lang=ref.lang, path=ref.rel, file=ref.file(book), known=known)


def split_notebooks(book: Book, ref: PageRef, data: bytes) -> dict[str, Notebook]:
    """Every framework's notebook of the page with these bytes, as the build splits it."""
    ordered = tuple(book.config.frameworks_for(ref.lang))
    specs = {fw: kernelspec(book, fw) for fw in ordered}
    page = parse(book, ref, data)
    return split_page(page, ordered, ExistenceRule.NAMED, book_aliases(book), specs).notebooks


def with_cached_outputs(book: Book, ref: PageRef, notebook: Notebook) -> tuple[Notebook, str]:
    """The notebook with the outputs the execution cache holds for exactly this
    code in this framework's environment, and a sentence saying where they came from."""
    if not book.config.execute.enabled:
        return notebook, "no outputs: the book is not executed ([execute] enabled = false)"
    from polybook.execute.cache import Cache
    from polybook.execute.envs import resolve_env
    from polybook.execute.libdeps import load_index
    from polybook.execute.plan import library_file, make_item, with_outputs

    fw = notebook.framework
    cache = Cache(book.layout.cache)
    env = resolve_env(fw, book.root / book.config.execute.env_dir)
    library = load_index(library_file(book, fw), book.config.library_dir, cache.root)
    fingerprint = env.fingerprint()
    out_dir = book.layout.executed(ref.lang)
    for gpus in (None, 0):  # as the page requests, or clamped on a machine without GPUs
        item = make_item(
            book, ref.lang, fw, ref.rel, notebook, "", out_dir, fingerprint, library, gpus
        )
        entry = cache.lookup(item.key)
        filled = None if entry is None else with_outputs(notebook, entry.cells)
        if entry is None or filled is None:
            continue
        note = f"outputs from the execution cache (key {item.key[:12]}, {entry.lang} run)"
        return filled, note
    return notebook, "no outputs: the cache holds no run of this code (polybook execute)"


def stamped(notebook: Notebook, page_sha: str) -> Notebook:
    stamp = {"page_sha256": page_sha, "cells": [c.id for c in notebook.cells]}
    return replace(notebook, extra={**notebook.extra, STAMP: stamp})


@dataclass(frozen=True, slots=True)
class Saved:
    """A notebook as Jupyter saved it."""

    notebook: Notebook
    ref: PageRef
    page_sha: str  # the page version the notebook was made from
    cell_ids: tuple[str, ...]  # the ids of that version's cells, in order
    raw_cells: tuple[dict[str, Any], ...]  # the JSON cells (outputs kept on rewrite)


def read_saved(text: str) -> Saved:
    """A notebook `polybook edit` wrote, as saved since; ValueError if it is not one."""
    notebook = Notebook.from_json(text)
    stamp = notebook.extra.get(STAMP)
    if not isinstance(stamp, dict) or not notebook.page or not notebook.lang:
        raise ValueError("not a notebook written by `polybook edit` (no metadata.polybook.edit)")
    cells = stamp.get("cells")
    if not isinstance(cells, list):
        raise ValueError("metadata.polybook.edit.cells is not a list")
    raw = json.loads(text)["cells"]
    return Saved(
        notebook,
        PageRef(notebook.lang, notebook.page),
        str(stamp.get("page_sha256", "")),
        tuple(map(str, cells)),
        tuple(raw),
    )


def added(cell: Cell) -> bool:
    """A cell made in Jupyter: it has no book position."""
    return cell.line <= 0


# ---- page versions written back by `--save`


def versions_path(book: Book, ref: PageRef, framework: str) -> Path:
    return book.layout.edit(ref.lang, framework) / (ref.rel[: -len(".md")] + ".versions.json")


def read_versions(path: Path) -> dict[str, str]:
    """{page sha written by a save: the page sha the saved notebook came from}."""
    return {k: str(v) for k, v in read_json_object(path).items()}


def descends(versions: dict[str, str], current: str, stamp: str) -> bool:
    """Whether the page version `current` was written by saves from version `stamp`."""
    seen: set[str] = set()
    while current != stamp:
        if current in seen or current not in versions:
            return False
        seen.add(current)
        current = versions[current]
    return True


def record_version(path: Path, written: str, came_from: str) -> None:
    versions = read_versions(path)
    versions[written] = came_from
    write_atomic(path, json.dumps(versions, indent=1, sort_keys=True) + "\n")
