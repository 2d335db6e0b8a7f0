"""Alias rewriting without libcst, for the cells where that gives the same text.

libcst's rewrite (`split.cstalias`) costs a full concrete syntax tree and two
code generations per cell. Most cells only rename `d2l.x` (simple aliases) or
turn `d2l.x(a, b)` into `a.y(b)` (fluent aliases) on one line: the positions
of Python's own parser (`ast`, in C) are enough to cut and splice the source
text at those places, which keeps every other character, so the result is
libcst's, line for line. Anything else (an `args_alias` call, a fluent call
over several lines, a receiver in parentheses of its own or one whose
parenthesisation differs between the two trees, a cell `ast` cannot parse)
answers None, and the caller takes libcst's path. `tests/split` compares the
two on every case.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

from polybook.split.aliases import AliasTable

# receivers libcst leaves without parentheses (its `_atom`), in `ast` terms
_ATOMS = (
    ast.Name,
    ast.Attribute,
    ast.Call,
    ast.Subscript,
    ast.List,
    ast.ListComp,
    ast.Dict,
    ast.DictComp,
    ast.Set,
    ast.SetComp,
)
# receivers whose text span differs between the trees: tuples (ast includes
# their parentheses), literals (implicit concatenation), generator arguments
_UNSURE = (ast.Tuple, ast.Constant, ast.JoinedStr, ast.GeneratorExp, ast.Starred, ast.NamedExpr)


class _Fallback(Exception):
    """The cell needs libcst."""


@dataclass(frozen=True, slots=True)
class _Site:
    start: int  # byte offsets into the cell
    end: int
    kind: str  # "name" (replace the span) or "fluent"
    text: bytes = b""  # the new name
    receiver: ast.expr | None = None
    path: bytes = b""
    opening: int = 0  # end of the function part (the call's `(` follows)
    rest: int = 0  # start of the arguments after the receiver (or the `)`)


class _Cell:
    def __init__(self, source: str) -> None:
        self.data = source.encode("utf-8")
        self.starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
        if end_line is None or end_col is None:
            raise _Fallback
        return self.offset(node.lineno, node.col_offset), self.offset(end_line, end_col)  # type: ignore[attr-defined]


def _library_name(node: ast.expr, library: str) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr if node.value.id == library else None
    return None


def _sites(tree: ast.Module, cell: _Cell, table: AliasTable) -> list[_Site]:
    lib = table.lib_name.encode()
    sites: list[_Site] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name = _library_name(node, table.library)
            if name is not None and name in table.simple:
                start, end = cell.span(node)
                sites.append(_Site(start, end, "name", lib + b"." + table.simple[name].encode()))
            continue
        if not isinstance(node, ast.Call):
            continue
        name = _library_name(node.func, table.library)
        if name is None or name in table.simple:
            continue
        if name in table.simple_calls:
            start, end = cell.span(node.func)
            sites.append(_Site(start, end, "name", lib + b"." + table.simple_calls[name].encode()))
        elif name in table.fluent:
            site = _fluent(node, cell, table.fluent[name])
            if site is not None:
                sites.append(site)
        elif name in table.args:
            raise _Fallback
    return sites


def _fluent(call: ast.Call, cell: _Cell, path: str) -> _Site | None:
    if not call.args or isinstance(call.args[0], ast.Starred):
        return None  # libcst leaves such a call as it is
    receiver = call.args[0]
    if isinstance(receiver, _UNSURE) or call.lineno != call.end_lineno:
        raise _Fallback
    start, end = cell.span(call)
    opening = cell.span(call.func)[1]
    first = cell.span(receiver)[0]
    if cell.data[opening:first].strip() != b"(":
        raise _Fallback  # the receiver has parentheses (or a comment) of its own
    others = [cell.span(a)[0] for a in [*call.args[1:], *call.keywords]]
    rest = min(others) if others else end - 1
    return _Site(
        start, end, "fluent", receiver=receiver, path=path.encode(), opening=opening, rest=rest
    )


def _splice(cell: _Cell, sites: list[_Site], start: int, end: int) -> bytes:
    """The bytes of [start, end) with the outermost sites inside replaced."""
    inside = sorted(
        (s for s in sites if start <= s.start and s.end <= end), key=lambda s: (s.start, -s.end)
    )
    out: list[bytes] = []
    at = start
    for site in inside:
        if site.start < at:
            continue  # within a site already replaced
        out.append(cell.data[at : site.start])
        out.append(_replacement(cell, sites, site))
        at = site.end
    out.append(cell.data[at:end])
    return b"".join(out)


def _replacement(cell: _Cell, sites: list[_Site], site: _Site) -> bytes:
    if site.kind == "name":
        return site.text
    assert site.receiver is not None
    first, last = cell.span(site.receiver)
    receiver = _splice(cell, sites, first, last)
    if not isinstance(site.receiver, _ATOMS):
        receiver = b"(" + receiver + b")"
    # the call's own `(` and spacing, then the arguments after the receiver
    opening = cell.data[site.opening : first]
    rest = _splice(cell, sites, site.rest, site.end)
    return receiver + b"." + site.path + opening + rest


def rewrite_line_for_line(source: str, table: AliasTable) -> str | None:
    """`source` with its aliases rewritten, every line where it was; None when
    the rewrite needs libcst (see the module's docstring)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in strings: the cell's business
            tree = ast.parse(source)
        cell = _Cell(source)
        sites = _sites(tree, cell, table)
        if any(b"\n" in cell.data[s.start : s.end] for s in sites if s.kind == "name"):
            return None
        text = _splice(cell, sites, 0, len(cell.data)).decode("utf-8")
    except (SyntaxError, ValueError, _Fallback):
        return None
    if text.count("\n") != source.count("\n"):
        return None
    return text
