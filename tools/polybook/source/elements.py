"""The parsed structure of prose: inline tokens and block elements, with book lines.

The source stage produces these (`source.blocks`, `source.inline`); check reads
roles and labels from them and render converts them to MyST without reading
the markdown again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property


class TokenKind(StrEnum):
    TEXT = "text"
    ESCAPE = "escape"  # a backslash and the character it escapes
    CODE = "code"  # a code span, ticks included
    MATH = "math"  # `$...$` or an inline `$$...$$`
    ROLE = "role"  # a valid reference or citation role
    TARGET = "target"  # `:label:`/`:eqlabel:` inside text
    SETTING = "setting"  # `:width:`/`:height:`/`:bibliography:` inside text
    BAD_ROLE = "bad_role"  # a role never closed, or with an invalid target
    MARK = "mark"  # a slide mark `(**`, `**)`, `[**`, `**]`
    DROPPED = "dropped"  # slide-only text `(~~...~~)`
    TAG = "tag"  # a bare `<word>` that is not HTML
    IMAGE = "image"  # `![alt](src)` inside text
    LINK_ROLE = "link_role"  # `[text](:numref:`x`)`


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # the source text of the token
    line: int  # book line where it starts
    role: str = ""  # the role's kind (ROLE, TARGET, SETTING, BAD_ROLE, LINK_ROLE)
    value: str = ""  # role content, image path, link target
    alt: str = ""  # image alt text, link text
    double: bool = False  # a role written with double backticks


@dataclass(frozen=True)
class Inline:
    """Inline content over one or more source lines (`text` joins them with newlines).

    Its tokens are scanned on first use (`source.inline.scan`): finding a
    page's labels needs only the few inlines that hold a target role.
    """

    lines: tuple[int, ...]  # book line of each line of the text
    raw: tuple[str, ...]  # the source lines

    @property
    def text(self) -> str:
        return "\n".join(self.raw)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        from polybook.source.inline import scan

        return scan(self.text, self.lines)


@dataclass(frozen=True, slots=True)
class Blank:
    line: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    inline: Inline

    @property
    def line(self) -> int:
        return self.inline.lines[0]


@dataclass(frozen=True, slots=True)
class Target:
    """A label naming the element it belongs to."""

    name: str
    line: int


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    title: Inline
    labels: tuple[Target, ...]
    line: int
    damaged: bool = False  # leading space or no space after the hashes


@dataclass(frozen=True, slots=True)
class Figure:
    src: str  # as written, spaces removed
    caption: Inline | None
    label: Target | None
    width: str | None
    height: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Table:
    caption: Inline | None
    label: Target | None
    rows: Inline  # rows, a row missing its leading `|` given one
    line: int  # the caption's line, or the first row's
    end_line: int


@dataclass(frozen=True, slots=True)
class Equation:
    indent: str
    body: tuple[tuple[str, int], ...]  # (text, book line) of each non-empty line
    label: Target | None
    line: int


@dataclass(frozen=True, slots=True)
class LabelLine:
    """A `:label:` alone on a line after a paragraph: it names the block before."""

    target: Target


@dataclass(frozen=True, slots=True)
class Bibliography:
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Fence:
    """A fenced listing, `eval_rst` block or toc as written (body lines with their lines)."""

    indent: str
    fence: str
    info: str
    body: tuple[tuple[str, int], ...]
    line: int
    close_line: int


Element = Blank | Paragraph | Heading | Figure | Table | Equation | LabelLine | Bibliography | Fence


def inlines(element: Element) -> tuple[Inline, ...]:
    """The inline contents of an element (titles, captions, paragraphs, rows)."""
    if isinstance(element, Paragraph):
        return (element.inline,)
    if isinstance(element, Heading):
        return (element.title,)
    if isinstance(element, Figure):
        return () if element.caption is None else (element.caption,)
    if isinstance(element, Table):
        return (element.rows,) if element.caption is None else (element.caption, element.rows)
    return ()
