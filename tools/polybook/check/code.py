"""Python validity of split code cells, per framework (IPython syntax allowed)."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from polybook.diagnostics import Code, Diagnostic
from polybook.source.model import CodeCell, Page
from polybook.split.ipython import mask
from polybook.split.model import Cell


def check_cell(page: Page, block: CodeCell, versions: Mapping[str, Cell]) -> list[Diagnostic]:
    """Diagnostics for one code cell of `page` given its notebook cell per framework.

    Positions go through each version's line map (`Cell.book_line`).
    """
    found: dict[tuple[str, int, str], list[str]] = {}
    parsed: dict[str, ast.Module | SyntaxError] = {}  # frameworks often share a cell's code
    for framework, cell in versions.items():
        text = cell.source
        if text.startswith("%%") and not text.startswith("%%tab"):
            continue  # a cell magic (e.g. %%bash): not Python
        if text not in parsed:
            try:
                parsed[text] = ast.parse(mask(text)[0])
            except SyntaxError as exc:
                parsed[text] = exc
        tree = parsed[text]
        if isinstance(tree, SyntaxError):
            line = cell.book_line((tree.lineno or 1) - 1)
            key = (Code.CODE_SYNTAX.id, line, tree.msg)
            found.setdefault(key, []).append(framework)
            continue
        if "tab.selected" not in text:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "selected"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "tab"
            ):
                key = (Code.TAB_SELECTED_OUTSIDE_IF.id, cell.book_line(node.lineno - 1), "")
                found.setdefault(key, []).append(framework)
    out: list[Diagnostic] = []
    for (code_id, line, msg), frameworks in found.items():
        names = ", ".join(frameworks)
        if code_id == Code.CODE_SYNTAX.id:
            out.append(
                Diagnostic.make(
                    Code.CODE_SYNTAX, page.file, line, f"invalid Python for {names}: {msg}"
                )
            )
        else:
            out.append(
                Diagnostic.make(
                    Code.TAB_SELECTED_OUTSIDE_IF,
                    page.file,
                    line,
                    f"tab.selected(...) outside an if test cannot be resolved ({names})",
                )
            )
    return out
