"""`#@save` capture on the syntax tree (clean mode).

The same placements as the line rules of `capture.py`, applied to whole
statements, so that the defects of the line rules go away: a bracket closed
at column 0 is kept, a mark inside code already saved does not save it twice,
a mark on a one-line `def` or on the last line of a long signature saves that
definition, a mark on an indented line saves its statement, dedented.

* A mark trailing code saves the statement that line belongs to (the
  innermost one whose header holds it: `class A:  #@save` saves the class,
  `    def f(self):  #@save` the method); after a one-line simple statement
  the run of statements that directly follows it is saved too, as the line
  rules do.
* A standalone mark saves the statements that follow it directly (no blank
  line in between) in the same block: one-line simple statements up to, and
  including, the first compound or multi-line one (a definition ends the run).
"""

from __future__ import annotations

import ast
import io
import tokenize

from polybook.library.capture import MARK, Capture, Mark

_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)


def _first(node: ast.stmt) -> int:
    """1-based first line of a statement, decorators included."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _last(node: ast.stmt) -> int:
    return node.end_lineno or node.lineno


def _blocks(node: ast.AST) -> list[list[ast.stmt]]:
    """The statement lists directly inside a compound statement."""
    found: list[list[ast.stmt]] = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(node, name, None)
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            found.append(value)
    for part in list(getattr(node, "handlers", [])) + list(getattr(node, "cases", [])):
        found.append(part.body)
    return found


def _find(block: list[ast.stmt], line: int, standalone: bool) -> tuple[list[ast.stmt], int]:
    """Where 1-based `line` is: the innermost block and the index of the statement
    whose header holds it (a trailing mark), or of the statement after it (a
    standalone mark; possibly len(block))."""
    for index, node in enumerate(block):
        if line < _first(node):
            return block, index
        if line > _last(node):
            continue
        low = node.lineno + 1
        for inner in _blocks(node):
            if (low if standalone else _first(inner[0])) <= line <= _last(inner[-1]):
                return _find(inner, line, standalone)
            low = _last(inner[-1]) + 1
        return block, index
    return block, len(block)


def _run(block: list[ast.stmt], index: int, lines: list[str]) -> tuple[int, int]:
    """Statements of `block` from `index` on that follow each other without a
    blank line, up to and including the first compound or multi-line one (the
    line rules stop after indented lines): (index, last index)."""
    end = index
    while end + 1 < len(block):
        node = block[end]
        if isinstance(node, _COMPOUND) or _last(node) > _first(node):
            break
        if any(not g.strip() for g in lines[_last(node) : _first(block[end + 1]) - 1]):
            break
        end += 1
    return index, end


def _mark_lines(source: str) -> list[int] | None:
    """0-based lines with a `#@save` comment (not in a string); None if the
    source does not tokenize."""
    found: list[int] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and MARK.search(token.string):
                found.append(token.start[0] - 1)
    except (tokenize.TokenError, SyntaxError):
        return None
    return found


def capture_statements(source: str) -> Capture | None:
    """The statements every save mark of `source` takes; None when the source
    does not parse (the caller then uses the line rules)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    marks = _mark_lines(source)
    if marks is None:
        return None
    lines = source.split("\n")
    result = Capture()
    ranges: list[tuple[int, int]] = []  # 1-based inclusive line ranges, in order
    for index in marks:
        line = index + 1
        if any(a <= line <= b for a, b in ranges):
            result.marks.append(Mark(index, False, True))
            continue
        standalone = not _unmark(lines[index]).strip()
        block, at = _find(tree.body, line, standalone)
        if at >= len(block) or (
            standalone and any(not g.strip() for g in lines[line : _first(block[at]) - 1])
        ):
            result.marks.append(Mark(index, True, False))  # nothing directly below
            continue
        if standalone or not isinstance(block[at], _COMPOUND):
            start, end = _run(block, at, lines)
        else:
            start, end = at, at
        ranges.append((_first(block[start]), _last(block[end])))
        result.marks.append(Mark(index, False, False))
    for number, (a, b) in enumerate(ranges):
        kept = [k for k in range(a - 1, b) if _unmark(lines[k]) or not lines[k]]
        chunk = [_unmark(lines[k]) for k in kept]
        indent = chunk[0][: len(chunk[0]) - len(chunk[0].lstrip())]
        if number:  # a blank line between two statement runs
            result.lines.append("")
            result.origin.append(kept[0])
        result.lines.extend(t.removeprefix(indent) for t in chunk)
        result.origin.extend(kept)
    return result


def _unmark(line: str) -> str:
    found = MARK.search(line)
    return line if found is None else line[: found.start()].rstrip()
