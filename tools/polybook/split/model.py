"""The one typed notebook model: what split produces, execute runs and render shows.

A `Cell` carries its source and, for each line of that source, the line of the
book page it came from (`lines`). Every later stage places a position through
that map: line `k` (0-based) of a cell is `cell.lines[k]` of `notebook.file`.
Nothing downstream looks for a position by matching text.

On disk (nbformat 4.5 JSON) each cell's `metadata.polybook` holds `file`,
`line` (its first book line), `lines` (the map, as compact ranges:
`"12-20,22,25-30"`) and, when set, `frameworks`; the notebook's
`metadata.polybook` holds the page, language, framework, source file and the
page's `required_libs`. `Notebook.from_json` reads exactly that back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from json.encoder import encode_basestring
from typing import Any, cast

from polybook.split.jsonfmt import JSON, dumps, string_list

NBFORMAT = 4
NBFORMAT_MINOR = 5


class CellKind(StrEnum):
    MARKDOWN = "markdown"
    CODE = "code"


def encode_lines(lines: Sequence[int]) -> str:
    """`(3, 4, 5, 9, 11, 12)` -> `"3-5,9,11-12"`; runs of consecutive lines as ranges."""
    parts: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        j = i
        while j + 1 < n and lines[j + 1] == lines[j] + 1:
            j += 1
        parts.append(str(lines[i]) if i == j else f"{lines[i]}-{lines[j]}")
        i = j + 1
    return ",".join(parts)


def decode_lines(text: str) -> tuple[int, ...]:
    """The inverse of `encode_lines`; raises ValueError on malformed text."""
    if "," not in text and text:  # one run, the common case of a cell
        first, sep, last = text.partition("-")
        return tuple(range(int(first), int(last) + 1)) if sep else (int(first),)
    out: list[int] = []
    for part in text.split(","):
        if not part:
            continue
        first, sep, last = part.partition("-")
        if sep:
            out.extend(range(int(first), int(last) + 1))
        else:
            out.append(int(first))
    return tuple(out)


def _source_lines(source: str) -> int:
    return source.count("\n") + 1


@dataclass(frozen=True, slots=True)
class Cell:
    kind: CellKind
    source: str
    line: int  # the cell's book line: a code cell's opening fence, a markdown cell's first line
    lines: tuple[int, ...]  # book line of each line of `source` (len == its line count)
    frameworks: tuple[str, ...] = ()  # set for code cells and `:begin_tab:` prose
    outputs: tuple[Mapping[str, Any], ...] = ()
    execution_count: int | None = None

    @property
    def id(self) -> str:
        return f"{'code' if self.kind is CellKind.CODE else 'md'}-L{self.line}"

    def book_line(self, index: int) -> int:
        """Book line of the 0-based line `index` of the source (clamped to the cell)."""
        if not self.lines:
            return 0
        return self.lines[min(max(index, 0), len(self.lines) - 1)]

    def with_source(self, source: str, lines: Sequence[int] | None = None) -> Cell:
        """The cell with new source and its map; `lines` may be left out only when
        the new source keeps every line where it was (ValueError otherwise)."""
        count = _source_lines(source)
        if lines is None:
            lines = self.lines
        if len(lines) != count:
            raise ValueError(f"a map of {len(lines)} lines for a source of {count} lines")
        return replace(self, source=source, lines=tuple(lines))


@dataclass(frozen=True, slots=True)
class Notebook:
    file: str  # the book page, relative to the book root (diagnostics name it)
    page: str  # relative to the language root, e.g. chapter_cnn/lenet.md
    lang: str
    framework: str
    cells: tuple[Cell, ...] = ()
    required_libs: tuple[str, ...] = ()
    kernelspec: Mapping[str, str] = field(default_factory=dict)
    # extra notebook-level metadata under `polybook` (e.g. the execution key)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def code_cells(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.kind is CellKind.CODE)

    def to_json(self) -> str:
        """nbformat 4.5 JSON (indent 1, sorted keys: `json.dumps`' layout, which
        tests hold it to), deterministic, no validation. Cells are written from
        a template: most of a split's time would otherwise go to the generic
        writer."""
        file = encode_basestring(self.file)
        cells = ",\n".join(_cell_json(cell, file) for cell in self.cells)
        polybook: dict[str, JSON] = {
            "framework": self.framework,
            "lang": self.lang,
            "page": self.page,
            "required_libs": list(self.required_libs),
            "source": self.file,
        }
        polybook.update(cast(dict[str, JSON], dict(self.extra)))
        metadata: JSON = {
            "kernelspec": dict(self.kernelspec),
            "language_info": {"name": "python"},
            "polybook": polybook,
        }
        head = '{\n "cells": ' + (f"[\n{cells}\n ]" if cells else "[]")
        tail = f',\n "nbformat": {NBFORMAT},\n "nbformat_minor": {NBFORMAT_MINOR}\n}}\n'
        return head + ',\n "metadata": ' + dumps(metadata, 1) + tail

    @classmethod
    def from_json(cls, text: str) -> Notebook:
        """A notebook written by `to_json` (or the same with outputs); ValueError if not."""
        return cls.from_data(json.loads(text))

    @classmethod
    def from_data(cls, data: object) -> Notebook:
        """`from_json` of the notebook's JSON, already decoded."""
        if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
            raise ValueError("not a notebook: no cell list")
        meta = data.get("metadata", {})
        pb = meta.get("polybook", {}) if isinstance(meta, dict) else {}
        if not isinstance(pb, dict):
            raise ValueError("not a polybook notebook: metadata.polybook is not a mapping")
        file = str(pb.get("source", ""))
        cells = tuple(map(_read_cell, data["cells"]))
        known = {"framework", "lang", "page", "required_libs", "source"}
        return cls(
            file=file,
            page=str(pb.get("page", "")),
            lang=str(pb.get("lang", "")),
            framework=str(pb.get("framework", "")),
            cells=cells,
            required_libs=tuple(str(x) for x in pb.get("required_libs", ())),
            kernelspec=dict(meta.get("kernelspec", {})),
            extra={k: v for k, v in pb.items() if k not in known},
        )


def _split_source(source: str) -> list[str]:
    parts = source.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _cell_json(cell: Cell, file: str) -> str:
    """One cell as `dumps` writes it inside the cell list (`file`: JSON-encoded)."""
    meta = f'     "file": {file},\n'
    if cell.frameworks:
        meta += f'     "frameworks": {string_list(list(cell.frameworks), 5)},\n'
    meta += f'     "line": {cell.line},\n     "lines": "{encode_lines(cell.lines)}"\n'
    parts = [f'   "cell_type": "{cell.kind.value}"']
    if cell.kind is CellKind.CODE:
        count = "null" if cell.execution_count is None else str(cell.execution_count)
        parts.append(f'   "execution_count": {count}')
    parts.append(f'   "id": "{cell.id}"')
    parts.append('   "metadata": {\n    "polybook": {\n' + meta + "    }\n   }")
    if cell.kind is CellKind.CODE:
        outputs = cast(list[JSON], [dict(o) for o in cell.outputs])
        parts.append(f'   "outputs": {dumps(outputs, 3)}')
    parts.append(f'   "source": {string_list(_split_source(cell.source), 3)}')
    return "  {\n" + ",\n".join(parts) + "\n  }"


_KINDS = {kind.value: kind for kind in CellKind}


def cell_source(data: dict[str, Any]) -> str:
    """The source of a cell's JSON (nbformat allows a string or a list of lines)."""
    raw = data.get("source", "")
    if isinstance(raw, list):
        try:
            return "".join(raw)
        except TypeError:
            return "".join(map(str, raw))
    return str(raw)


def _read_cell(data: object) -> Cell:
    if not isinstance(data, dict):
        raise ValueError("a cell is not a mapping")
    source = cell_source(data)
    meta = data.get("metadata", {}).get("polybook", {})
    if not isinstance(meta, dict):
        raise ValueError("cell metadata.polybook is not a mapping")
    line = int(meta.get("line", 0) or 0)
    encoded = meta.get("lines")
    # a notebook from elsewhere has no map: every line at the cell's first line
    lines = decode_lines(encoded) if isinstance(encoded, str) else (line,) * _source_lines(source)
    count = data.get("execution_count")
    outputs = data.get("outputs")
    frameworks = meta.get("frameworks")
    kind = data.get("cell_type", "markdown")
    return Cell(
        _KINDS[kind] if kind in _KINDS else CellKind(str(kind)),
        source,
        line,
        lines,
        tuple(map(str, frameworks)) if frameworks else (),
        tuple(o for o in outputs if isinstance(o, dict)) if outputs else (),
        count if isinstance(count, int) else None,
    )
