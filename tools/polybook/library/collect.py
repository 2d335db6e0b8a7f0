"""One page -> the blocks it saves into each framework's library.

Which code cells a framework gets is the split stage's decision (existence
rule with code markers only, as the existing toolchain does for libraries;
`CodeCell.belongs_to`). The section note's label is looked up like this:

* compat: in the page's markdown cells (the prose between two code fences)
  before the cell that precedes the code cell, the last ``:label:`` whose
  name contains ``sec_`` (the existing toolchain skips the cell directly
  above, so a label right above the code names the previous section);
* clean: the last section label (a label under a heading) above the cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from polybook.diagnostics import Code, Diagnostic
from polybook.library.capture import Capture, capture, has_mark, textual_select
from polybook.library.imports import normalise_imports
from polybook.library.model import Mode, SavedBlock
from polybook.library.notes import add_notes, add_notes_clean
from polybook.library.statements import capture_statements
from polybook.source.model import CodeCell, LabelKind, Page, TextBlock, TocBlock
from polybook.split.select import ExistenceRule, page_frameworks

_ROLE = re.compile(r":([-/\\.\w]+):(`[ *+,\-./\\\w]+`)?")


@dataclass(frozen=True, slots=True)
class _Item:
    """A cell of the page as the old toolchain cuts it: prose or code."""

    cell: CodeCell | None
    labels: tuple[str, ...] = ()  # `sec_` labels of a prose cell, in order


def _labels(text: str) -> tuple[str, ...]:
    return tuple(
        content[1:-1]
        for name, content in _ROLE.findall(text)
        if name == "label" and "sec_" in content
    )


def _items(page: Page) -> list[_Item]:
    items: list[_Item] = []
    prose: list[str] = []
    last_end = 0

    def flush() -> None:
        text = "\n".join(prose)
        if text.strip():
            items.append(_Item(None, _labels(text)))
        prose.clear()

    for block in page.blocks:
        if isinstance(block, CodeCell):
            flush()
            items.append(_Item(block))
            last_end = block.end_line
            continue
        assert isinstance(block, TextBlock | TocBlock)
        interact = page.interact_line
        if interact is not None and last_end < interact < block.line:
            flush()  # the dropped `%load_ext d2lbook.tab` cell cut the prose
        prose.append(block.text)
        last_end = block.end_line
    flush()
    return items


def _compat_label(items: list[_Item], index: int) -> str:
    for item in reversed(items[: index - 1]):
        if item.labels:
            return item.labels[-1]
    return ""


def _clean_label(page: Page, cell: CodeCell) -> str:
    found = ""
    for label in page.labels:
        if label.kind is LabelKind.SECTION and label.line < cell.line:
            found = label.name
    return found


def _origin(lines: list[str], original: list[str]) -> list[int]:
    """For each line of a resolved cell, the index of the same line in the cell."""
    found: list[int] = []
    at = 0
    for line in lines:
        key = line.strip()
        hit = next((k for k in range(at, len(original)) if original[k].strip() == key), None)
        if hit is None:
            found.append(at)
        else:
            found.append(hit)
            at = hit + 1
    return found


def _dedent(lines: list[str]) -> list[str]:
    width = len(lines[0]) - len(lines[0].lstrip(" "))
    if not width:
        return lines
    return [line[min(width, len(line) - len(line.lstrip(" "))) :] for line in lines]


@dataclass(slots=True)
class PageCollector:
    """Collects the saved blocks of pages for a set of frameworks."""

    ordered: tuple[str, ...]
    frameworks: tuple[str, ...]  # those that have a library
    mode: Mode
    first_party: frozenset[str]
    _resolved: dict[int, dict[str, str]] = field(default_factory=dict)  # per page, by cell

    def collect(self, page: Page) -> tuple[dict[str, list[SavedBlock]], list[Diagnostic]]:
        out: dict[str, list[SavedBlock]] = {}
        diagnostics: list[Diagnostic] = []
        if not any(has_mark(cell.source) for cell in page.code_cells):
            return out, diagnostics
        self._resolved.clear()
        default = self.ordered[0]
        present = page_frameworks(page, self.ordered, ExistenceRule.NAMED_IN_CODE)
        items = _items(page)
        for fw in self.frameworks:
            if fw not in present:
                continue
            kept = [i for i in items if i.cell is None or i.cell.belongs_to(fw, default)]
            blocks: list[SavedBlock] = []
            for index, item in enumerate(kept):
                cell = item.cell
                if cell is None or cell.language != "python" or not has_mark(cell.source):
                    continue
                label = (
                    _compat_label(kept, index)
                    if self.mode is Mode.COMPAT
                    else _clean_label(page, cell)
                )
                block = self._block(page, cell, fw, label, diagnostics)
                if block is not None:
                    blocks.append(block)
            out[fw] = blocks
        return out, _unique(diagnostics)

    def _source(self, cell: CodeCell, fw: str) -> tuple[list[str], list[int]]:
        """The cell's code for `fw`: compat resolves `tab.selected` like the old
        toolchain (textually), clean like the split stage (syntax tree)."""
        if self.mode is Mode.COMPAT or "tab.selected" not in cell.source:
            return textual_select(cell.source, fw)
        from polybook.split.tabselect import ParserSyntaxError, resolve_many

        if cell.line not in self._resolved:
            try:
                per_fw = resolve_many(cell.source, self.frameworks)
                self._resolved[cell.line] = {fw: r.text for fw, r in per_fw.items()}
            except ParserSyntaxError:
                self._resolved[cell.line] = {}
        resolved = self._resolved[cell.line].get(fw)
        if resolved is None:
            return textual_select(cell.source, fw)
        lines = resolved.split("\n")
        return lines, _origin(lines, cell.source.split("\n"))

    def _block(
        self, page: Page, cell: CodeCell, fw: str, label: str, diagnostics: list[Diagnostic]
    ) -> SavedBlock | None:
        lines, origin = self._source(cell, fw)
        source = "\n".join(lines)
        statements = capture_statements(source) if self.mode is Mode.CLEAN else None
        taken = statements or capture(source)

        def line_of(index: int) -> int:
            return cell.source_line(origin[index] if index < len(origin) else 0)

        _mark_diagnostics(page, taken, line_of, diagnostics)
        if not taken.lines or not taken.text.strip():
            return None
        first = line_of(taken.marks[0].index)
        body = taken.lines
        if self.mode is Mode.CLEAN:
            body = _dedent(body)
        text, skipped = normalise_imports("\n".join(body), self.first_party)
        if skipped:
            diagnostics.append(
                Diagnostic.make(
                    Code.IMPORTS_NOT_NORMALISED,
                    page.file,
                    first,
                    "imports of this saved block are kept as written (comments, statements "
                    "over several lines or long lines): d2lbook's isort may order them "
                    "differently",
                )
            )
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
        if not text:
            return None
        noted = add_notes_clean(text, label) if self.mode is Mode.CLEAN else None
        return SavedBlock(noted or add_notes(text, label), label, page.file, first)


def _mark_diagnostics(
    page: Page, taken: Capture, line_of: Callable[[int], int], diagnostics: list[Diagnostic]
) -> None:
    for mark in taken.marks:
        if mark.empty:
            diagnostics.append(
                Diagnostic.make(
                    Code.SAVE_CAPTURES_NOTHING,
                    page.file,
                    line_of(mark.index),
                    "#@save saves nothing here: a standalone mark saves the top-level "
                    "statements right below it (no blank line in between)",
                )
            )
        if mark.repeated:
            diagnostics.append(
                Diagnostic.make(
                    Code.SAVE_REPEATED,
                    page.file,
                    line_of(mark.index),
                    "#@save inside code an earlier mark of this cell already saves: the "
                    "default library has these lines twice (--clean: once)",
                )
            )


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics of a cell shared by several frameworks, once."""
    return list(dict.fromkeys(diagnostics))
