"""One page, split for each framework -> the blocks it saves into each library.

The library reads the split stage's output (`library_split`): which pages
exist for a framework (the existence rule with code markers only,
`ExistenceRule.NAMED_IN_CODE`, as the existing toolchain does for libraries),
which code cells each framework gets, and their code with its line map. From
the page model it takes what a notebook does not hold: the section labels and
the prose cut into the old toolchain's markdown cells, for the notes.

`tab.selected` in saved code: clean mode lets the split stage resolve the
cells that hold a save mark (syntax tree, exactly as in the notebooks); compat
mode asks it to resolve none and applies the old toolchain's textual
selection (`capture.textual_select`) to the split cell, whose source is then
the framework-agnostic code with its map. The textual rule is also the
fallback for a cell the split could not resolve and the only rule for the
older `d2l.USE_<FRAMEWORK>` switches. Every line keeps its page line, so each
diagnostic is placed through the cell maps.

The section note's label is looked up like this:

* compat: in the page's markdown cells (the prose between two code fences)
  before the cell that precedes the code cell, the last ``:label:`` whose
  name contains ``sec_`` (the existing toolchain skips the cell directly
  above, so a label right above the code names the previous section);
* clean: the last section label (a label under a heading) above the cell.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import NamedTuple

from polybook.diagnostics import Code, Diagnostic
from polybook.library.capture import Capture, capture, has_mark, has_switch, textual_select
from polybook.library.imports import normalise_imports
from polybook.library.model import Mode, SavedBlock
from polybook.library.notes import add_notes, add_notes_clean
from polybook.library.statements import capture_statements
from polybook.source.model import CodeCell, LabelKind, Page, TextBlock
from polybook.split.model import Cell
from polybook.split.page import PageSplit, split_page
from polybook.split.select import ExistenceRule


def _never(cell: CodeCell) -> bool:
    return False


def _saves(cell: CodeCell) -> bool:
    return has_mark(cell.source)


def library_split(page: Page, ordered: tuple[str, ...], mode: Mode) -> PageSplit:
    """The split of `page` the library reads: code cells only, no alias
    rewriting (`d2l.` code stays as written in the library)."""
    resolve = _saves if mode is Mode.CLEAN else _never
    rule = ExistenceRule.NAMED_IN_CODE
    return split_page(page, ordered, rule, resolve=resolve, markdown=False)


class _Items(NamedTuple):
    """The page as the old toolchain's cells: the prose between two code fences
    (the dropped `%load_ext d2lbook.tab` cell cuts it too) and the code cells,
    each known by its first page line (and a code cell by the cell)."""

    starts: tuple[int, ...]  # first page line of each cell
    cells: tuple[CodeCell | None, ...]  # the code cell, None for prose

    def limit(self, index: int, kept: Container[int]) -> int:
        """The first line of the cell right above cell `index` among those a
        framework keeps (prose, and the code cells whose fence lines are in
        `kept`); for the first cell it keeps, that of the last one it keeps
        (the old toolchain's negative index)."""
        for order in (range(index - 1, -1, -1), range(len(self.cells) - 1, index - 1, -1)):
            for j in order:
                cell = self.cells[j]
                if cell is None or cell.line in kept:
                    return self.starts[j]
        return self.starts[index]  # not reached: cell `index` is kept


def _items(page: Page) -> _Items:
    starts: list[int] = []
    cells: list[CodeCell | None] = []
    first = 0  # first line of the prose gathered so far (0: none)
    text = False  # whether that prose has any non-blank text
    last_end = 0
    interact = page.interact_line
    for block in page.blocks:
        if isinstance(block, CodeCell):
            if text:
                starts.append(first)
                cells.append(None)
            first, text = 0, False
            starts.append(block.line)
            cells.append(block)
        else:
            if interact is not None and last_end < interact < block.line:
                if text:
                    starts.append(first)
                    cells.append(None)
                first, text = 0, False
            if not first:
                first = block.line
            text = text or bool(block.text.strip())
        last_end = block.end_line
    if text:
        starts.append(first)
        cells.append(None)
    return _Items(tuple(starts), tuple(cells))


class _Labels(NamedTuple):
    """The labels a note can name, in line order.

    compat: those a prose cell carries for the old toolchain (`sec_` in the
    name, not an equation's); a cell's note names the last one of the prose
    cells before the cell right above it, which all lie above that cell's first
    line (labels are in prose only). clean: the section labels (a label under
    a heading); a cell's note names the last one above it.
    """

    lines: tuple[int, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, page: Page, mode: Mode) -> _Labels:
        if mode is Mode.COMPAT:
            from polybook.source.prose import labels_of

            # only prose that holds `sec_` can name such a label: the rest is not parsed
            held = [b for b in page.blocks if isinstance(b, TextBlock) and "sec_" in b.text]
            wanted = [
                label
                for label in labels_of(held)
                if "sec_" in label.name and label.kind is not LabelKind.EQUATION
            ]
        else:
            wanted = [label for label in page.labels if label.kind is LabelKind.SECTION]
        return cls(tuple(label.line for label in wanted), tuple(label.name for label in wanted))

    def before(self, line: int) -> str:
        """The last label above page line `line` ("" for none)."""
        found = bisect_left(self.lines, line)
        return self.names[found - 1] if found else ""


def _dedent(lines: list[str]) -> list[str]:
    width = len(lines[0]) - len(lines[0].lstrip(" "))
    if not width:
        return lines
    return [line[min(width, len(line) - len(line.lstrip(" "))) :] for line in lines]


def _strip(text: str, lines: list[int]) -> tuple[str, list[int]]:
    """Trailing spaces removed and the text stripped, with the map of what is left."""
    rstripped = "\n".join([line.rstrip() for line in text.split("\n")])
    stripped = rstripped.strip()
    lead = rstripped[: len(rstripped) - len(rstripped.lstrip())].count("\n")
    return stripped, lines[lead : lead + stripped.count("\n") + 1]


@dataclass(frozen=True, slots=True)
class PageCollector:
    """Collects the saved blocks of split pages for a set of frameworks."""

    frameworks: tuple[str, ...]  # those that have a library
    mode: Mode
    first_party: frozenset[str]
    library: str  # the book's library, as code names it (`d2l`)

    def collect(
        self, page: Page, split: PageSplit
    ) -> tuple[dict[str, list[SavedBlock]], list[Diagnostic]]:
        """`split`: `library_split(page, ...)` for the same mode."""
        out: dict[str, list[SavedBlock]] = {}
        diagnostics: list[Diagnostic] = []
        items = _items(page)
        saving = [  # (index, cell) of the python cells with a save mark
            (index, cell)
            for index, cell in enumerate(items.cells)
            if cell is not None and cell.language == "python" and has_mark(cell.source)
        ]
        if not saving:
            return out, diagnostics
        compat = self.mode is Mode.COMPAT
        labels = _Labels.of(page, self.mode)
        # A cell shared by several frameworks usually gives each the same code:
        # its block (and diagnostics) is computed once.
        done: dict[tuple[str, tuple[int, ...], str], SavedBlock | None] = {}
        for fw in self.frameworks:
            notebook = split.notebooks.get(fw)
            if notebook is None:
                continue
            code = {cell.line: cell for cell in notebook.code_cells}
            blocks: list[SavedBlock] = []
            for index, cell in saving:
                if cell.line not in code:
                    continue
                label = labels.before(items.limit(index, code) if compat else cell.line)
                source, book = _code(code[cell.line], fw, cell.line in split.resolved, self.library)
                key = (source, book, label)
                if key in done:
                    block = done[key]
                else:
                    block = done[key] = self._block(page.file, source, book, label, diagnostics)
                if block is not None:
                    blocks.append(block)
            out[fw] = blocks
        return out, list(dict.fromkeys(diagnostics))  # a shared cell reports once

    def _block(
        self,
        file: str,
        source: str,
        book: tuple[int, ...],
        label: str,
        found: list[Diagnostic],
    ) -> SavedBlock | None:
        """The block a cell's code for one framework saves (`book`: the page line
        of each line of `source`), its diagnostics appended to `found`."""
        clean = self.mode is Mode.CLEAN
        taken = (capture_statements(source) if clean else None) or capture(source)
        last = len(book) - 1

        def line_of(index: int) -> int:
            return book[min(index, last)]

        _mark_diagnostics(file, taken, line_of, found)
        joined = taken.text
        if not taken.lines or not joined.strip():
            return None
        if clean:
            joined = "\n".join(_dedent(taken.lines))
        body_lines = [book[min(i, last)] for i in taken.origin]
        normalised = normalise_imports(joined, self.first_party)
        for index in normalised.skipped:
            found.append(
                Diagnostic.make(
                    Code.IMPORTS_NOT_NORMALISED,
                    file,
                    body_lines[index],
                    "imports of this saved block are kept as written (comments, statements "
                    "over several lines or long lines): d2lbook's isort may order them "
                    "differently",
                )
            )
        text, text_lines = _strip(normalised.text, [body_lines[i] for i in normalised.origin])
        if not text:
            return None
        noted = add_notes_clean(text, label) if clean else None
        if noted is None:
            noted = add_notes(text, label)
        first = line_of(taken.marks[0].index)
        lines_of_text = tuple([text_lines[i] for i in noted.origin])
        return SavedBlock(noted.text, label, file, first, lines_of_text)


def _code(cell: Cell, framework: str, resolved: bool, library: str) -> tuple[str, tuple[int, ...]]:
    """A framework's code of a split cell, and the page line of each of its lines:
    as the split resolved it, else by the old toolchain's textual selection."""
    lines = cell.lines
    if resolved:
        return cell.source, lines
    if not has_switch(cell.source, library) and len(lines) == cell.source.count("\n") + 1:
        return cell.source, lines  # nothing to select: the cell as it is, with its map
    kept, origin = textual_select(cell.source, framework, library)
    if not kept:
        return "", (cell.line,)
    last = len(lines) - 1
    return "\n".join(kept), tuple([lines[min(i, last)] for i in origin])


def _mark_diagnostics(
    file: str, taken: Capture, line_of: Callable[[int], int], diagnostics: list[Diagnostic]
) -> None:
    for mark in taken.marks:
        if mark.empty:
            diagnostics.append(
                Diagnostic.make(
                    Code.SAVE_CAPTURES_NOTHING,
                    file,
                    line_of(mark.index),
                    "#@save saves nothing here: a standalone mark saves the top-level "
                    "statements right below it (no blank line in between)",
                )
            )
        if mark.repeated:
            diagnostics.append(
                Diagnostic.make(
                    Code.SAVE_REPEATED,
                    file,
                    line_of(mark.index),
                    "#@save inside code an earlier mark of this cell already saves: the "
                    "default library has these lines twice (--clean: once)",
                )
            )
