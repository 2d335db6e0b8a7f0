"""Line edits of a page's text, shown as a unified diff and written atomically.

An edit replaces the book lines `first..last` (1-based, inclusive; `last =
first - 1` inserts before `first`) by new lines. Edits come from the parse's
positions (a cell's fence lines, an element's line); every other line of the
page is kept byte for byte.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from polybook.files import write_atomic


@dataclass(frozen=True, slots=True)
class Edit:
    first: int
    last: int
    lines: tuple[str, ...]

    @classmethod
    def insert_after(cls, line: int, lines: Sequence[str]) -> Edit:
        return cls(line + 1, line, tuple(lines))

    @classmethod
    def replace(cls, first: int, last: int, lines: Sequence[str]) -> Edit:
        return cls(first, last, tuple(lines))


class EditConflict(Exception):
    """Two edits touch the same lines."""


@dataclass(frozen=True, slots=True)
class PageText:
    """A page's text as lines (without their `\\n`) and whether it ends with one."""

    lines: tuple[str, ...]
    final_newline: bool
    crlf: bool = False  # every line ends with "\r": new lines get one too

    @classmethod
    def parse(cls, text: str) -> PageText:
        lines = text.split("\n")
        final = bool(lines) and lines[-1] == ""
        if final:
            lines.pop()
        crlf = bool(lines) and all(line.endswith("\r") for line in lines if line)
        return cls(tuple(lines), final, crlf)

    @classmethod
    def read(cls, path: Path) -> PageText:
        return cls.parse(path.read_bytes().decode("utf-8", errors="surrogateescape"))

    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.final_newline else "")

    def data(self) -> bytes:
        return self.text().encode("utf-8", errors="surrogateescape")

    def line(self, number: int) -> str:
        """Line `number` (1-based) without its line end."""
        return self.lines[number - 1].removesuffix("\r")

    def apply(self, edits: Sequence[Edit]) -> PageText:
        ordered = sorted(edits, key=lambda e: (e.first, e.last))
        for a, b in itertools.pairwise(ordered):
            if b.first <= a.last or (b.first == a.first and a.last >= a.first):
                raise EditConflict(f"edits at lines {a.first} and {b.first} overlap")
        lines = list(self.lines)
        end = "\r" if self.crlf else ""
        for edit in reversed(ordered):
            lines[edit.first - 1 : edit.last] = [line + end for line in edit.lines]
        return PageText(tuple(lines), self.final_newline or not lines, self.crlf)


def unified_diff(before: PageText, after: PageText, file: str) -> str:
    diff = difflib.unified_diff(
        list(before.lines), list(after.lines), f"a/{file}", f"b/{file}", lineterm=""
    )
    out = "\n".join(diff)
    return out + "\n" if out else ""


def write_page(path: Path, text: PageText) -> None:
    write_atomic(path, text.data())
