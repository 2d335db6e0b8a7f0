"""One page's notebooks -> one generated notebook (MyST markdown + code + outputs).

The generated notebook's metadata `source_map` gives each cell a base line in
a virtual numbering of the page, so that Sphinx reports positions in it; the
page's position map translates a virtual line back to the book source line.

Markdown cells are converted from the page's parsed elements (the cell's line
map says which), so every generated line knows its book line exactly.

Four shapes:
  single   one framework's notebook, as is (or, where the framework has no
           code for the page, another framework's, under a notice);
  fallback one framework's notebook with another framework's cells in the
           sections where it has no code, each under a notice;
  prose    no notebook for the framework: the page's shared prose and a notice;
  tabbed   every framework's notebook merged: shared prose once, and each run
           of framework-specific cells as one tab set (one tab per framework
           that has cells there; sphinx_ext.py builds the tabs). Where a
           framework has no code in a section (or the page), each tab set
           there gets a tab for it too (`TabFill`): a notice, then the
           fallback framework's cells.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from polybook.render.model import ConvertOptions, Line, Problem
from polybook.render.myst import convert
from polybook.source.model import Page
from polybook.split.model import Cell, CellKind, Notebook

TAB_CLASS = "pb-tab"


def markdown_lines(
    cell: Cell, page: Page, opts: ConvertOptions
) -> tuple[list[Line], list[Problem]]:
    """MyST of a markdown cell: the parsed elements of the page lines it holds."""
    converted = convert(page.elements_at(frozenset(cell.lines)), opts)
    return converted.lines, converted.problems


@dataclass(frozen=True, slots=True)
class Notice:
    """An admonition placed after the page title (and `then`, another one,
    after it)."""

    title: str
    text: str
    css: str
    then: Notice | None = None

    def lines(self, src: int) -> list[Line]:
        texts = [
            "",
            f"```{{admonition}} {self.title}",
            f":class: warning pb-notice {self.css}",
            "",
            self.text,
            "```",
            "",
        ]
        own = [Line(t, src) for t in texts]
        return own + (self.then.lines(src)[1:] if self.then is not None else [])


@dataclass(frozen=True, slots=True)
class Generated:
    docname: str
    file: str  # the book page it comes from
    notebook: str  # JSON text
    positions: tuple[int, ...]  # book line of each virtual line (index = line - 1)
    problems: tuple[Problem, ...]


@dataclass(slots=True)
class _Doc:
    docname: str
    file: str
    page: Page
    opts: ConvertOptions
    notice: Notice | None = None
    cells: list[dict[str, Any]] = field(default_factory=list)
    source_map: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def _add(self, cell: dict[str, Any], lines: Sequence[int]) -> None:
        cell["id"] = f"c{len(self.cells)}"
        self.cells.append(cell)
        self.source_map.append(len(self.positions))
        self.positions.extend(lines or [0])

    def markdown(self, cell: Cell, opts: ConvertOptions, wrap: str | None = None) -> None:
        lines, problems = markdown_lines(cell, self.page, opts)
        self.problems.extend(problems)
        if self.notice is not None:
            lines = _with_notice(lines, self.notice, cell.line)
            self.notice = None
        if wrap is not None:
            src = lines[0].src if lines else cell.line
            end = lines[-1].src if lines else cell.line
            lines = [Line(f"::::::{{container}} {wrap}", src), *lines, Line("::::::", end)]
        if not any(line.text.strip() for line in lines):
            return
        self._add(
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "\n".join(line.text for line in lines),
            },
            [line.src for line in lines],
        )

    def code(self, cell: Cell, tags: Sequence[str] = ()) -> None:
        metadata: dict[str, Any] = {"tags": list(tags)} if tags else {}
        self._add(
            {
                "cell_type": "code",
                "execution_count": cell.execution_count,
                "metadata": metadata,
                "outputs": [dict(o) for o in cell.outputs],
                "source": cell.source,
            },
            cell.lines,
        )

    def admonition(self, notice: Notice, line: int, wrap: str | None = None) -> None:
        lines = notice.lines(line)
        if wrap is not None:
            lines = [Line(f"::::::{{container}} {wrap}", line), *lines[1:-1], Line("::::::", line)]
        self._add(
            {"cell_type": "markdown", "metadata": {}, "source": "\n".join(x.text for x in lines)},
            [x.src for x in lines],
        )

    def finish(self) -> Generated:
        if self.notice is not None:  # a page without prose still shows its notice
            self.markdown(Cell(CellKind.MARKDOWN, "", 0, ()), self.opts)
        document = {
            "cells": self.cells,
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python", "pygments_lexer": "ipython3"},
                "polybook": {"source": self.file},
                "source_map": self.source_map,
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        return Generated(self.docname, self.file, text, tuple(self.positions), tuple(self.problems))


def _with_notice(lines: list[Line], notice: Notice, line: int) -> list[Line]:
    """`lines` with the notice after the first heading (and its targets), or first."""
    for index, item in enumerate(lines):
        if item.text.startswith("#"):
            return [*lines[: index + 1], *notice.lines(item.src), *lines[index + 1 :]]
    return [*notice.lines(line), *lines]


def single_page(
    docname: str,
    nb: Notebook,
    page: Page,
    opts: ConvertOptions,
    notice: Notice | None = None,
) -> Generated:
    doc = _Doc(docname, nb.file, page, opts, notice)
    for cell in nb.cells:
        if cell.kind is CellKind.CODE:
            doc.code(cell)
        else:
            doc.markdown(cell, opts)
    return doc.finish()


@dataclass(frozen=True, slots=True)
class Insert:
    """Another framework's cells shown where the page's framework has no code:
    the cells of `notebook` whose book lines are in [line, end) (end 0: the
    end of the page) that the page's notebook lacks, after `notice`."""

    notebook: Notebook
    line: int
    end: int
    notice: Notice

    def holds(self, cell: Cell) -> bool:
        return cell.line >= self.line and (self.end == 0 or cell.line < self.end)


FALLBACK_TAG = "pb-fallback"


def fallback_page(
    docname: str,
    nb: Notebook,
    page: Page,
    opts: ConvertOptions,
    inserts: Sequence[Insert],
    notice: Notice | None = None,
) -> Generated:
    """`nb` with, in each insert's section, the other framework's code (and
    its own prose) that `nb` lacks, in page order, each section's under its
    notice."""
    own = {cell.id for cell in nb.cells}
    merged: list[tuple[Cell, Insert | None]] = [(cell, None) for cell in nb.cells]
    for each in inserts:
        for cell in each.notebook.cells:
            shared_prose = cell.kind is CellKind.MARKDOWN and not cell.frameworks
            if each.holds(cell) and cell.id not in own and not shared_prose:
                merged.append((cell, each))
    merged.sort(key=lambda item: item[0].line)
    doc = _Doc(docname, nb.file, page, opts, notice)
    announced: set[int] = set()
    for cell, insert in merged:
        if insert is not None and id(insert) not in announced:
            announced.add(id(insert))
            doc.admonition(insert.notice, cell.line)
        if cell.kind is CellKind.CODE:
            tags = [FALLBACK_TAG, f"{FALLBACK_TAG}-{insert.notebook.framework}"] if insert else []
            doc.code(cell, tags)
        else:
            doc.markdown(cell, opts)
    return doc.finish()


def prose_page(
    docname: str,
    nb: Notebook,
    page: Page,
    opts: ConvertOptions,
    notice: Notice | None,
) -> Generated:
    """The shared prose of a page only (the framework has no notebook for it)."""
    doc = _Doc(docname, nb.file, page, opts, notice)
    for cell in nb.cells:
        if cell.kind is CellKind.MARKDOWN and not cell.frameworks:
            doc.markdown(cell, opts)
    return doc.finish()


def _is_shared(cells: Mapping[str, Cell], count: int) -> bool:
    first = next(iter(cells.values()))
    return (
        first.kind is CellKind.MARKDOWN
        and len(cells) == count
        and all(not c.frameworks and c.source == first.source for c in cells.values())
    )


@dataclass(frozen=True, slots=True)
class TabFill:
    """`framework`'s tab in the tab sets of book lines [line, end) (end 0: the
    end of the page) where it has no code: a notice, then the cells of the
    first of `fallbacks` (a framework, and the notice naming it) that has
    cells in the set, in place of the ones `framework` lacks."""

    framework: str
    line: int
    end: int
    fallbacks: tuple[tuple[str, Notice], ...]

    def holds(self, line: int) -> bool:
        return line >= self.line and (self.end == 0 or line < self.end)


FILL_CLASS = "pb-fill"  # the notice opening a filled tab (sphinx_ext marks its label)


def _fill_for(
    fills: Sequence[TabFill], framework: str, group: Sequence[Mapping[str, Cell]]
) -> tuple[str, Notice] | None:
    """The framework whose cells fill `framework`'s tab in a tab set, and its
    notice; None: the tab shows `framework`'s own cells only."""
    line = next(iter(group[0].values())).line
    if any(framework in cells and cells[framework].kind is CellKind.CODE for cells in group):
        return None
    for fill in fills:
        if fill.framework == framework and fill.holds(line):
            for other, notice in fill.fallbacks:
                if any(other in cells for cells in group):
                    return other, notice
    return None


def tabbed_page(
    docname: str,
    notebooks: Sequence[Notebook],
    page: Page,
    opts: ConvertOptions,
    notice: Notice | None = None,
    fills: Sequence[TabFill] = (),
    order: Sequence[str] = (),
) -> Generated:
    """Every framework's notebook of a page merged into one, with framework
    tabs in `order` (default: the notebooks'), filled where `fills` say."""
    file = notebooks[0].file
    doc = _Doc(docname, file, page, opts, notice)
    keyed: dict[tuple[int, int, str], dict[str, Cell]] = {}
    for nb in notebooks:
        for cell in nb.cells:
            key = (cell.line, 0 if cell.kind is CellKind.MARKDOWN else 1, cell.id)
            keyed.setdefault(key, {})[nb.framework] = cell
    frameworks = list(order) or [nb.framework for nb in notebooks]
    group: list[dict[str, Cell]] = []
    groups = 0

    def flush() -> None:
        nonlocal groups
        if not group:
            return
        groups += 1
        labelled: set[int] = set()
        for fw in frameworks:
            tags = [TAB_CLASS, f"pb-fw-{fw}", f"pb-g{groups}"]
            fill = _fill_for(fills, fw, group)
            if fill is not None:
                line = next(iter(group[0].values())).line
                doc.admonition(fill[1], line, wrap=" ".join([*tags, FILL_CLASS]))
            for index, cells in enumerate(group):
                cell, copied = cells.get(fw), False
                if cell is None and fill is not None and fill[0] in cells:
                    cell, copied = cells[fill[0]], True
                if cell is None:
                    continue
                if cell.kind is CellKind.CODE:
                    marks = [FALLBACK_TAG, f"{FALLBACK_TAG}-{fill[0]}"] if fill and copied else []
                    doc.code(cell, [*tags, *marks])
                    continue
                keep = opts.keep_targets and not copied and index not in labelled
                if not copied:
                    labelled.add(index)
                tab_opts = replace(opts, keep_targets=keep, headings_as_rubric=True)
                doc.markdown(cell, tab_opts, wrap=" ".join(tags))
        group.clear()

    for key in sorted(keyed):
        cells = keyed[key]
        if _is_shared(cells, len(notebooks)):
            flush()
            doc.markdown(next(iter(cells.values())), opts)
        else:
            group.append(cells)
    flush()
    return doc.finish()
