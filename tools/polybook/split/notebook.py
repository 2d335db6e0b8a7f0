"""Page -> per-framework notebook (nbformat 4.5 JSON), deterministic.

Markdown between two code cells forms one markdown cell; `:begin_tab:` regions
of other frameworks are removed and tab markers dropped. Cell ids derive from
source lines; metadata record the source file, line and frameworks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from polybook.source.model import ALL, CodeCell, Page, TextBlock, TocBlock
from polybook.split.jsonfmt import JSON, dumps

NBFORMAT = 4
NBFORMAT_MINOR = 5


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str  # "markdown" | "code"
    source: str
    line: int
    frameworks: tuple[str, ...] = ()


@dataclass(slots=True)
class Notebook:
    page: Page
    framework: str
    cells: list[Cell] = field(default_factory=list)


def _lines(source: str) -> list[JSON]:
    parts = source.split("\n")
    lines: list[JSON] = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def code_frameworks(cell: CodeCell, default: str, ordered: tuple[str, ...]) -> tuple[str, ...]:
    if cell.marker is None:
        return (default,)
    if ALL in cell.marker.frameworks:
        return ordered
    return tuple(fw for fw in ordered if fw in cell.marker.frameworks)


def build_notebook(
    page: Page,
    framework: str,
    ordered: tuple[str, ...],
    code: Mapping[int, str],
) -> Notebook:
    """The notebook of `page` for `framework`.

    `code` maps a code cell's line to its source for this framework (after
    `tab.selected` resolution); cells absent from it keep their source.
    """
    default = ordered[0]
    nb = Notebook(page, framework)
    text: list[TextBlock | TocBlock] = []
    text_region: frozenset[str] | None = None
    text_tabs: tuple[str, ...] = ()

    def flush() -> None:
        # blocks are not contiguous (code cells of other frameworks sit between
        # them): the cell's line is that of its first non-blank source line
        start = next((b for b in text if b.text.strip()), None)
        if start is not None:
            lines = "\n".join(b.text for b in text).split("\n")
            first = next(i for i, line in enumerate(lines) if line.strip())
            last = max(i for i, line in enumerate(lines) if line.strip())
            body = "\n".join(lines[first : last + 1])
            offset = next(i for i, line in enumerate(start.text.split("\n")) if line.strip())
            nb.cells.append(Cell("markdown", body, start.line + offset, text_tabs))
        text.clear()

    for block in page.blocks:
        if isinstance(block, CodeCell):
            flush()  # a code cell, kept or not, ends the markdown cell before it
            if not block.belongs_to(framework, default):
                continue
            source = code.get(block.line, block.source)
            if block.language == "bash":
                source = "%%bash\n" + source
            nb.cells.append(
                Cell("code", source, block.line, code_frameworks(block, default, ordered))
            )
            continue
        tab = block.tab if isinstance(block, TextBlock) else None
        if tab is not None:
            if framework not in tab and ALL not in tab:
                flush()  # a removed region still separates the text around it
                continue
            tabs = tuple(fw for fw in ordered if fw in tab or ALL in tab)
        elif not block.text.strip() and text_tabs:
            continue  # blank lines between two regions do not separate them
        else:
            tabs = ()
        # A markdown cell is a run of shared text, or a run of regions that
        # name the same frameworks.
        if tab != text_region or not text:
            flush()
            text_region, text_tabs = tab, tabs
        text.append(block)
    flush()
    return nb


def to_json(nb: Notebook, kernel: Mapping[str, str]) -> str:
    """Serialise like nbformat's writer (indent 1, sorted keys), without its validation."""
    page = nb.page
    cells: list[JSON] = []
    for cell in nb.cells:
        meta: dict[str, JSON] = {"file": page.file, "line": cell.line}
        if cell.frameworks:
            meta["frameworks"] = list(cell.frameworks)
        entry: dict[str, JSON] = {
            "cell_type": cell.kind,
            "id": f"{'code' if cell.kind == 'code' else 'md'}-L{cell.line}",
            "metadata": {"polybook": meta},
            "source": _lines(cell.source),
        }
        if cell.kind == "code":
            entry["execution_count"] = None
            entry["outputs"] = []
        cells.append(entry)
    document: JSON = {
        "cells": cells,
        "metadata": {
            "kernelspec": dict(kernel),
            "language_info": {"name": "python"},
            "polybook": {
                "framework": nb.framework,
                "lang": page.lang,
                "page": page.path,
                "required_libs": list(page.required_libs),
                "source": page.file,
            },
        },
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
    }
    return dumps(document) + "\n"
