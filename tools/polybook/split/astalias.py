"""Alias rewriting without libcst, for the cells where that gives the same result.

libcst's rewrite (`split.cstalias`) costs a full concrete syntax tree and two
code generations per cell. A simple alias renames `d2l.x`; a fluent alias turns
`d2l.x(a, b)` into `a.y(b)`: the positions of Python's own parser (`ast`, in C)
are enough to cut and splice the source text at those places, which keeps
every other character as libcst does. The line map is libcst's (`split.cstmap`):
line for line when no rewritten node spans lines; otherwise each output line
comes from the input line of its first token, which is answered here only when
that token is text left where it was (not a name, method or receiver the
rewrite writes, whose line libcst derives from the nodes it builds).
Anything else (an `args_alias` call, a comment before a receiver, a receiver
that libcst parenthesises and that spans lines, literal or tuple receivers,
whose text spans differ between the two trees, a name split over lines, a
cell `ast` cannot parse) answers None, and the caller takes libcst's path.
`tests/split/test_astalias.py` compares the two, on fixture books and
generated cells.
"""

from __future__ import annotations

import ast
import bisect
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
    receiver: tuple[int, int, bool] | None = None  # its span (own parentheses in), atom
    path: bytes = b""
    opening: int = 0  # end of the function part (the call's `(` follows)
    rest: int = 0  # start of the arguments after the receiver (or the `)`)
    joins: bool = False  # the node libcst rebuilds (a call, for a call's name) spans lines


class _Cell:
    def __init__(self, source: str) -> None:
        self.data = source.encode("utf-8")
        self.starts = [0]
        at = self.data.find(b"\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = self.data.find(b"\n", at + 1)

    def line_of(self, offset: int) -> int:
        """0-based line of a byte offset."""
        return bisect.bisect_right(self.starts, offset) - 1

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
            joins = node.lineno != node.end_lineno
            new = lib + b"." + table.simple_calls[name].encode()
            sites.append(_Site(start, end, "name", new, joins=joins))
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
    if isinstance(receiver, _UNSURE):
        raise _Fallback
    start, end = cell.span(call)
    opening = cell.span(call.func)[1]
    first, last = cell.span(receiver)
    between = cell.data[opening:first]
    if between.replace(b"(", b"").strip() or not between.strip().startswith(b"("):
        raise _Fallback  # a comment before the receiver
    own = between.count(b"(") - 1  # the receiver's own parentheses
    if own:
        first = opening + between.index(b"(", between.index(b"(") + 1)
        after = last
        for _ in range(own):
            while cell.data[after : after + 1].isspace():
                after += 1
            if cell.data[after : after + 1] != b")":
                raise _Fallback
            after += 1
        last = after
    elif not isinstance(receiver, _ATOMS) and cell.line_of(first) != cell.line_of(last):
        raise _Fallback  # libcst gives the lines of a receiver it puts in parentheses to the call
    # the other arguments start after the receiver's comma and the spacing and
    # comments that follow it (libcst drops those with the receiver)
    data, rest = cell.data, last
    while data[rest : rest + 1].isspace():
        rest += 1
    if data[rest : rest + 1] == b",":
        rest += 1
        while data[rest : rest + 1].isspace() or data[rest : rest + 1] == b"#":
            rest = data.index(b"\n", rest) if data[rest : rest + 1] == b"#" else rest + 1
    elif data[rest : rest + 1] != b")":
        raise _Fallback
    return _Site(
        start,
        end,
        "fluent",
        receiver=(first, last, bool(own) or isinstance(receiver, _ATOMS)),
        path=path.encode(),
        opening=opening,
        rest=rest,
    )


# Output pieces: bytes, where they come from (an input offset, >= 0, for text
# copied from the cell; -1 - line for text a rewrite writes), and whether libcst
# maps a line that starts with them to the line the text comes from (text left
# where it was) or by the nodes it builds (a receiver, a method, a name).
_Piece = tuple[bytes, int, bool]


def _splice(cell: _Cell, sites: list[_Site], start: int, end: int) -> list[_Piece]:
    """The bytes of [start, end) with the outermost sites inside replaced."""
    inside = sorted(
        (s for s in sites if start <= s.start and s.end <= end), key=lambda s: (s.start, -s.end)
    )
    out: list[_Piece] = []
    at = start
    for site in inside:
        if site.start < at:
            continue  # within a site already replaced
        out.append((cell.data[at : site.start], at, True))
        out.extend(_replacement(cell, sites, site))
        at = site.end
    out.append((cell.data[at:end], at, True))
    return out


def _replacement(cell: _Cell, sites: list[_Site], site: _Site) -> list[_Piece]:
    written = -1 - cell.line_of(site.start)
    if site.kind == "name":
        return [(site.text, written, False)]
    assert site.receiver is not None
    first, last, atom = site.receiver
    # an untouched receiver is libcst's own node: its tokens keep their lines
    untouched = atom and not any(first <= s.start and s.end <= last for s in sites)
    receiver = [(text, at, untouched) for text, at, _ in _splice(cell, sites, first, last)]
    if not atom:
        receiver = [(b"(", written, False), *receiver, (b")", written, False)]
    # the call's own `(` and spacing, then the arguments after the receiver
    opening = (cell.data[site.opening : first], site.opening, True)
    return [
        *receiver,
        (b"." + site.path, written, False),
        opening,
        *_splice(cell, sites, site.rest, site.end),
    ]


def _origins(cell: _Cell, pieces: list[_Piece]) -> tuple[int, ...] | None:
    """For each output line, the input line of its first token (of the newline
    that ends it, for a blank line; the last line after a final newline); None
    when a line starts with text whose line libcst derives from the nodes it
    builds (left to libcst)."""
    origins: list[int | None] = [None]
    ends: list[int] = []
    for text, origin, kept in pieces:
        for i, byte in enumerate(text):
            line = cell.line_of(origin + i) if origin >= 0 else -1 - origin
            if byte == 0x0A:
                ends.append(line)
                origins.append(None)
            elif origins[-1] is None and byte not in b" \t\f":
                if not kept:
                    return None
                origins[-1] = line
    last = len(cell.starts) - 1
    out: list[int] = []
    for index, found in enumerate(origins):
        if found is None:
            found = ends[index] if index < len(ends) else last
        out.append(min(found, last))
    return tuple(out)


def rewrite_fast(source: str, table: AliasTable) -> tuple[str, tuple[int, ...]] | None:
    """`source` with its aliases rewritten and, for each of its lines, the 0-based
    line of `source` it comes from (libcst's map); None when the rewrite needs
    libcst (see the module's docstring)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in strings: the cell's business
            tree = ast.parse(source)
        cell = _Cell(source)
        sites = _sites(tree, cell, table)
        if any(b"\n" in cell.data[s.start : s.end] for s in sites if s.kind == "name"):
            return None
        pieces = _splice(cell, sites, 0, len(cell.data))
        text = b"".join(p for p, _, _ in pieces).decode("utf-8")
    except (SyntaxError, ValueError, _Fallback):
        return None
    count = source.count("\n") + 1
    if text.count("\n") + 1 == count and not any(
        s.joins or cell.line_of(s.start) != cell.line_of(s.end) for s in sites
    ):
        return text, tuple(range(count))  # every line where it was (libcst's map too)
    origins = _origins(cell, pieces)
    return None if origins is None else (text, origins)
