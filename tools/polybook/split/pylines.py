"""The physical lines of a Python cell as a concrete syntax tree sees them.

`Lines` says which lines begin a logical line (a statement, a comment line, a
blank line between statements), which lines libcst keeps as written when it
re-indents a block (those inside a string, those after a backslash), and the
blank and comment lines around statements (`gap`), which libcst gives either
to the block above (its footer, when they are indented as deep as that
block) or to the statement below (its leading lines).
"""

from __future__ import annotations

import io
import tokenize


def indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


class Lines:
    def __init__(self, source: str) -> None:
        self.lines = source.split("\n")
        self.starts, self.verbatim = self._scan(source)

    @staticmethod
    def _scan(source: str) -> tuple[set[int], set[int]]:
        starts: set[int] = set()
        verbatim: set[int] = set()
        depth, previous, line = 0, tokenize.NEWLINE, -1
        readline = io.StringIO(source).readline
        for token in tokenize.generate_tokens(readline):
            kind = token.type
            if kind in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                continue
            first, last = token.start[0] - 1, token.end[0] - 1
            if first != line:
                if previous in (tokenize.NEWLINE, tokenize.NL):
                    if depth == 0:
                        starts.add(first)
                else:
                    verbatim.add(first)  # after a backslash
            verbatim.update(range(first + 1, last + 1))
            if kind == tokenize.OP and token.string in "([{":
                depth += 1
            elif kind == tokenize.OP and token.string in ")]}":
                depth -= 1
            previous, line = kind, last
        return starts, verbatim

    def __len__(self) -> int:
        return len(self.lines)

    def blank(self, index: int) -> bool:
        return not self.lines[index].strip()

    def comment(self, index: int) -> bool:
        return self.lines[index].lstrip().startswith("#")

    def gap(self, index: int) -> bool:
        """A blank or comment line between statements (not inside a string)."""
        return index in self.starts and (self.blank(index) or self.comment(index))

    def footer(self, first: int, last: int, depth: int) -> int | None:
        """The last line of a block's footer among the gap lines first..last (the
        run that ends with the last line indented `depth` or deeper; None: no
        footer). Raises ValueError when a shallower non-empty line comes before
        a deep one (whose owner this does not decide)."""
        found: int | None = None
        shallow = False
        for i in range(first, last + 1):
            line = self.lines[i]
            if not line:
                continue
            if len(indent(line)) >= depth:
                if shallow:
                    raise ValueError("a shallow line before a deep one")
                found = i
            else:
                shallow = True
        return found
