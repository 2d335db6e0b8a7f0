"""A non-notebook page (`non_notebooks`) as the notebook render shows: the page
as written, prose and code in page order, for every framework at once (code
cells are shown, never run; `:begin_tab:` regions are all kept)."""

from __future__ import annotations

from polybook.source.model import CodeCell, Page
from polybook.split.model import Cell, CellKind, Notebook
from polybook.split.notebook import code_cell


def plain_notebook(page: Page, framework: str) -> Notebook:
    cells: list[Cell] = []
    for block in page.blocks:
        if isinstance(block, CodeCell):
            cells.append(code_cell(block, (), None))
            continue
        if not block.text.strip():
            continue
        lines = tuple(range(block.line, block.line + block.text.count("\n") + 1))
        cells.append(Cell(CellKind.MARKDOWN, block.text, block.line, lines))
    return Notebook(
        file=page.file, page=page.path, lang=page.lang, framework=framework, cells=tuple(cells)
    )
