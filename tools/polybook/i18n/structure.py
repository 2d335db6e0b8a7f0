"""The countable structure of a page (sections, figures, tables, equations)
and the labels on it, read from the parsed elements.

A label the origin puts on its k-th section (figure, table, equation) is
looked for on the translation's k-th one: that element is where a dropped
label belongs (`status` reports it there, `sync-code --labels` restores it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from polybook.source.elements import Element, Equation, Figure, Heading, LabelLine, Table
from polybook.source.model import Page, TextBlock, TextKind


class Kind(StrEnum):
    SECTION = "section"
    FIGURE = "figure"
    TABLE = "table"
    EQUATION = "equation"


PLURAL = {
    Kind.SECTION: "sections",
    Kind.FIGURE: "figures",
    Kind.TABLE: "tables",
    Kind.EQUATION: "equations",
}


@dataclass(frozen=True, slots=True)
class Item:
    """One countable element: its kind, its line, its labels and where a new
    label line may go (None: not restorable there)."""

    kind: Kind
    line: int
    labels: tuple[str, ...]
    insert_after: int | None
    role: str = "label"  # the role that names it (`eqlabel` for equations)


@dataclass(frozen=True, slots=True)
class Structure:
    items: tuple[Item, ...]
    floating: tuple[tuple[str, int], ...]  # labels alone on a line: (name, line)

    def of(self, kind: Kind) -> list[Item]:
        return [item for item in self.items if item.kind is kind]

    @property
    def labels(self) -> dict[str, int]:
        """Every label of the page and its line."""
        found = {name: line for name, line in self.floating}
        for item in self.items:
            for name in item.labels:
                found.setdefault(name, item.line)
        return found


def _elements(page: Page) -> Iterator[Element]:
    for block in page.blocks:
        if isinstance(block, TextBlock) and block.kind is TextKind.PROSE:
            yield from block.elements


def structure(page: Page) -> Structure:
    items: list[Item] = []
    floating: list[tuple[str, int]] = []
    for element in _elements(page):
        if isinstance(element, Heading):
            after = element.labels[-1].line if element.labels else element.line
            names = tuple(t.name for t in element.labels)
            items.append(Item(Kind.SECTION, element.line, names, after))
        elif isinstance(element, Figure):
            names = (element.label.name,) if element.label else ()
            items.append(Item(Kind.FIGURE, element.line, names, element.line))
        elif isinstance(element, Table):
            names = (element.label.name,) if element.label else ()
            items.append(Item(Kind.TABLE, element.line, names, element.end_line))
        elif isinstance(element, Equation):
            names = (element.label.name,) if element.label else ()
            items.append(Item(Kind.EQUATION, element.line, names, None, "eqlabel"))
        elif isinstance(element, LabelLine):
            floating.append((element.target.name, element.target.line))
    return Structure(tuple(items), tuple(floating))


@dataclass(frozen=True, slots=True)
class DroppedLabel:
    """A label of the origin that the translation lacks."""

    name: str
    origin_line: int
    kind: Kind | None  # None: a floating label
    index: int  # its element's position among the elements of its kind
    counterpart: Item | None  # the translation's element at that position


def dropped_labels(origin: Structure, target: Structure) -> list[DroppedLabel]:
    have = set(target.labels)
    out: list[DroppedLabel] = []
    for kind in Kind:
        mine, theirs = origin.of(kind), target.of(kind)
        for index, item in enumerate(mine):
            for name in item.labels:
                if name in have:
                    continue
                other = theirs[index] if index < len(theirs) else None
                out.append(DroppedLabel(name, item.line, kind, index, other))
    for name, line in origin.floating:
        if name not in have:
            out.append(DroppedLabel(name, line, None, -1, None))
    return sorted(out, key=lambda d: d.origin_line)
