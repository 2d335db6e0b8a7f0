"""`polybook edit PAGE --framework F`: write the page's notebook for Jupyter."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.edit.notebook import (
    PageRef,
    sha256,
    split_notebooks,
    stamped,
    with_cached_outputs,
)
from polybook.files import write_atomic
from polybook.source.book import Book


class PageError(Exception):
    """A PAGE argument that names no page of the book (the message says why)."""


def page_ref(book: Book, page: str, lang: str | None) -> PageRef:
    """PAGE as a file (`chapters/en/chap/x.md`, from the current folder or the
    book root) or as a path under the language root (`chap/x.md`, `chap/x`)."""
    langs = [lang] if lang else list(book.config.languages)
    for base in (Path.cwd(), book.root):
        candidate = (base / page).resolve()
        if not candidate.is_file():
            continue
        for name in langs:
            root = book.lang_root(name).resolve()
            if candidate.is_relative_to(root):
                return _known(book, PageRef(name, candidate.relative_to(root).as_posix()))
    rel = page.removeprefix("./")
    rel = rel if rel.endswith(".md") else rel + ".md"
    for name in langs:
        prefix = book.display(name, "x")[:-1]  # "chapters/en/"
        if prefix and rel.startswith(prefix):
            return _known(book, PageRef(name, rel[len(prefix) :]))
    return _known(book, PageRef(lang or book.config.source_language, rel))


def _known(book: Book, ref: PageRef) -> PageRef:
    if ref.rel not in book.page_files(ref.lang):
        raise PageError(f"{ref.file(book)} is not a page of the book ({ref.lang})")
    if book.is_plain(ref.lang, ref.rel):
        raise PageError(f"{ref.file(book)} is a non-notebook page: it has no notebooks")
    return ref


@dataclass(slots=True)
class EditResult:
    path: Path | None = None
    note: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def default_out(book: Book, ref: PageRef, framework: str) -> Path:
    return book.layout.edit(ref.lang, framework) / (ref.rel[: -len(".md")] + ".ipynb")


def edit_page(book: Book, ref: PageRef, framework: str, out: Path | None = None) -> EditResult:
    """Write the notebook of `ref` for `framework` (nothing is opened)."""
    data = ref.path(book).read_bytes()
    notebook = split_notebooks(book, ref, data).get(framework)
    if notebook is None:
        message = f"the page has no {framework} notebook (no cell is marked for {framework})"
        return EditResult(
            diagnostics=[Diagnostic.make(Code.EDIT_NO_NOTEBOOK, ref.file(book), 0, message)]
        )
    notebook, note = with_cached_outputs(book, ref, notebook)
    path = out or default_out(book, ref, framework)
    write_atomic(path, stamped(notebook, sha256(data)).to_json())
    shown = os.path.relpath(path) if path.is_absolute() else str(path)
    return EditResult(path if shown.startswith("..") else Path(shown), note)
