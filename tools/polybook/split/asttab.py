"""`tab.selected` resolution without libcst, for the cells where that gives the same result.

Cells that mention `tab.selected` hold `if`/`elif`/`else` chains whose tests
are `tab.selected(...)` calls (with `and`, `or`, `not`). libcst's resolution
(`split.tabselect`) amounts to line surgery that Python's own parser (`ast`)
and tokenizer can place, once each line's owner is known the way libcst's
parser assigns it (`split.pylines`): the chosen branch's lines move out one
level (a line that began with its owner block's indentation loses one level;
the others, and the lines inside strings or after a backslash, stay as
written); the other branches, the `if`/`elif`/`else` lines and the footers of
the branches' blocks go; a chain that keeps nothing takes with it the blank
and comment lines that lead it (at the top of a cell they are the module's
header and stay); a block left empty gets a `pass` line, which stands for the
first `if` that emptied it. Chains inside chosen branches are resolved first.
Each output line is an input line, so the line map is exact.

Anything else answers None and the caller takes libcst's path: a test that is
not static, a `tab.selected` outside an `if` test, a body on the `if` line, a
cell that ends with comment or indented lines (which libcst does not keep
faithfully), tabs in indentation, a cell `ast` cannot parse.
`tests/split/test_asttab.py` compares the two on the book, the seed pages and
generated cells.
"""

from __future__ import annotations

import ast
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from polybook.split.ipython import mask, unmask
from polybook.split.pylines import Lines, indent
from polybook.split.resolved import Resolution


class _Fallback(Exception):
    """The cell needs libcst."""


def _selected(node: ast.expr) -> frozenset[str] | None:
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "tab"
        and node.func.attr == "selected"
        and not node.keywords
    ):
        return None
    names: set[str] = set()
    for arg in node.args:
        items = arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]
        for item in items:
            if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
                raise _Fallback
            names.add(item.value)
    return frozenset(names)


def _truth(node: ast.expr, framework: str) -> bool | None:
    names = _selected(node)
    if names is not None:
        return framework in names
    if isinstance(node, ast.BoolOp):
        values = [_truth(v, framework) for v in node.values]
        if any(v is None for v in values):
            return None
        return any(values) if isinstance(node.op, ast.Or) else all(values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _truth(node.operand, framework)
        return None if inner is None else not inner
    return None


@dataclass(frozen=True, slots=True)
class _Branch:
    test: ast.expr | None  # None: the `else`
    first: int  # 0-based line after its header
    last: int  # 0-based last line of its last statement
    body_indent: str


@dataclass(frozen=True, slots=True)
class _Chain:
    start: int  # 0-based line of the `if`
    end: int  # 0-based last line of the chain
    indent: str
    branches: tuple[_Branch, ...]
    above: int  # first of the blank and comment lines just above it that it owns
    block: int  # which block it is in
    block_size: int  # statements in that block (0: the module, which may be empty)
    parent: int | None  # the chain whose branch holds it


def _chain(
    node: ast.If, cell: Lines, block: list[ast.stmt], index: int, module: bool, parent: int | None
) -> _Chain:
    start = node.lineno - 1
    own = indent(cell.lines[start])
    branches: list[_Branch] = []
    current: ast.If | None = node
    header = start
    while current is not None:
        body = current.body
        if body[0].lineno - 1 == header:
            raise _Fallback  # `if x: y` on one line
        last = _with_inner_footers(cell, _last_line(body), body[0])
        branches.append(
            _Branch(current.test, header + 1, last, indent(cell.lines[body[0].lineno - 1]))
        )
        orelse = current.orelse
        current = None
        if not orelse:
            break
        header = _header(cell, last + 1, orelse[0].lineno - 1, own)
        keyword = cell.lines[header].strip()
        if keyword.startswith("elif") and len(orelse) == 1 and isinstance(orelse[0], ast.If):
            current = orelse[0]
            if orelse[0].lineno - 1 != header:
                raise _Fallback
            continue
        if not keyword.startswith("else") or orelse[0].lineno - 1 == header:
            raise _Fallback
        last = _with_inner_footers(cell, _last_line(orelse), orelse[0])
        branches.append(_Branch(None, header + 1, last, indent(cell.lines[orelse[0].lineno - 1])))
    end = branches[-1].last
    level = len(own)
    # below: the footers of the blocks inside the chain go with it
    after = end
    while after + 1 < len(cell) and cell.gap(after + 1):
        after += 1
        if cell.owner.get(after, 0) > level:
            end = after
    # above: the blank and comment lines that lead the `if` (not the footers
    # of the statement before); at the top of the module they are its header
    above = start
    while above > 0 and cell.gap(above - 1) and cell.owner.get(above - 1) == level:
        above -= 1
    if module and index == 0:
        above = start
    size = 0 if module else len(block)
    return _Chain(start, end, own, tuple(branches), above, id(block), size, parent)


def _with_inner_footers(cell: Lines, last: int, first: ast.stmt) -> int:
    """The last line of a branch: its last statement and the footers of the
    blocks inside it (its own footer is lost when the branch is taken)."""
    level = len(indent(cell.lines[first.lineno - 1]))
    at = last
    while at + 1 < len(cell) and cell.gap(at + 1):
        at += 1
        if cell.owner.get(at, 0) > level:
            last = at
    return last


def _last_line(body: list[ast.stmt]) -> int:
    end = body[-1].end_lineno
    if end is None:
        raise _Fallback
    return end - 1


def _header(cell: Lines, first: int, last: int, own: str) -> int:
    """The `elif`/`else` line between two branches."""
    found = [
        i
        for i in range(first, last + 1)
        if i in cell.starts and not cell.gap(i) and indent(cell.lines[i]) == own
    ]
    if len(found) != 1:
        raise _Fallback
    return found[0]


def _chains(tree: ast.Module, cell: Lines) -> list[_Chain]:
    found: list[_Chain] = []

    def visit(block: list[ast.stmt], parent: int | None, module: bool) -> None:
        for index, stmt in enumerate(block):
            if isinstance(stmt, ast.If) and any(_mentions(test) for test in _tests(stmt)):
                found.append(_chain(stmt, cell, block, index, module, parent))
                here = len(found) - 1
                for body in _branch_bodies(stmt):
                    visit(body, here, False)
                continue
            for child in _blocks(stmt):
                visit(child, parent, False)

    visit(tree.body, None, True)
    calls = sum(1 for n in ast.walk(tree) if isinstance(n, ast.expr) and _selected_or_none(n))
    in_tests = sum(
        1
        for chain in found
        for branch in chain.branches
        if branch.test is not None
        for n in ast.walk(branch.test)
        if isinstance(n, ast.expr) and _selected_or_none(n)
    )
    if calls != in_tests:
        raise _Fallback  # `tab.selected` outside the tests of `if` chains
    return found


def _tests(node: ast.If) -> list[ast.expr]:
    tests = [node.test]
    while len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
        node = node.orelse[0]
        tests.append(node.test)
    return tests


def _branch_bodies(node: ast.If) -> list[list[ast.stmt]]:
    bodies = [node.body]
    while len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
        node = node.orelse[0]
        bodies.append(node.body)
    if node.orelse:
        bodies.append(node.orelse)
    return bodies


def _mentions(node: ast.expr) -> bool:
    return any(_selected_or_none(n) for n in ast.walk(node) if isinstance(n, ast.expr))


def _selected_or_none(node: ast.expr) -> bool:
    return _selected(node) is not None


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    out = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(stmt, name, None)
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            out.append(value)
    for handler in getattr(stmt, "handlers", ()):
        out.append(handler.body)
    for case in getattr(stmt, "cases", ()):
        out.append(case.body)
    return out


def _choose(chain: _Chain, framework: str) -> _Branch | None:
    for branch in chain.branches:
        if branch.test is None:
            return branch
        value = _truth(branch.test, framework)
        if value is None:
            raise _Fallback  # a test that is not static
        if value:
            return branch
    return None


def _resolve(cell: Lines, chains: list[_Chain], framework: str) -> Resolution:
    chosen = [_choose(chain, framework) for chain in chains]
    gone: dict[int, int] = {}
    for chain, branch in zip(chains, chosen, strict=True):
        if branch is None:
            gone[chain.block] = gone.get(chain.block, 0) + 1
    # a block left without statements gets libcst's `pass`, from its first `if`
    emptied = {c.block for c in chains if c.block_size and gone.get(c.block) == c.block_size}

    order = sorted(range(len(chains)), key=lambda i: chains[i].start)  # source order

    def region(first: int, stop: int, parent: int | None) -> list[tuple[int, str]]:
        """Lines first..stop-1 with the chains directly inside resolved."""
        out: list[tuple[int, str]] = []
        at = first
        for index in order:
            chain = chains[index]
            if chain.parent != parent or not first <= chain.start < stop:
                continue
            branch = chosen[index]
            out += [
                (i, cell.lines[i])
                for i in range(at, chain.above if branch is None else chain.start)
            ]
            if chain.block in emptied:
                emptied.discard(chain.block)
                out.append((chain.start, chain.indent + "pass"))
            if branch is not None:
                body = len(branch.body_indent)
                for i, line in region(branch.first, branch.last + 1, index):
                    # libcst writes a line again only if it began with its owner's indentation
                    owner = cell.owner.get(i)
                    written = len(indent(cell.lines[i]))  # as the parser saw it
                    if owner is not None and owner >= body and written >= owner:
                        line = line[: len(chain.indent)] + line[body:]
                    out.append((i, line))
            at = chain.end + 1
        out += [(i, cell.lines[i]) for i in range(at, stop)]
        return out

    lines = region(0, len(cell), None)
    text = "\n".join(line for _, line in lines)
    if not text.strip():
        return Resolution("", (0,))
    return Resolution(text, tuple(i for i, _ in lines))


def resolve_line_by_line(source: str, frameworks: Sequence[str]) -> dict[str, Resolution] | None:
    """`source` resolved for each framework, each output line an input line; None
    when the cell needs libcst (see the module's docstring)."""
    masked, originals = mask(source)
    if any("\t" in indent(line) for line in masked.split("\n")):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(masked)
        cell = Lines(masked)
        if cell.ragged_end:
            return None
        chains = _chains(tree, cell)
        out: dict[str, Resolution] = {}
        for framework in frameworks:
            resolution = _resolve(cell, chains, framework)
            out[framework] = Resolution(unmask(resolution.text, originals), resolution.origin)
    except (SyntaxError, ValueError, tokenize.TokenError, _Fallback):
        return None
    return out
