"""Planning a run: the split notebooks to consider (each read once into the
typed `split.model.Notebook`), their cache keys, and the executed notebooks
(the split notebook, line maps included, with outputs attached by code-cell
order, which the equal key guarantees to be the same code cells)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from polybook.execute.envs import KERNEL_VARS
from polybook.execute.gpus import clamp
from polybook.execute.keys import KeyParts, code_parts
from polybook.execute.libdeps import LibIndex, used_names
from polybook.execute.model import CellOutputs, PageSettings
from polybook.execute.settings import page_settings
from polybook.faults import corrupt, doing
from polybook.source.book import Book
from polybook.split.model import CellKind, Notebook

MANIFEST = ".polybook-execute.json"


@dataclass(slots=True)
class Item:
    """One notebook of the run: a page in one language and framework."""

    lang: str
    framework: str
    page: str  # relative to the language root, e.g. chapter_cnn/lenet.md
    file: str  # the source page, relative to the book root
    executed_path: Path
    notebook: Notebook  # the split notebook
    split_sha: str  # of the split notebook's bytes
    settings: PageSettings
    gpus: int
    parts: KeyParts
    key: str

    @property
    def code_count(self) -> int:
        return len(self.parts.code)

    @property
    def label(self) -> str:
        return f"{self.lang}/{self.framework}/{self.page}"

    @property
    def manifest_key(self) -> str:
        return f"{self.framework}/{self.page}"


def page_matcher(book: Book, lang: str, patterns: list[str]) -> list[str]:
    """PAGE arguments as patterns over page paths: `chapter_cnn/lenet`,
    `chapter_cnn/lenet.md`, `chapters/en/chapter_cnn/lenet.md`, `chapter_cnn/*`."""
    prefix = book.display(lang, "x")[:-1]  # "chapters/en/"
    out: list[str] = []
    for pattern in patterns:
        p = pattern.strip().removeprefix("./")
        if prefix and p.startswith(prefix):
            p = p[len(prefix) :]
        if p.endswith(".ipynb"):
            p = p[: -len(".ipynb")]
        if not p.endswith((".md", "*")):
            p += ".md"
        out.append(p)
    return out


def split_notebooks(split_dir: Path, framework: str) -> list[tuple[str, Path]]:
    """(page, path) of every split notebook of `framework`, by page (hidden
    directories and files left out)."""
    base = split_dir / framework
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, base).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for name in files:
            if name.endswith(".ipynb") and not name.startswith("."):
                path = Path(folder, name)
                found.append((prefix + name[: -len(".ipynb")] + ".md", path))
    return sorted(found)


def read_split(path: Path, lang: str) -> tuple[Notebook, str]:
    """A split notebook, read and parsed once, and the sha256 of its bytes; a
    `Fault` naming it when it cannot be read or is not a notebook."""
    action = f"execute {lang}"
    with doing(action, "read", path):
        data = path.read_bytes()
    try:
        notebook = Notebook.from_json(data.decode("utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        fix = f"run `polybook split --lang {lang}`, which writes it again"
        raise corrupt(path, action, "split notebook", exc, fix) from None
    return notebook, hashlib.sha256(data).hexdigest()


def make_item(
    book: Book,
    lang: str,
    framework: str,
    page: str,
    notebook: Notebook,
    split_sha: str,
    out_dir: Path,
    env_fingerprint: str,
    library: LibIndex,
    gpu_count: int | None,
) -> Item:
    settings = page_settings(book.config.execute, page)
    cells = notebook.code_cells
    code = "\n".join(c.source for c in cells)
    name = book.config.library_dir
    closure = library.closure(used_names(code, name)) if name in code else {}
    gpus = settings.gpus if gpu_count is None else clamp(settings.gpus, gpu_count)
    parts = KeyParts(
        page=page,
        framework=framework,
        code=code_parts(cells),
        env=env_fingerprint,
        library=tuple(sorted(closure.items())),
        kernel_vars=KERNEL_VARS,
        gpus=gpus,
        allow_errors=settings.allow_errors,
    )
    return Item(
        lang,
        framework,
        page,
        notebook.file or book.display(lang, page),
        out_dir / framework / (page[: -len(".md")] + ".ipynb"),
        notebook,
        split_sha,
        settings,
        gpus,
        parts,
        parts.key(),
    )


def library_file(book: Book, framework: str) -> Path:
    module = book.config.framework[framework].module
    return book.root / book.config.library_dir / f"{module}.py"


def library_files(book: Book) -> tuple[tuple[str, str], ...]:
    """The library package's files, shipped to remote workers."""
    base = book.root / book.config.library_dir
    if not base.is_dir():
        return ()
    name = base.name
    return tuple(
        (f"{name}/{p.name}", p.read_text("utf-8", errors="replace"))
        for p in sorted(base.glob("*.py"))
    )


def with_outputs(notebook: Notebook, cells: Sequence[CellOutputs]) -> Notebook | None:
    """`notebook` with the outputs and execution counts of `cells` (one per
    code cell, in order) attached; None if they do not fit."""
    if len(notebook.code_cells) != len(cells):
        return None
    outputs = iter(cells)
    filled = []
    for cell in notebook.cells:
        if cell.kind is CellKind.CODE:
            out = next(outputs)
            count = out.get("execution_count")
            cell = replace(
                cell,
                outputs=tuple(out.get("outputs", ())),
                execution_count=count if isinstance(count, int) else None,
            )
        filled.append(cell)
    return replace(notebook, cells=tuple(filled))


def executed_text(item: Item, cells: list[CellOutputs]) -> str | None:
    """The split notebook with outputs attached; None if the cells do not fit."""
    filled = with_outputs(item.notebook, cells)
    if filled is None:
        return None
    execution = {"execution": {"key": item.key, "gpus": item.gpus}}
    return replace(filled, extra={**filled.extra, **execution}).to_json()


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
