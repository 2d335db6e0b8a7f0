"""``Defined in :numref:`sec_x` `` notes on saved definitions.

The placement is the one existing library files have (so that they
regenerate byte for byte): for each top-level line of a block that starts
with `def` or `class`, the note goes after the first line from there on that
contains `):` (the end of a signature such as ``def f(x):`` or
``class C(B):``). A one-line docstring found there gets the note appended
after a blank line; otherwise a docstring holding only the note is inserted.
A ``class C:`` without a base therefore gets its note in its first method, and
a ``def f(x) -> T:`` signature in the next definition with a `):` line, if any.

Clean mode (`add_notes_clean`) puts the note at the end of each top-level
definition's own docstring, or adds a docstring holding the note.

Both return, with the text, the line of the block each line comes from, so
that positions in a noted block lead back to the page (a note line counts as
the line it was placed after).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import NamedTuple, TypeVar

_QUOTES = '"""'
_SINGLE = "'''"
_T = TypeVar("_T")


class Noted(NamedTuple):
    """A block with its notes, and for each of its lines the 0-based line of the
    block it comes from."""

    text: str
    origin: tuple[int, ...]


def split_before(lines: list[_T], starts: Callable[[_T], bool]) -> list[list[_T]]:
    """`lines` cut before every line for which `starts` holds (the first part
    holds the lines before the first such line, possibly none)."""
    parts: list[list[_T]] = []
    begin = 0
    for i, line in enumerate(lines):
        if starts(line):
            parts.append(lines[begin:i])
            begin = i
    parts.append(lines[begin:])
    return parts


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def note_text(label: str) -> str:
    return f"Defined in :numref:`{label}`"


def _noted(lines: list[tuple[int, str]]) -> Noted:
    return Noted("\n".join(text for _, text in lines), tuple(line for line, _ in lines))


def _unchanged(block: str) -> Noted:
    return Noted(block, tuple(range(block.count("\n") + 1)))


def add_notes(block: str, label: str) -> Noted:
    """`block` with a section note on each of its top-level definitions."""
    if not label or ("def" not in block and "class" not in block):
        return _unchanged(block)
    lines = block.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith(("def", "class"))]
    if not starts:
        return _unchanged(block)
    note = note_text(label) + _QUOTES
    texts: list[str] = []
    origin: list[int] = []
    done = 0  # lines before this one are in `texts`
    for begin, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        sign = next((i for i in range(begin, end) if "):" in lines[i]), None)
        if sign is None:
            continue
        after = sign + 1
        if after < end and "):" not in lines[after]:
            doc = lines[after]
        else:
            doc = _indent(lines[begin]) + "    "
        texts += lines[done:after]
        origin += range(done, after)
        if doc.lstrip().startswith(_QUOTES) and doc.endswith(_QUOTES):
            texts += [doc[:-3], "", _indent(doc) + note]  # the note ends the docstring
            origin += [after] * 3
            done = after + 1
        else:
            texts.append(f"{_indent(doc)}{_QUOTES}{note}")  # a docstring holding the note
            origin.append(sign)
            done = after
    texts += lines[done:]
    origin += range(done, len(lines))
    return Noted("\n".join(texts), tuple(origin))


def _docstring_end(lines: list[tuple[int, str]], node: ast.Expr, indent: str, note: str) -> None:
    """Append the note to the docstring `node` (in place in `lines`)."""
    end = (node.end_lineno or node.lineno) - 1
    where, closing = lines[end]
    if closing.strip() in (_QUOTES, _SINGLE):
        lines[end:end] = [(where, ""), (where, indent + note)]
        return
    text = closing.rstrip()
    if not text.endswith((_QUOTES, _SINGLE)):
        return  # a docstring in single quotes: left alone
    lines[end : end + 1] = [(where, text[:-3]), (where, ""), (where, indent + note + text[-3:])]


def add_notes_clean(block: str, label: str) -> Noted | None:
    """`block` with the note in the docstring of each top-level function and
    class (a docstring holding the note is added where there is none). None
    when the block does not parse."""
    if not label:
        return _unchanged(block)
    lines = list(enumerate(block.split("\n")))
    try:
        tree = ast.parse(block)
    except SyntaxError:
        return None
    note = note_text(label)
    definitions = [
        n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    for node in reversed(definitions):  # bottom-up keeps earlier line numbers valid
        first = node.body[0]
        if first.lineno == node.lineno:
            continue  # a body on the `def` line: no room for a docstring
        indent = _indent(lines[first.lineno - 1][1])
        doc = first.value if isinstance(first, ast.Expr) else None
        if isinstance(doc, ast.Constant) and isinstance(doc.value, str):
            assert isinstance(first, ast.Expr)
            _docstring_end(lines, first, indent, note)
        else:  # a new docstring, counted as the signature's last line
            where = lines[first.lineno - 2][0]
            lines.insert(first.lineno - 1, (where, f"{indent}{_QUOTES}{note}{_QUOTES}"))
    return _noted(lines)
