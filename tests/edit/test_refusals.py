"""What `polybook edit --save` refuses: the page stays byte for byte, the
message names the cell, the exit status is 1 (2: not an edit notebook)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.edit.conftest import EditBook, cells, change, jupyter_saves, source

BRANCHES = "en/chap/branches.md"
LEGACY = "vi/chap/legacy.md"


def refused(book: EditBook, notebook: Path, page: str, code: int = 1) -> str:
    """Save; assert nothing was written; the diagnostics."""
    path = book.page(page)
    before = path.read_bytes()
    result = book.save(notebook)
    assert result.code == code, (result.out, result.err)
    assert path.read_bytes() == before
    assert result.out == ""
    return result.err


def new_cell(text: str) -> dict[str, Any]:
    return {"cell_type": "code", "id": "fresh", "metadata": {}, "outputs": [], "source": text}


def test_added_cell(book: EditBook) -> None:
    notebook = book.edit(BRANCHES, "pytorch")
    found = cells(notebook)
    found.insert(3, new_cell("print('new')"))
    jupyter_saves(notebook, found)
    assert refused(book, notebook, BRANCHES) == (
        f"chapters/{BRANCHES}:20: error PB402: a code cell was added in Jupyter after the "
        "code cell at line 20 (code-L20) (it begins \"print('new')\"): add it to the page; "
        "nothing was written\n"
    )


def test_copied_cell_counts_as_added(book: EditBook) -> None:
    notebook = book.edit(BRANCHES, "pytorch")
    found = cells(notebook)
    found.insert(3, json.loads(json.dumps(found[2])))  # same metadata, as a copy-paste gives
    jupyter_saves(notebook, found)
    assert "error PB402: a code cell was added in Jupyter after the code cell at line 20" in (
        refused(book, notebook, BRANCHES)
    )


def test_deleted_cell(book: EditBook) -> None:
    notebook = book.edit(BRANCHES, "pytorch")
    found = cells(notebook)
    del found[4]
    change_first = found[0]
    change_first["source"] = source(change_first).replace("Shared", "Common")
    jupyter_saves(notebook, found)
    assert refused(book, notebook, BRANCHES) == (
        f"chapters/{BRANCHES}:45: error PB403: the code cell at line 45 (code-L45) was deleted "
        "in Jupyter (it begins 'a = 1'): delete it in the page; nothing was written\n"
    )


def test_moved_cell(book: EditBook) -> None:
    notebook = book.edit(BRANCHES, "pytorch")
    found = cells(notebook)
    found[2], found[3] = found[3], found[2]
    jupyter_saves(notebook, found)
    assert "error PB404: the code cell at line 20 (code-L20) was moved in Jupyter" in refused(
        book, notebook, BRANCHES
    )


def test_cell_kind_changed(book: EditBook) -> None:
    notebook = book.edit(BRANCHES, "pytorch")
    found = cells(notebook)
    found[7] = {
        **new_cell(source(found[7])),
        "id": found[7]["id"],
        "metadata": found[7]["metadata"],
    }
    jupyter_saves(notebook, found)
    assert "error PB405: the markdown cell at line 64 (md-L64) was made a code cell" in refused(
        book, notebook, BRANCHES
    )


@pytest.mark.parametrize(
    ("index", "old", "new", "expected"),
    [
        # the alias rewrite: `d2l.ones` on the page
        (5, "torch.ones(3)", "torch.ones(4)", ":56: error PB406: the code cell at line 54"),
        # the %%bash line stands for the fence
        (6, "%%bash", "%%sh", ":59: error PB406: the code cell at line 59"),
        # two lines around the elided mxnet branch, replaced by one
        (3, "        return y\n        return x", "        return y or x", ":36: error PB407:"),
        # between two shared lines with the mxnet branch between them on the page
        (8, "x = 1\n", "x = 1\nc = 0\n", ":68: error PB408:"),
        # a fence inside a code cell ends it
        (2, "import torch", "import torch\n```", ":20: error PB409:"),
        # emptying the branch leaves `if tab.selected(...)` without a body
        (4, "a = 1\n", "", ":45: error PB409:"),
    ],
)
def test_unplaceable_changes(book: EditBook, index: int, old: str, new: str, expected: str) -> None:
    notebook = book.edit(BRANCHES, "pytorch")
    change(notebook, index, old, new)
    err = refused(book, notebook, BRANCHES)
    assert err.startswith(f"chapters/{BRANCHES}{expected}"), err
    assert err.endswith("nothing was written\n") and err.count("\n") == 1


def test_one_refused_cell_writes_none_of_the_others(book: EditBook) -> None:
    notebook = book.edit(BRANCHES, "pytorch")
    change(notebook, 0, "Shared prose", "Common prose")
    change(notebook, 5, "torch.ones(3)", "torch.ones(4)")
    assert "PB406" in refused(book, notebook, BRANCHES)


def test_page_changed_elsewhere(book: EditBook) -> None:
    notebook = book.edit(LEGACY, "mxnet")
    change(notebook, 0, "Văn xuôi chung.", "Văn xuôi.")
    page = book.page(LEGACY)
    page.write_text(page.read_text("utf-8").replace("Kết thúc.", "Hết."), "utf-8")
    err = refused(book, notebook, LEGACY)
    assert err.startswith(f"chapters/{LEGACY}:0: error PB401: the page changed since legacy.ipynb")


def test_not_an_edit_notebook(book: EditBook, tmp_path: Path) -> None:
    other = tmp_path / "other.ipynb"
    other.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4}), "utf-8")
    before = book.page(BRANCHES).read_bytes()
    result = book.save(other)
    assert result.code == 2
    assert "error PB400" in result.err and "no metadata.polybook.edit" in result.err
    assert book.page(BRANCHES).read_bytes() == before


def test_framework_without_notebook(book: EditBook) -> None:
    result = book.run("edit", f"chapters/{BRANCHES}", "--framework", "jax")
    assert result.code == 2
    assert result.err == (
        f"chapters/{BRANCHES}:0: error PB411: the page has no jax notebook "
        "(no cell is marked for jax)\n"
    )
    assert not (book.root / "_build" / "edit").exists()


def test_unknown_page(book: EditBook) -> None:
    result = book.run("edit", "chapters/en/chap/nothing.md")
    assert (result.code, result.err) == (
        2,
        "polybook: edit: chapters/en/chap/nothing.md is not a page of the book (en)\n",
    )
