"""`#@save` capture from one code cell (DIALECT §5).

The rules are those of the existing toolchain, which real books were written
against, so they are line based:

* a mark (``# *@save`` anywhere on a line) keeps the code before it on that
  line (a `def`, `class` or decorator line, an assignment that opens a bracket);
* then it takes the following top-level (unindented, non-blank) lines: a run
  of imports, several assignments, the lines of a definition header;
* then the indented and blank lines after them (a body, the rest of a
  bracket), up to the next top-level line.

A standalone mark therefore saves the top-level statements that follow it up to
the first blank line, or one definition with its body. Every mark of a cell
contributes, in order, to the one block the cell saves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARK = re.compile(r"# *@save")
# `if` lines of the two generations of framework switches the old toolchain
# resolves textually (`tab.selected(...)`, and `d2l.USE_<FRAMEWORK>`, `d2l`
# being the book's library).
_SELECTED = "tab.selected"


@dataclass(frozen=True, slots=True)
class Mark:
    index: int  # 0-based line of the mark in the cell text (`\n`-separated)
    empty: bool  # the mark captured no code at all
    repeated: bool  # the mark lies in lines an earlier mark of the cell already saved


@dataclass(slots=True)
class Capture:
    lines: list[str] = field(default_factory=list)
    # for each captured line, the 0-based line of the cell text it comes from
    origin: list[int] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def has_mark(source: str) -> bool:
    return "@save" in source and MARK.search(source) is not None


def _split(source: str) -> tuple[list[str], list[int]]:
    """`source.splitlines()` (what the old toolchain cuts a cell into) and, for
    each of its lines, the index of the `\n`-separated line it is part of."""
    parts = source.split("\n")
    if source.endswith("\n"):
        parts.pop()
    whole = source.splitlines()
    if whole == parts:  # the common case: `\n` is the only line boundary
        return whole, list(range(len(parts)))
    lines: list[str] = []
    index: list[int] = []
    for k, part in enumerate(parts):
        pieces = part.splitlines() or [""]
        lines.extend(pieces)
        index.extend([k] * len(pieces))
    return lines, index


def capture(source: str) -> Capture:
    """The lines every save mark of `source` takes, in order."""
    lines, index = _split(source)
    result = Capture()
    count = len(lines)
    covered = -1  # last line index taken by an earlier mark
    for i, line in enumerate(lines):
        if "@save" not in line:
            continue
        found = MARK.search(line)
        if found is None:
            continue
        head = line[: found.start()].rstrip()
        j = i + 1  # the mark takes lines i + 1 .. j - 1
        while j < count and lines[j] and not lines[j].startswith(" "):
            j += 1
        while j < count and (not lines[j] or lines[j].startswith(" ")):
            j += 1
        taken = lines[i + 1 : j]
        empty = not head and not any(text.strip() for text in taken)
        result.marks.append(Mark(index[i], empty, i <= covered))
        covered = max(covered, j - 1)
        if head:
            result.lines.append(head)
            result.origin.append(index[i])
        result.lines += taken
        result.origin += index[i + 1 : j]
    return result


def _leading_spaces(line: str) -> int:
    return len(line) - len(line.lstrip())


def has_switch(source: str, library: str) -> bool:
    """Whether `source` holds a framework switch `textual_select` resolves."""
    return _SELECTED in source or f"{library}.USE_" in source


def textual_select(source: str, framework: str, library: str) -> tuple[list[str], list[int]]:
    """The old toolchain's textual resolution of framework switches.

    Returns the kept lines and, for each, its 0-based index in `source`. An
    `if` line naming the switch opens a branch: the branch is kept (dedented by
    four columns) when the line names `framework`, dropped otherwise, blank
    lines included; the branch ends at the first non-blank line indented no
    deeper than the `if`. `else`/`elif` are not understood (the existing
    toolchain's behaviour, reproduced for byte-compatible libraries).
    """
    lines = source.split("\n")
    use = f"{library}.USE_"
    if _SELECTED in source:
        mark = _SELECTED
        double, single = f'"{framework}"', f"'{framework}'"

        def keeps(line: str) -> bool:
            return double in line or single in line
    elif use in source:
        mark = use
        name = use + framework.upper()

        def keeps(line: str) -> bool:
            return name in line
    else:
        return lines, list(range(len(lines)))
    kept: list[str] = []
    origin: list[int] = []
    mode = 0  # 0 outside a branch, 1 in a kept branch, 2 in a dropped one
    indent = 0
    for index, line in enumerate(lines):
        if mark in line and "if" in line:
            mode = 1 if keeps(line) else 2
            indent = _leading_spaces(line)
            continue
        if mode:
            rest = line.lstrip()
            if rest and len(line) - len(rest) <= indent:
                mode = 0
        if mode == 0:
            kept.append(line)
            origin.append(index)
        elif mode == 1:
            kept.append(line[4:])
            origin.append(index)
    return kept, origin
