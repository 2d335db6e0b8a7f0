"""Placing execution failures through the cell line maps, without a kernel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from polybook.execute.keys import code_parts
from polybook.execute.libdeps import load_index
from polybook.execute.model import CellOutputs, Failure, FailureKind
from polybook.execute.place import failing_line, place, relocate
from polybook.execute.plan import executed_text, make_item
from polybook.source.book import Book
from polybook.split.model import Cell, CellKind, Notebook
from tests.conftest import FIXTURES

# `Cell In[2]` ran; line 5 calls f, defined in the same cell, which raises on line 2
NESTED = """\
---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
Cell In[2], line 5
      1 def f():
      2     raise ValueError('x')
      4 # c
----> 5 f()

Cell In[2], line 2, in f()
      1 def f():
----> 2     raise ValueError('x')

ValueError: x
"""

# `Cell In[7]` ran (line 3) and called into code of an earlier cell
EARLIER = """\
ZeroDivisionError                         Traceback (most recent call last)
Cell In[7], line 3
      1 import math
----> 3 helper(0)

Cell In[4], line 2, in helper(x)
      1 def helper(x):
----> 2     return 1 / x

File ~/lib/python3.11/site-packages/thing.py:10, in g()
ZeroDivisionError: division by zero
"""

SYNTAX = """\
  Cell In[3], line 2
    y = (
         ^
SyntaxError: incomplete input
"""


def test_failing_line_reads_the_frames_of_the_cell_that_ran() -> None:
    assert failing_line(NESTED) == 2
    assert failing_line(EARLIER) == 3
    assert failing_line(SYNTAX) == 2
    assert failing_line("KeyboardInterrupt:\n") is None
    # a cell's source quoted in a message is not a frame
    assert failing_line("print('Cell In[1], line 9')\nValueError\n") is None


def _notebook(file: str, code: str, lines: tuple[int, ...]) -> Notebook:
    cells = (
        Cell(CellKind.MARKDOWN, "# A", 1, (1,)),
        Cell(CellKind.CODE, "print('first')", 3, (5,), ("pytorch",)),
        Cell(CellKind.MARKDOWN, "Prose.", 7, (7,)),
        Cell(CellKind.CODE, code, 20, lines, ("pytorch",)),
    )
    return Notebook(file, "ch/a.md", "en", "pytorch", cells)


# the failing cell: a marker line and a dropped stray fence leave gaps in its map
CODE = "import math\n\n# a comment\nx = 1\nmath.sqrt(-x)"
ENGLISH = _notebook("chapters/en/ch/a.md", CODE, (22, 23, 24, 26, 27))


def test_place_uses_the_cell_map() -> None:
    failure = Failure(FailureKind.CELL_ERROR, "ValueError", cell_index=3, cell_line=5)
    placed = place(failure, ENGLISH)
    assert (placed.file, placed.line) == ("chapters/en/ch/a.md", 27)
    assert (
        place(Failure(FailureKind.CELL_ERROR, "m", cell_index=3, cell_line=4), ENGLISH).line == 26
    )
    # no line from the traceback (a timeout, a dead kernel): the cell's fence
    timeout = place(Failure(FailureKind.CELL_TIMEOUT, "slow", cell_index=3), ENGLISH)
    assert (timeout.file, timeout.line) == ("chapters/en/ch/a.md", 20)
    # no cell (the kernel never started): the page
    start = place(Failure(FailureKind.INTERNAL, "kernel start failed"), ENGLISH)
    assert (start.file, start.line, start.cell_index) == ("chapters/en/ch/a.md", 1, None)


def test_relocate_maps_through_the_translations_own_cells() -> None:
    # the translation's comment is longer (two lines) and it has no blank line:
    # the same key, different book lines
    code = "import math\n# sebuah komentar\n# yang panjang\nx = 1\nmath.sqrt(-x)"
    indonesian = _notebook("chapters/id/ch/a.md", code, (42, 43, 44, 45, 46))
    assert code_parts(indonesian.code_cells) == code_parts(ENGLISH.code_cells)
    failure = place(
        Failure(FailureKind.CELL_ERROR, "ValueError", cell_index=3, cell_line=5), ENGLISH
    )
    moved = relocate(failure, ENGLISH, indonesian)
    assert (moved.file, moved.line, moved.cell_index, moved.cell_line) == (
        "chapters/id/ch/a.md",
        46,
        3,
        5,
    )
    assert relocate(replace(failure, cell_line=4), ENGLISH, indonesian).line == 45
    assert relocate(failure, ENGLISH, ENGLISH) == failure


def test_cache_key_and_executed_notebook_keep_their_semantics() -> None:
    """Keys are code without comments + environment + library closure: the
    line maps are not in them (the key below is the one polybook computed
    before the maps existed)."""
    cells = (
        Cell(CellKind.MARKDOWN, "# A\n\nProse.", 1, (1, 2, 3)),
        Cell(
            CellKind.CODE,
            "import math  # a comment\n\n# only a comment\nx = '#'\nprint(x)",
            5,
            (6, 7, 8, 9, 10),
            ("pytorch",),
        ),
        Cell(CellKind.CODE, "# polybook: allow-error\n1 / 0", 12, (13, 14), ("pytorch",)),
        Cell(CellKind.CODE, "y = 2\n\nprint(y)", 16, (17, 18, 19), ("pytorch",)),
    )
    nb = Notebook("chapters/en/ch/a.md", "ch/a.md", "en", "pytorch", cells)
    book = Book.open(FIXTURES / "seedbook")
    library = load_index(Path("/nonexistent/torch.py"), "d2l")
    item = make_item(book, "en", "pytorch", "ch/a.md", nb, "sha", Path("out"), "ENV", library, 0)
    assert item.key == "0a253eedc24a63ebaf9fb54a1851b24c429c6c87b3092928e243f52901f119e8"
    moved = Notebook(nb.file, nb.page, nb.lang, nb.framework, tuple(_shift(c, 100) for c in cells))
    same = make_item(book, "en", "pytorch", "ch/a.md", moved, "", Path(), "ENV", library, 0)
    assert same.key == item.key
    outputs: list[CellOutputs] = [{"outputs": [], "execution_count": n} for n in (1, 2, 3)]
    text = executed_text(item, outputs)
    assert text is not None
    executed = Notebook.from_json(text)
    assert [c.lines for c in executed.cells] == [c.lines for c in cells]
    assert [c.execution_count for c in executed.code_cells] == [1, 2, 3]
    assert executed.extra["execution"] == {"key": item.key, "gpus": 0}
    assert executed_text(item, outputs[:2]) is None


def _shift(cell: Cell, by: int) -> Cell:
    return Cell(
        cell.kind, cell.source, cell.line + by, tuple(n + by for n in cell.lines), cell.frameworks
    )
