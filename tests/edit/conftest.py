"""The book of tests/edit (a copy per test) and Jupyter's side of the round trip."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from polybook.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "book"


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class EditBook:
    root: Path

    def run(self, *args: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--book", str(self.root), *args])
        return Run(code, out.getvalue(), err.getvalue())

    def page(self, rel: str) -> Path:
        return self.root / "chapters" / rel

    def edit(self, rel: str, framework: str) -> Path:
        """`polybook edit` of chapters/<rel>; the notebook's path."""
        result = self.run("edit", f"chapters/{rel}", "--framework", framework)
        assert result.code == 0, result.err
        lang, page = rel.split("/", 1)
        return self.root / "_build" / "edit" / lang / framework / page.replace(".md", ".ipynb")

    def save(self, notebook: Path) -> Run:
        return self.run("edit", "--save", str(notebook))


def cells(notebook: Path) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(notebook.read_text("utf-8"))
    return list(data["cells"])


def source(cell: dict[str, Any]) -> str:
    raw = cell["source"]
    return "".join(raw) if isinstance(raw, list) else str(raw)


def jupyter_saves(notebook: Path, cells: list[dict[str, Any]]) -> None:
    """Write the cells back as Jupyter does: sources as lists of lines, indent 1."""
    data = json.loads(notebook.read_text("utf-8"))
    for cell in cells:
        text = source(cell)
        cell["source"] = text.splitlines(keepends=True)
    data["cells"] = cells
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")


def change(notebook: Path, index: int, old: str, new: str) -> None:
    """Replace `old` (once, it must be there) by `new` in cell `index`, as typed in Jupyter."""
    found = cells(notebook)
    text = source(found[index])
    assert old in text, (old, text)
    found[index]["source"] = text.replace(old, new, 1)
    jupyter_saves(notebook, found)


@pytest.fixture
def book(tmp_path: Path) -> EditBook:
    root = tmp_path / "book"
    shutil.copytree(FIXTURE, root)
    return EditBook(root)
