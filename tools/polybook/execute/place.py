"""Where an execution failure is in the book: through the cell maps, never by text.

A failure names the notebook cell that failed (`cell_index`) and, when the
traceback names one, the line of that cell's source (`cell_line`, 1-based, as
IPython counts it in `Cell In[n], line k`). Its book position is that cell's
map: `cell.book_line(cell_line - 1)`, else the cell's own line (its opening
fence: timeouts, kernel deaths), else line 1 of the page (no cell ran).
"""

from __future__ import annotations

import re
from dataclasses import replace

from polybook.execute.keys import semantic_lines
from polybook.execute.model import Failure
from polybook.split.model import CellKind, Notebook

# a frame of code run from a cell: "Cell In[12], line 5" (IPython 8+), also
# the first line of a SyntaxError's report
_FRAME = re.compile(r"^\s*Cell In\[(\d+)\], line (\d+)", re.MULTILINE)


def failing_line(traceback: str) -> int | None:
    """The 1-based line of the failed cell that `traceback` names, or None.

    The first `Cell In[n]` frame is the cell that ran (its code is the
    outermost frame); the line is that of the innermost frame in the same
    cell (a function defined and called in the cell fails where it raises).
    """
    frames = _FRAME.findall(traceback)
    if not frames:
        return None
    ran = frames[0][0]
    return int([line for count, line in frames if count == ran][-1])


def place(failure: Failure, notebook: Notebook) -> Failure:
    """`failure` with the book position of what it names in `notebook`."""
    index = failure.cell_index
    if index is None or not 0 <= index < len(notebook.cells):
        return replace(failure, file=notebook.file, line=1, cell_index=None, cell_line=None)
    cell = notebook.cells[index]
    line = cell.line if failure.cell_line is None else cell.book_line(failure.cell_line - 1)
    return replace(failure, file=notebook.file, line=line)


def relocate(failure: Failure, source: Notebook, target: Notebook) -> Failure:
    """A failure of `source` placed in `target`, a notebook with the same cache
    key (the same code cells up to comments, e.g. a translation): the same
    code cell by order, the same line of code by its rank among the lines the
    key keeps, through `target`'s own map."""
    if source is target or failure.cell_index is None:
        return place(failure, target)
    src = [i for i, c in enumerate(source.cells) if c.kind is CellKind.CODE]
    dst = [i for i, c in enumerate(target.cells) if c.kind is CellKind.CODE]
    if failure.cell_index not in src or len(src) != len(dst):
        return place(replace(failure, cell_index=None), target)
    index = dst[src.index(failure.cell_index)]
    line = None
    if failure.cell_line is not None:
        _, kept = semantic_lines(source.cells[failure.cell_index].source)
        _, there = semantic_lines(target.cells[index].source)
        k = failure.cell_line - 1
        if k in kept and kept.index(k) < len(there):
            line = there[kept.index(k)] + 1
    return place(replace(failure, cell_index=index, cell_line=line), target)
