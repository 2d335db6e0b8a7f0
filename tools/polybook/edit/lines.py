"""A page as lines of bytes, and a notebook cell's changes as edits of those lines.

A split cell maps each of its lines to a book line (`Cell.lines`). A notebook
line is *verbatim* when the page's line is that text, or that text behind
whitespace that the split removed (a `tab.selected` branch body is dedented):
such a line can be written back exactly, its indentation restored. Lines
made by a rewrite (an alias, the `%%bash` line of a bash cell, lines joined
into one) are not verbatim: changing one is refused.

The changes of a cell are the line differences between the cell as split
and the cell as saved in Jupyter (difflib). Each becomes an edit of a range of
book lines; one that cannot be placed exactly is refused with its reason.
Nothing here writes a file.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from polybook.diagnostics import Code, Diagnostic
from polybook.split.model import Cell, CellKind

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class PageLines:
    """The page's bytes split after each `\\n`: every byte is kept (`to_bytes`)."""

    raw: tuple[bytes, ...]  # each line without its end of line
    eols: tuple[bytes, ...]  # b"\\n", b"\\r\\n" or b"" (the last line)
    bom: bytes = b""

    @classmethod
    def from_bytes(cls, data: bytes) -> PageLines:
        bom = _BOM if data.startswith(_BOM) else b""
        parts = data[len(bom) :].split(b"\n")
        raw: list[bytes] = []
        eols: list[bytes] = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if not last and part.endswith(b"\r"):
                raw.append(part[:-1])
                eols.append(b"\r\n")
            else:
                raw.append(part)
                eols.append(b"" if last else b"\n")
        return cls(tuple(raw), tuple(eols), bom)

    def text(self, line: int) -> str | None:
        """Book line `line` (1-based) as text; None when out of range or not UTF-8."""
        if not 1 <= line <= len(self.raw):
            return None
        try:
            return self.raw[line - 1].decode("utf-8")
        except UnicodeDecodeError:
            return None

    def eol(self, line: int) -> bytes:
        """The end of line new lines near `line` get (the page's own)."""
        if 1 <= line <= len(self.eols) and self.eols[line - 1]:
            return self.eols[line - 1]
        return next((e for e in self.eols if e), b"\n")

    def to_bytes(self) -> bytes:
        return self.bom + b"".join(r + e for r, e in zip(self.raw, self.eols, strict=True))


@dataclass(frozen=True, slots=True)
class LineEdit:
    """Replace book lines `first`..`last` (1-based, inclusive; `last == first - 1`:
    insert before `first`) by `texts`."""

    first: int
    last: int
    texts: tuple[str, ...]
    order: int = 0  # the cell's position, for edits at the same place


def apply_edits(page: PageLines, edits: Sequence[LineEdit]) -> PageLines:
    """The page with `edits` applied (they must not overlap: `check_overlaps`).
    New lines take the page's end of line; the page's last line keeps its own
    (none, when the file ends without one)."""
    raw, eols = list(page.raw), list(page.eols)
    for edit in sorted(edits, key=lambda e: (e.first, e.order), reverse=True):
        eol = page.eol(max(edit.first - 1, 1) if edit.last < edit.first else edit.last)
        new_raw = [t.encode("utf-8") for t in edit.texts]
        new_eols = [eol] * len(new_raw)
        at_end = edit.last >= len(raw)  # the page's last line is replaced or appended to
        if at_end and new_raw:
            if edit.last < edit.first and eols and not eols[-1]:
                eols[-1] = eol  # appending after a last line without an end of line
                new_eols[-1] = b""
            elif edit.last >= edit.first:
                new_eols[-1] = eols[edit.last - 1]
        raw[edit.first - 1 : edit.last] = new_raw
        eols[edit.first - 1 : edit.last] = new_eols
    return PageLines(tuple(raw), tuple(eols), page.bom)


def trimmed(source: str) -> list[str]:
    """A cell's lines without blank lines at either end (the parse trims them)."""
    lines = source.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


@dataclass(frozen=True, slots=True)
class _Line:
    book: int
    prefix: str | None  # the indentation the split removed; None: not verbatim
    blank: bool


def _classify(cell: Cell, page: PageLines) -> list[_Line]:
    texts = cell.source.split("\n")
    counts: dict[int, int] = {}
    for book in cell.lines:
        counts[book] = counts.get(book, 0) + 1
    out: list[_Line] = []
    for text, book in zip(texts, cell.lines, strict=True):
        on_page = page.text(book)
        prefix: str | None = None
        if on_page is not None and counts[book] == 1:
            if on_page == text:
                prefix = ""
            elif text.strip() and on_page.endswith(text):
                head = on_page[: len(on_page) - len(text)]
                prefix = head if not head.strip() else None
            elif not text.strip() and not on_page.strip():
                prefix = ""
        out.append(_Line(book, prefix, not text.strip()))
    return out


class Refused(Exception):
    """A change that cannot be written back exactly."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _refuse(code: Code, file: str, line: int, what: str, message: str) -> Refused:
    return Refused(Diagnostic.make(code, file, line, f"{what}: {message}; nothing was written"))


def describe(cell: Cell) -> str:
    kind = "code cell" if cell.kind is CellKind.CODE else "markdown cell"
    return f"the {kind} at line {cell.line} ({cell.id})"


def _indented(prefix: str, text: str) -> str:
    return prefix + text if text.strip() else text


def _common_prefix(lines: Sequence[_Line]) -> str | None:
    """The one prefix of the non-blank lines (blank lines fit any); None if they differ."""
    found = {ln.prefix for ln in lines if not ln.blank}
    if len(found) > 1:
        return None
    return found.pop() if found else ""


def cell_edits(
    cell: Cell, saved: Sequence[str], page: PageLines, file: str, order: int
) -> list[LineEdit]:
    """The book line edits that turn `cell` (as split) into `saved` (its lines
    as saved in Jupyter, `trimmed`); raises Refused."""
    old = cell.source.split("\n")
    info = _classify(cell, page)
    what = describe(cell)
    edits: list[LineEdit] = []
    matcher = difflib.SequenceMatcher(None, old, list(saved), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        new = list(saved[j1:j2])
        for k in range(i1, i2):
            if info[k].prefix is None:
                raise _refuse(
                    Code.EDIT_LINE_NOT_VERBATIM,
                    file,
                    info[k].book,
                    what,
                    f"its line {k + 1} is not the page's text (the split rewrote it: "
                    "an alias, a joined call or the %%bash line); edit the page instead",
                )
        if tag == "replace" and i2 - i1 == j2 - j1:  # line for line: always exact
            for k, text in zip(range(i1, i2), new, strict=True):
                prefix = info[k].prefix or ""
                edits.append(
                    LineEdit(info[k].book, info[k].book, (_indented(prefix, text),), order)
                )
            continue
        if i2 > i1:  # lines replaced or deleted
            span = info[i1:i2]
            if any(b.book != a.book + 1 for a, b in itertools.pairwise(span)):
                raise _refuse(
                    Code.EDIT_SPAN,
                    file,
                    span[0].book,
                    what,
                    f"the change of its lines {i1 + 1}-{i2} spans page lines this "
                    "notebook does not show (another framework's branch or a marker)",
                )
            common = _common_prefix(span)
            if common is None:
                raise _refuse(
                    Code.EDIT_SPAN,
                    file,
                    span[0].book,
                    what,
                    f"the change of its lines {i1 + 1}-{i2} joins lines of a "
                    "tab.selected branch and shared lines",
                )
            texts = tuple(_indented(common, t) for t in new)
            edits.append(LineEdit(span[0].book, span[-1].book, texts, order))
            continue
        edits.append(_insertion(info, i1, new, file, what, order))
    return edits


def _insertion(
    info: Sequence[_Line], at: int, new: Sequence[str], file: str, what: str, order: int
) -> LineEdit:
    """Lines inserted before the cell's line `at` (0-based)."""
    before = info[at - 1] if at > 0 else None
    after = info[at] if at < len(info) else None
    # (position in the book, prefix) for each side that can take them
    sides: list[tuple[int, str]] = []
    if before is not None and before.prefix is not None:
        sides.append((before.book + 1, "" if before.blank else before.prefix))
    if after is not None and after.prefix is not None:
        sides.append((after.book, "" if after.blank else after.prefix))
    if not sides:
        line = (before or after or _Line(0, None, True)).book
        raise _refuse(
            Code.EDIT_LINE_NOT_VERBATIM,
            file,
            line,
            what,
            f"lines inserted at its line {at + 1} sit next to lines the split rewrote",
        )
    positions = {p for p, _ in sides}
    prefixes = {x for _, x in sides}
    if len(sides) == 2 and (len(positions) > 1 or len(prefixes) > 1):
        # Next to a tab.selected branch: the branch keeps the change to this
        # framework; two different places otherwise are a guess.
        branch = [s for s in sides if s[1]]
        if len(branch) != 1:
            raise _refuse(
                Code.EDIT_AMBIGUOUS_INSERT,
                file,
                sides[0][0] - 1,
                what,
                f"lines inserted at its line {at + 1} could go to page line "
                f"{sides[0][0]} or {sides[1][0]} (lines this notebook does not show lie "
                "between); add them in the page",
            )
        sides = branch
    position, prefix = sides[0]
    return LineEdit(position, position - 1, tuple(_indented(prefix, t) for t in new), order)


def check_overlaps(edits: Sequence[LineEdit], file: str) -> None:
    """Edits of different cells never touch the same book line (raises Refused)."""
    taken: dict[int, int] = {}
    for edit in edits:
        for line in range(edit.first, edit.last + 1):
            if taken.setdefault(line, edit.order) != edit.order:
                raise _refuse(
                    Code.EDIT_SPAN, file, line, f"page line {line}", "two cells change it"
                )
