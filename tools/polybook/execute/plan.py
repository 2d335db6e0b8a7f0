"""Planning a run: the split notebooks to consider, their cache keys, and the
executed notebooks (split notebook + outputs re-attached by code-cell order,
which the equal key guarantees to be the same code cells)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from polybook.execute.envs import KERNEL_VARS
from polybook.execute.gpus import clamp
from polybook.execute.keys import KeyParts, code_cells, semantic_source
from polybook.execute.libdeps import LibIndex, used_names
from polybook.execute.model import CellOutputs, PageSettings
from polybook.execute.settings import page_settings
from polybook.source.book import Book
from polybook.split.jsonfmt import JSON, dumps

MANIFEST = ".polybook-execute.json"


@dataclass(slots=True)
class Item:
    """One notebook of the run: a page in one language and framework."""

    lang: str
    framework: str
    page: str  # relative to the language root, e.g. chapter_cnn/lenet.md
    file: str  # the source page, relative to the book root
    executed_path: Path
    text: str  # the split notebook
    split_sha: str
    settings: PageSettings
    gpus: int
    parts: KeyParts
    key: str
    code_count: int

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
    base = split_dir / framework
    if not base.is_dir():
        return []
    found = [
        (path.relative_to(base).with_suffix(".md").as_posix(), path)
        for path in base.rglob("*.ipynb")
        if not any(part.startswith(".") for part in path.relative_to(base).parts)
    ]
    return sorted(found)


def make_item(
    book: Book,
    lang: str,
    framework: str,
    page: str,
    text: str,
    out_dir: Path,
    env_fingerprint: str,
    library: LibIndex,
    gpu_count: int | None,
) -> Item:
    nb = json.loads(text)
    settings = page_settings(book.config.execute, page)
    cells = code_cells(nb)
    code = "\n".join(c.source for c in cells)
    name = book.config.library_dir
    closure = library.closure(used_names(code, name)) if name in code else {}
    gpus = settings.gpus if gpu_count is None else clamp(settings.gpus, gpu_count)
    meta = nb.get("metadata", {}).get("polybook", {})
    parts = KeyParts(
        page=page,
        framework=framework,
        code=tuple((semantic_source(c.source), c.allow_error) for c in cells),
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
        str(meta.get("source") or book.display(lang, page)),
        out_dir / framework / (page[: -len(".md")] + ".ipynb"),
        text,
        hashlib.sha256(text.encode()).hexdigest(),
        settings,
        gpus,
        parts,
        parts.key(),
        len(cells),
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


def executed_text(item: Item, cells: list[CellOutputs]) -> str | None:
    """The split notebook with outputs attached; None if the cells do not fit."""
    nb: dict[str, Any] = json.loads(item.text)
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    if len(code) != len(cells):
        return None
    for cell, out in zip(code, cells, strict=True):
        cell["outputs"] = out.get("outputs", [])
        cell["execution_count"] = out.get("execution_count")
    meta = nb.setdefault("metadata", {}).setdefault("polybook", {})
    meta["execution"] = {"key": item.key, "gpus": item.gpus}
    return dumps(cast(JSON, nb)) + "\n"


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def refine_line(book: Book, item: Item, failure_line: int, cell_source: str, inner: int) -> int:
    """The page line of line `inner` (1-based) of the code cell whose fence is at
    `failure_line`, when the split left that cell's code as written."""
    try:
        page = book.read(item.lang, item.page)
    except (OSError, ValueError):
        return failure_line
    for cell in page.code_cells:
        if cell.line == failure_line and cell.source.rstrip("\n") == cell_source.rstrip("\n"):
            return cell.source_line(inner - 1)
    return failure_line
