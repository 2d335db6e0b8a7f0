"""The physical lines of a Python cell as libcst's concrete syntax tree sees them.

When libcst moves a block (`tab.selected` resolution takes a branch's body
out of its `if`), it writes each line again at the block's new indentation
only if the line began with the indentation of the block libcst gives it to
(its *owner*); other lines, and the lines inside strings or after a
backslash, come out as written. `Lines` computes the owner of every line the
way libcst's parser assigns them:

- a statement's lines, and the lines inside its brackets: the statement's block;
- a blank or comment line between statements (a *gap* line): after a block
  ends, each block that ends there, innermost first, takes the gap lines up
  to the last one that begins with its indentation (its footer); the rest
  lead the next statement and belong to its block (at the end of the cell:
  the module's footer).

libcst does not keep every cell faithfully: it drops blank lines from a cell
that ends with comment or indented lines (`ragged_end`).
"""

from __future__ import annotations

import io
import tokenize


def indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


class Lines:
    def __init__(self, source: str) -> None:
        self.lines = source.split("\n")
        self.starts: set[int] = set()  # lines that begin a statement or are gap lines
        self.verbatim: set[int] = set()  # inside a string, after a backslash
        self.owner: dict[int, int] = {}  # the indentation of the block that owns a line
        self._scan(source)
        # libcst loses blank lines from the end of a cell that ends with comment
        # or indented lines (its module footer): such a cell is left to it
        last = len(self.lines) - 1
        self.ragged_end = bool(self.lines[last]) and not self.lines[last].strip()
        at = last - 1 if not self.lines[last] else last
        while at >= 0 and self.gap(at):
            self.ragged_end = self.ragged_end or bool(self.lines[at])
            at -= 1

    def __len__(self) -> int:
        return len(self.lines)

    def blank(self, index: int) -> bool:
        return not self.lines[index].strip()

    def comment(self, index: int) -> bool:
        return self.lines[index].lstrip().startswith("#")

    def gap(self, index: int) -> bool:
        """A blank or comment line between statements (not inside a string)."""
        return index in self.starts and (self.blank(index) or self.comment(index))

    def _scan(self, source: str) -> None:
        levels = [0]  # indentation of the open blocks
        run: list[int] = []  # gap lines since the last statement
        run_levels = levels[:]
        statement = 0  # the block level of the current statement
        depth, previous, line = 0, tokenize.NEWLINE, -1
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            kind = token.type
            if kind == tokenize.INDENT:
                levels.append(len(token.string))
            elif kind == tokenize.DEDENT:
                levels.pop()
            if kind in (tokenize.INDENT, tokenize.DEDENT):
                continue
            if kind == tokenize.ENDMARKER:
                self._settle(run, run_levels, [0])
                break
            first, last = token.start[0] - 1, token.end[0] - 1
            if first != line:
                if previous not in (tokenize.NEWLINE, tokenize.NL):
                    self.verbatim.add(first)  # after a backslash
                elif depth:
                    self.owner[first] = statement  # inside brackets
                else:
                    self.starts.add(first)
                    if kind in (tokenize.COMMENT, tokenize.NL):
                        if not run:
                            run_levels = levels[:]
                        run.append(first)
                    else:
                        self._settle(run, run_levels, levels)
                        run = []
                        statement = levels[-1]
                        self.owner[first] = statement
            self.verbatim.update(range(first + 1, last + 1))
            if kind == tokenize.OP and token.string in "([{":
                depth += 1
            elif kind == tokenize.OP and token.string in ")]}":
                depth -= 1
            previous, line = kind, last

    def _settle(self, run: list[int], before: list[int], after: list[int]) -> None:
        """Owners of the gap lines `run`: footers of the blocks that ended among
        them (`before` less `after`, innermost first), then the next statement's."""
        rest = run
        for level in reversed(before[len(after) :]):
            ends = [i for i, n in enumerate(rest) if self._starts_with(n, level)]
            if ends:
                for n in rest[: ends[-1] + 1]:
                    self.owner[n] = level
                rest = rest[ends[-1] + 1 :]
        for n in rest:
            self.owner[n] = after[-1]

    def _starts_with(self, index: int, level: int) -> bool:
        text = self.lines[index]
        return bool(text) and len(indent(text)) >= level
