"""Python validity of split code cells, per framework (IPython syntax allowed)."""

from __future__ import annotations

import ast

from polybook.diagnostics import Code, Diagnostic
from polybook.source.model import CodeCell, Page
from polybook.split.ipython import neutralise


def _source_line(cell: CodeCell, text: str, lineno: int) -> int:
    """Page line of line `lineno` (1-based) of a per-framework version of the cell."""
    lines = text.split("\n")
    if text == cell.source:
        return cell.source_line(lineno - 1)
    if 0 < lineno <= len(lines):
        wanted = lines[lineno - 1].strip()
        for index, original in enumerate(cell.source.split("\n")):
            if original.strip() == wanted:
                return cell.source_line(index)
    return cell.line


def check_cell(page: Page, cell: CodeCell, versions: dict[str, str]) -> list[Diagnostic]:
    """Diagnostics for one code cell given its source per framework."""
    found: dict[tuple[str, int, str], list[str]] = {}
    for framework, text in versions.items():
        if text.startswith("%%") and not text.startswith("%%tab"):
            continue  # a cell magic (e.g. %%bash): not Python
        try:
            tree = ast.parse(neutralise(text))
        except SyntaxError as exc:
            line = _source_line(cell, text, exc.lineno or 1)
            key = (Code.CODE_SYNTAX.id, line, exc.msg)
            found.setdefault(key, []).append(framework)
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "selected"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "tab"
            ):
                line = _source_line(cell, text, node.lineno)
                key = (Code.TAB_SELECTED_OUTSIDE_IF.id, line, "")
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
