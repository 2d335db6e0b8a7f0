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
"""

from __future__ import annotations

import ast
from collections.abc import Callable

_QUOTES = '"""'


def split_before(lines: list[str], starts: Callable[[str], bool]) -> list[list[str]]:
    """`lines` cut before every line for which `starts` holds (the first part
    holds the lines before the first such line, possibly none)."""
    parts: list[list[str]] = []
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


def add_notes(block: str, label: str) -> str:
    """`block` with a section note on each of its top-level definitions."""
    if not label:
        return block
    note = note_text(label) + _QUOTES
    chunks = split_before(block.split("\n"), lambda line: line.startswith(("def", "class")))
    out = list(chunks[0])
    for chunk in chunks[1:]:
        parts = split_before(chunk, lambda line: "):" in line)
        if len(parts) > 1:
            body = parts[1]
            doc = body[1] if len(body) > 1 else _indent(chunk[0]) + "    "
            if doc.lstrip().startswith(_QUOTES) and doc.endswith(_QUOTES):
                body[1] = f"{doc[:-3]}\n\n{_indent(doc)}{note}"
            else:
                body.insert(1, f"{_indent(doc)}{_QUOTES}{note}")
        out.extend(line for part in parts for line in part)
    return "\n".join(out)


def _docstring_end(lines: list[str], node: ast.Expr, indent: str, note: str) -> None:
    """Append the note to the docstring `node` (in place in `lines`)."""
    end = (node.end_lineno or node.lineno) - 1
    closing = lines[end]
    if closing.strip() in (_QUOTES, "'''"):
        lines[end:end] = ["", indent + note]
        return
    text = closing.rstrip()
    if not text.endswith((_QUOTES, "'''")):
        return  # a docstring in single quotes: left alone
    lines[end] = f"{text[:-3]}\n\n{indent}{note}{text[-3:]}"


def add_notes_clean(block: str, label: str) -> str | None:
    """`block` with the note in the docstring of each top-level function and
    class (a docstring holding the note is added where there is none). None
    when the block does not parse."""
    if not label:
        return block
    try:
        tree = ast.parse(block)
    except SyntaxError:
        return None
    lines = block.split("\n")
    note = note_text(label)
    definitions = [
        n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    for node in reversed(definitions):  # bottom-up keeps earlier line numbers valid
        first = node.body[0]
        if first.lineno == node.lineno:
            continue  # a body on the `def` line: no room for a docstring
        indent = _indent(lines[first.lineno - 1])
        doc = first.value if isinstance(first, ast.Expr) else None
        if isinstance(doc, ast.Constant) and isinstance(doc.value, str):
            assert isinstance(first, ast.Expr)
            _docstring_end(lines, first, indent, note)
        else:
            lines.insert(first.lineno - 1, f"{indent}{_QUOTES}{note}{_QUOTES}")
    return "\n".join(lines)
