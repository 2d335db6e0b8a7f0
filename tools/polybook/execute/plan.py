"""Planning a run: the split notebooks to consider (each read once; the typed
`split.model.Notebook` made from it when the run needs one), their cache keys,
and the executed notebooks (the split notebook, line maps included, with
outputs attached by code-cell order, which the equal key guarantees to be the
same code cells)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from polybook.execute.attach import attach
from polybook.execute.envs import KERNEL_VARS
from polybook.execute.gpus import clamp
from polybook.execute.keys import KeyParts, source_parts
from polybook.execute.libdeps import LibIndex, used_names
from polybook.execute.model import CellOutputs, PageSettings
from polybook.execute.settings import page_settings
from polybook.faults import Fault, corrupt, doing
from polybook.source.book import Book
from polybook.split.model import Cell, CellKind, Notebook, cell_source

MANIFEST = ".polybook-execute.json"


@dataclass(slots=True)
class SplitFile:
    """A split notebook as read for planning: its text, the sha256 of its
    bytes, and what planning and `executed_text` read of it (its source file,
    code, metadata). The typed `Notebook` is made from the text only when the
    run needs it (a notebook that is up to date, or rebuilt from the cache,
    never does); the decoded tree is not kept: hundreds of them alive would
    cost the run more in garbage collection than reading them did."""

    path: Path
    lang: str
    text: str
    sha: str
    file: str  # metadata.polybook.source
    sources: tuple[str, ...]  # of each code cell, in order
    metadata: dict[str, Any]  # the notebook's
    _notebook: Notebook | None = None

    def code_sources(self) -> list[str]:
        """The source of each code cell, in order."""
        return list(self.sources)

    def notebook(self) -> Notebook:
        if self._notebook is None:
            try:
                self._notebook = Notebook.from_json(self.text)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise _corrupt_split(self.path, self.lang, exc) from None
        return self._notebook


@dataclass(slots=True)
class Item:
    """One notebook of the run: a page in one language and framework."""

    lang: str
    framework: str
    page: str  # relative to the language root, e.g. chapter_cnn/lenet.md
    file: str  # the source page, relative to the book root
    executed_path: Path
    split: SplitFile | Notebook  # the split notebook (read, or parsed)
    split_sha: str  # of the split notebook's bytes
    settings: PageSettings
    gpus: int
    parts: KeyParts
    key: str

    @property
    def notebook(self) -> Notebook:
        """The split notebook (parsed on first use)."""
        split = self.split
        return split.notebook() if isinstance(split, SplitFile) else split

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


def _corrupt_split(path: Path, lang: str, exc: Exception) -> Fault:
    fix = f"run `polybook split --lang {lang}`, which writes it again"
    return corrupt(path, f"execute {lang}", "split notebook", exc, fix)


def read_split(path: Path, lang: str) -> SplitFile:
    """A split notebook, read once, with the sha256 of its bytes; a `Fault`
    naming it when it cannot be read or is not a notebook."""
    with doing(f"execute {lang}", "read", path):
        raw = path.read_bytes()
    try:
        text = raw.decode()
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
            raise ValueError("not a notebook: no cell list")
    except (ValueError, UnicodeDecodeError) as exc:
        raise _corrupt_split(path, lang, exc) from None
    sources = [
        cell_source(cell)
        for cell in data["cells"]
        if isinstance(cell, dict) and cell.get("cell_type") == "code"
    ]
    meta = data.get("metadata")
    metadata = meta if isinstance(meta, dict) else {}
    polybook = metadata.get("polybook")
    file = str(polybook.get("source", "")) if isinstance(polybook, dict) else ""
    sha = hashlib.sha256(raw).hexdigest()
    return SplitFile(path, lang, text, sha, file, tuple(sources), metadata)


def make_item(
    book: Book,
    lang: str,
    framework: str,
    page: str,
    notebook: Notebook | SplitFile,
    split_sha: str,
    out_dir: Path,
    env_fingerprint: str,
    library: LibIndex,
    gpu_count: int | None,
) -> Item:
    settings = page_settings(book.config.execute, page)
    if isinstance(notebook, SplitFile):
        sources = notebook.code_sources()
    else:
        sources = [c.source for c in notebook.code_cells]
    code = "\n".join(sources)
    name = book.config.library_dir
    closure = library.closure(used_names(code, name)) if name in code else {}
    gpus = settings.gpus if gpu_count is None else clamp(settings.gpus, gpu_count)
    parts = KeyParts(
        page=page,
        framework=framework,
        code=source_parts(sources),
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
        out_dir.joinpath(framework, page[: -len(".md")] + ".ipynb"),  # one join: 600 a run
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
            cell = Cell(  # built directly: `replace` costs ten times more
                cell.kind,
                cell.source,
                cell.line,
                cell.lines,
                cell.frameworks,
                tuple(out.get("outputs", ())),
                count if isinstance(count, int) else None,
            )
        filled.append(cell)
    return replace(notebook, cells=tuple(filled))


def executed_text(item: Item, cells: list[CellOutputs]) -> str | None:
    """The split notebook with outputs attached; None if the cells do not fit.
    A split notebook read from its file, in the model's layout, has them
    written into its text (`attach`: the typed writer's bytes, without
    building the typed notebook); any other takes the typed path."""
    if len(cells) != item.code_count:
        return None
    execution = {"key": item.key, "gpus": item.gpus}
    split = item.split
    if isinstance(split, SplitFile):
        text = attach(split.text, split.metadata, cells, execution)
        if text is not None:
            return text
    filled = with_outputs(item.notebook, cells)
    if filled is None:
        return None
    return replace(filled, extra={**filled.extra, "execution": execution}).to_json()
