"""Typed records of the library stage: saved blocks, generated files, results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from polybook.diagnostics import Diagnostic


class Mode(StrEnum):
    """How faithfully the existing toolchain's output is reproduced."""

    # Byte for byte what d2lbook 1.0.3 writes, known defects included.
    COMPAT = "compat"
    # The known defects fixed (see the stage README).
    CLEAN = "clean"


class LibraryError(Exception):
    """A problem that stops the library stage before anything is written."""


@dataclass(frozen=True, slots=True)
class SavedBlock:
    """The code one cell saves into a framework's library."""

    text: str  # captured, normalised code with its ``Defined in`` notes
    label: str  # section label for the ``Defined in`` note ("" for none)
    file: str  # page file, as shown in diagnostics
    line: int  # page line of the cell's first save mark
    # page line of each line of `text` (a note line: the line it was placed after)
    lines: tuple[int, ...] = ()

    def book_line(self, index: int) -> int:
        """Page line of the 0-based line `index` of `text` (`line` when unknown)."""
        if 0 <= index < len(self.lines):
            return self.lines[index]
        return self.line


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    path: Path  # absolute
    text: str
    old: str | None  # current content on disk, None when the file does not exist

    @property
    def changed(self) -> bool:
        return self.old != self.text


@dataclass(slots=True)
class LibraryResult:
    """Everything the stage would write, computed in memory."""

    files: list[GeneratedFile] = field(default_factory=list)
    # framework -> module text, in configuration order (for parity)
    modules: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # framework -> the blocks its module was assembled from, in book order
    saved: dict[str, list[SavedBlock]] = field(default_factory=dict)
