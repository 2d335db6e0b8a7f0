"""Page -> per-framework notebook (nbformat 4.5 JSON), deterministic.

Markdown between two code cells forms one markdown cell; `:begin_tab:` regions
of other frameworks are removed and tab markers dropped. Cell ids derive from
source lines; metadata record the source file, line and frameworks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from polybook.source.model import ALL, CodeCell, Page, TextBlock, TocBlock

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


def _lines(source: str) -> list[str]:
    parts = source.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


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
    text: list[str] = []
    text_line = 0
    text_tabs: set[str] = set()
    shared = False

    def flush() -> None:
        nonlocal text_line, shared
        body = "\n".join(text).strip("\n")
        if body.strip():
            tabs = () if shared else tuple(fw for fw in ordered if fw in text_tabs)
            nb.cells.append(Cell("markdown", body, text_line, tabs))
        text.clear()
        text_tabs.clear()
        text_line = 0
        shared = False

    for block in page.blocks:
        if isinstance(block, CodeCell):
            if not block.belongs_to(framework, default):
                continue
            flush()
            source = code.get(block.line, block.source)
            if block.language == "bash":
                source = "%%bash\n" + source
            nb.cells.append(
                Cell("code", source, block.line, code_frameworks(block, default, ordered))
            )
            continue
        if isinstance(block, TextBlock) and block.tab is not None:
            if framework not in block.tab:
                continue
            text_tabs.update(block.tab)
        else:
            assert isinstance(block, TextBlock | TocBlock)
            if block.text.strip():
                shared = True
        if not text:
            text_line = block.line
        text.append(block.text)
    flush()
    return nb


def to_json(nb: Notebook, kernel: Mapping[str, str]) -> str:
    """Serialise like nbformat's writer (indent 1, sorted keys), without its validation."""
    page = nb.page
    cells: list[dict[str, Any]] = []
    for cell in nb.cells:
        meta: dict[str, Any] = {"file": page.file, "line": cell.line}
        if cell.frameworks:
            meta["frameworks"] = list(cell.frameworks)
        entry: dict[str, Any] = {
            "cell_type": cell.kind,
            "id": f"{'code' if cell.kind == 'code' else 'md'}-L{cell.line}",
            "metadata": {"polybook": meta},
            "source": _lines(cell.source),
        }
        if cell.kind == "code":
            entry["execution_count"] = None
            entry["outputs"] = []
        cells.append(entry)
    document = {
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
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
