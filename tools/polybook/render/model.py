"""Typed values shared by the conversion steps of the render stage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from polybook.diagnostics import Code


@dataclass(frozen=True, slots=True)
class Line:
    """One generated line and the 1-based line of the book page it came from."""

    text: str
    src: int


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the conversion noticed, at a line of the book page."""

    code: Code
    line: int
    message: str
    target: str | None = None


def _no_images(path: str) -> str | None:
    return path


def _inside(path: str) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    """How one markdown cell is converted.

    `resolve_image` maps an image path as written in the page to its path in
    the generated Sphinx source tree, or None when the file does not exist.
    `escape` says why a path the page names (a toc entry, a file an eval_rst
    directive reads) leads out of the book, `image_escape` the same of an
    image; None: it stays inside (`Book.escape`, `Book.image_escape`).
    """

    resolve_image: Callable[[str], str | None] = _no_images
    escape: Callable[[str], str | None] = _inside
    image_escape: Callable[[str], str | None] = _inside
    # False for the second and later copies of prose shown in several tabs:
    # labels (targets, figure and equation names) are emitted once per page.
    keep_targets: bool = True
    # Headings cannot live inside a tab; they become rubrics there.
    headings_as_rubric: bool = False


@dataclass(slots=True)
class Converted:
    lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def emit(self, text: str, src: int) -> None:
        self.lines.append(Line(text, src))

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
