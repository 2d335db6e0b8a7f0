"""`polybook edit --save`: a notebook's changes written back into its page.

1. The notebook names its page, language, framework and the page version it
   was made from; the page must be that version or one that earlier saves of
   it wrote (PB401 otherwise: someone else changed the page).
2. The page as it is now is split again for that framework: its cells, with
   their line maps, are what the notebook's cells are compared with. Cells
   are matched by position; a cell added, deleted, moved or changed in kind in
   Jupyter is refused (PB402-PB405), naming it.
3. Each changed cell's line differences become book line edits
   (`lines.cell_edits`, PB406-PB408 for what cannot be placed exactly).
4. The edited page is split again: this framework's notebook must be the
   notebook as saved, cell for cell, or nothing is written (PB409). Other
   frameworks whose notebooks change too (a shared cell, shared prose) are
   named (PB410, information).
5. The page is written atomically; a refusal writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic, Severity
from polybook.edit.lines import (
    LineEdit,
    PageLines,
    Refused,
    apply_edits,
    cell_edits,
    check_overlaps,
    describe,
    trimmed,
)
from polybook.edit.notebook import (
    Saved,
    added,
    descends,
    read_saved,
    read_versions,
    record_version,
    sha256,
    split_notebooks,
    versions_path,
)
from polybook.files import write_atomic
from polybook.source.book import Book
from polybook.split.model import Cell, Notebook


@dataclass(slots=True)
class SaveResult:
    page: str = ""  # the page, as diagnostics name it
    written: bool = False
    changed_lines: int = 0  # book lines of the page before the save that changed
    cells: int = 0  # cells changed
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _error(code: Code, file: str, line: int, message: str) -> SaveResult:
    return SaveResult(file, diagnostics=[Diagnostic.make(code, file, line, message)])


def save_notebook(book: Book, path: Path) -> SaveResult:
    try:
        saved = read_saved(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        return _error(Code.EDIT_NOT_EDIT_NOTEBOOK, str(path), 0, f"cannot use {path}: {exc}")
    ref, framework = saved.ref, saved.notebook.framework
    file = ref.file(book) if ref.lang in book.config.languages else saved.notebook.file
    try:
        data = ref.path(book).read_bytes()
    except OSError as exc:
        return _error(Code.EDIT_NO_NOTEBOOK, file, 0, f"the notebook's page is not readable: {exc}")
    current = sha256(data)
    versions = versions_path(book, ref, framework)
    if not descends(read_versions(versions), current, saved.page_sha):
        return _error(
            Code.EDIT_PAGE_CHANGED,
            file,
            0,
            f"the page changed since {path.name} was written (and not by `polybook edit "
            "--save`); nothing was written: run `polybook edit` again and redo the changes",
        )
    base = split_notebooks(book, ref, data).get(framework)
    if base is None:
        return _error(Code.EDIT_NO_NOTEBOOK, file, 0, f"the page has no {framework} notebook")
    result = SaveResult(file)
    try:
        pairs = _match(saved, base, file)
        page = PageLines.from_bytes(data)
        edits: list[LineEdit] = []
        changed: list[Cell] = []
        for order, (old, new) in enumerate(pairs):
            lines = trimmed(new.source)
            if lines == old.source.split("\n"):
                continue
            changed.append(old)
            edits.extend(cell_edits(old, lines, page, file, order))
        if not edits:
            return result
        check_overlaps(edits, file)
        new_data = apply_edits(page, edits).to_bytes()
        after = split_notebooks(book, ref, new_data)
        _verify(after.get(framework), pairs, file, changed[0])
    except Refused as exc:
        result.diagnostics.append(exc.diagnostic)
        return result
    result.diagnostics.extend(
        _shared(split_notebooks(book, ref, data), after, framework, file, changed)
    )
    write_atomic(ref.path(book), new_data)
    record_version(versions, sha256(new_data), current)
    result.written = True
    result.cells = len(changed)
    result.changed_lines = sum(max(e.last - e.first + 1, len(e.texts)) for e in edits)
    return result


def _match(saved: Saved, base: Notebook, file: str) -> list[tuple[Cell, Cell]]:
    """The saved notebook's cells paired with the page's, by position in the
    version the notebook was made from (raises Refused)."""
    ids = saved.cell_ids
    if len(ids) != len(base.cells):
        raise Refused(
            Diagnostic.make(
                Code.EDIT_PAGE_CHANGED,
                file,
                0,
                "the page's cells are not those the notebook was made from; nothing was written",
            )
        )
    placed: dict[int, Cell] = {}
    previous: Cell | None = None
    last = -1
    for cell in saved.notebook.cells:
        index = _index(ids, cell)
        if added(cell) or index < 0 or index in placed:
            where = describe(previous) if previous is not None else "the top of the notebook"
            line = base.cells[last].line if last >= 0 else 0
            raise Refused(
                Diagnostic.make(
                    Code.EDIT_CELL_ADDED,
                    file,
                    line,
                    f"a {cell.kind.value} cell was added in Jupyter after {where} "
                    f"(it begins {_start(cell)!r}): add it to the page; nothing was written",
                )
            )
        target = base.cells[index]
        if index < last:
            raise Refused(
                Diagnostic.make(
                    Code.EDIT_CELL_MOVED,
                    file,
                    target.line,
                    f"{describe(target)} was moved in Jupyter: move it in the page; "
                    "nothing was written",
                )
            )
        if cell.kind is not target.kind:
            raise Refused(
                Diagnostic.make(
                    Code.EDIT_CELL_KIND,
                    file,
                    target.line,
                    f"{describe(target)} was made a {cell.kind.value} cell in Jupyter; "
                    "nothing was written",
                )
            )
        placed[index] = cell
        previous, last = target, index
    for index, target in enumerate(base.cells):
        if index not in placed:
            raise Refused(
                Diagnostic.make(
                    Code.EDIT_CELL_DELETED,
                    file,
                    target.line,
                    f"{describe(target)} was deleted in Jupyter (it begins "
                    f"{_start(target)!r}): delete it in the page; nothing was written",
                )
            )
    return [(base.cells[i], placed[i]) for i in range(len(base.cells))]


def _index(ids: tuple[str, ...], cell: Cell) -> int:
    """The cell's position in the version it came from (-1: none), whatever its kind now."""
    for kind in ("code", "md"):
        if f"{kind}-L{cell.line}" in ids:
            return ids.index(f"{kind}-L{cell.line}")
    return -1


def _start(cell: Cell) -> str:
    lines = trimmed(cell.source)
    text = lines[0] if lines else ""
    return text if len(text) <= 40 else text[:37] + "..."


def _verify(after: Notebook | None, pairs: list[tuple[Cell, Cell]], file: str, first: Cell) -> None:
    """The edited page must give back exactly the saved cells (raises Refused)."""
    if after is None or len(after.cells) != len(pairs):
        raise Refused(
            Diagnostic.make(
                Code.EDIT_NOT_REPRODUCED,
                file,
                first.line,
                "the edited page would no longer give this notebook's cells (a change "
                "makes or ends a fence, a marker or a tab region); nothing was written",
            )
        )
    for new, (old, want) in zip(after.cells, pairs, strict=True):
        if new.kind is not want.kind or new.source.split("\n") != trimmed(want.source):
            raise Refused(
                Diagnostic.make(
                    Code.EDIT_NOT_REPRODUCED,
                    file,
                    old.line,
                    f"written back, {describe(old)} would not read as saved in Jupyter "
                    "(the change breaks a tab.selected branch or the cell's structure); "
                    "edit the page instead; nothing was written",
                )
            )


def _shared(
    before: dict[str, Notebook],
    after: dict[str, Notebook],
    framework: str,
    file: str,
    changed: list[Cell],
) -> list[Diagnostic]:
    """PB410 for the other frameworks whose notebooks the changes reach."""

    def sources(notebook: Notebook | None) -> list[str]:
        return [c.source for c in notebook.cells] if notebook is not None else []

    others = [
        fw for fw in before if fw != framework and sources(before[fw]) != sources(after.get(fw))
    ]
    if not others:
        return []
    return [
        Diagnostic.make(
            Code.EDIT_SHARED,
            file,
            changed[0].line,
            f"the changes also reach the {', '.join(others)} notebook(s): "
            "shared code or prose was edited",
            severity=Severity.INFO,
        )
    ]
