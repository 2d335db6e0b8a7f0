"""The executed notebook written into the split notebook's text (`attach`) is
byte for byte the one the typed model writes (`with_outputs` + `to_json`)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polybook.execute.attach import attach
from polybook.execute.libdeps import load_index
from polybook.execute.model import CellOutputs
from polybook.execute.plan import (
    Item,
    SplitFile,
    executed_text,
    make_item,
    read_split,
    split_notebooks,
)
from polybook.source.book import Book
from polybook.split.model import Cell, CellKind, Notebook
from polybook.split.run import split_book

PROFILE = settings(
    max_examples=int(os.environ.get("POLYBOOK_HYPOTHESIS_EXAMPLES", "40")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TRACEBACK = [
    "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
    "\x1b[0;31mZeroDivisionError\x1b[0m   Traceback (most recent call last)",
    'Cell \x1b[0;32mIn[3], line 2\x1b[0m\n\x1b[1;32m----> 2\x1b[0m 1 / 0 "ü" \\ \t',
]

# every kind of output, the ways a kernel writes them (text as a string or as lines)
OUTPUTS: list[list[dict[str, Any]]] = [
    [],
    [{"output_type": "stream", "name": "stdout", "text": "1\n2\n"}],
    [
        {"output_type": "stream", "name": "stderr", "text": ["warn: ", "Größe ≥ 1 😀\n"]},
        {
            "output_type": "display_data",
            "data": {
                "image/png": "iVBORw0KGgo=\n",
                "text/plain": ["<Figure size 350x250 with 1 Axes>"],
                "image/svg+xml": ['<svg width="3.5in">\n', "</svg>"],
            },
            "metadata": {"needs_background": "light", "image/png": {"width": 350.5}},
        },
    ],
    [
        {
            "output_type": "execute_result",
            "execution_count": 7,
            "data": {"text/plain": ["tensor([1., 2.])"], "application/json": {"a": [1, None]}},
            "metadata": {},
        }
    ],
    [
        {
            "output_type": "error",
            "ename": "ZeroDivisionError",
            "evalue": "division by zero",
            "traceback": TRACEBACK,
        }
    ],
    [{"output_type": "display_data", "data": {"text/html": ""}, "metadata": {"flag": True}}],
]


def _cell(kind: CellKind, source: str, line: int, frameworks: tuple[str, ...] = ()) -> Cell:
    count = source.count("\n") + 1
    # a map with gaps (lines the split dropped) and a repeated line
    lines = tuple(line + k + (k > 1) for k in range(count))
    if count > 3:
        lines = (*lines[:-1], lines[-2])
    return Cell(kind, source, line, lines, frameworks)


def varied_notebook(extra: dict[str, Any] | None = None) -> Notebook:
    cells = (
        _cell(CellKind.MARKDOWN, "# Tiêu đề — “quotes” \\ back\\slash\n\n$x^2$ 😀", 1),
        _cell(CellKind.CODE, "import torch\nx = torch.ones(2)\nx", 5, ("pytorch",)),
        _cell(CellKind.MARKDOWN, ":begin_tab:`pytorch`\nPyTorch.\n:end_tab:", 10, ("pytorch",)),
        _cell(CellKind.CODE, "", 14),  # an empty code cell
        _cell(CellKind.CODE, 'print("a\\tb")\n\n\n# trailing\n', 17, ("pytorch", "jax")),
        _cell(CellKind.MARKDOWN, "\x00\x1f control \u2028 separators", 25),
        _cell(CellKind.CODE, "1 / 0  # polybook: allow-error", 27),
        _cell(CellKind.CODE, '"""doc\n  string"""', 30),
    )
    return Notebook(
        "chapters/vi/chương/trang.md",
        "chương/trang.md",
        "vi",
        "pytorch",
        cells,
        ("d2l", "torchvision==0.16"),
        {"display_name": "Python 3 (PyTorch)", "language": "python", "name": "pb-pytorch"},
        extra or {},
    )


def _items(notebook: Notebook, text: str | None = None) -> tuple[Item, Item]:
    """The same notebook planned from its file (fast path) and as a model (typed path)."""
    text = notebook.to_json() if text is None else text
    split = _split_file(text)
    book = Book.open(Path(__file__).parents[1] / "fixtures" / "seedbook")
    library = load_index(Path("/nonexistent/torch.py"), "d2l")
    made = [
        make_item(book, "vi", "pytorch", notebook.page, nb, "sha", Path("out"), "ENV", library, 1)
        for nb in (split, notebook)
    ]
    assert made[0].key == made[1].key
    return made[0], made[1]


def _split_file(text: str) -> SplitFile:
    path = Path(tempfile.mkdtemp()) / "x.ipynb"
    path.write_text(text, "utf-8")
    try:
        return read_split(path, "vi")
    finally:
        shutil.rmtree(path.parent)


def _outputs(n: int, shift: int = 0) -> list[CellOutputs]:
    cells: list[CellOutputs] = []
    for k in range(n):
        pick = OUTPUTS[(k + shift) % len(OUTPUTS)]
        cells.append({"outputs": pick, "execution_count": k + 1 if k % 3 else None})
    return cells


def _fast(item: Item, cells: list[CellOutputs]) -> str | None:
    assert isinstance(item.split, SplitFile)
    execution = {"key": item.key, "gpus": item.gpus}
    return attach(item.split.text, item.split.metadata, cells, execution)


def test_every_output_kind_writes_the_typed_bytes() -> None:
    for extra in ({}, {"origin": {"note": "ü", "n": 1.25}}, {"execution": {"key": "old"}}):
        notebook = varied_notebook(extra)
        fast_item, typed_item = _items(notebook)
        for shift in range(len(OUTPUTS)):
            cells = _outputs(len(notebook.code_cells), shift)
            fast = _fast(fast_item, cells)
            typed = executed_text(typed_item, cells)
            assert fast is not None  # the model's own layout takes the fast path
            assert typed is not None
            assert fast == typed
            assert executed_text(fast_item, cells) == typed
            assert Notebook.from_json(fast).code_cells[1].outputs == tuple(cells[1]["outputs"])


def test_cached_cells_without_outputs_or_count() -> None:
    notebook = varied_notebook()
    fast_item, typed_item = _items(notebook)
    cells: list[CellOutputs] = [{}, {"outputs": []}, {"execution_count": 3}, {"outputs": ()}]
    assert _fast(fast_item, cells) == executed_text(typed_item, cells)


outputs_strategy = st.lists(
    st.fixed_dictionaries(
        {"output_type": st.sampled_from(["stream", "display_data", "execute_result", "error"])},
        optional={
            "text": st.one_of(st.text(), st.lists(st.text(), max_size=3)),
            "data": st.dictionaries(
                st.sampled_from(["text/plain", "image/png", "text/html"]),
                st.one_of(st.text(), st.lists(st.text(), max_size=3)),
            ),
            "metadata": st.dictionaries(
                st.text(max_size=5),
                st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False)),
            ),
        },
    ),
    max_size=3,
)


@PROFILE
@given(
    sources=st.lists(st.tuples(st.booleans(), st.text(max_size=40)), min_size=1, max_size=6),
    outputs=st.lists(outputs_strategy, min_size=6, max_size=6),
    counts=st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=6, max_size=6),
)
def test_generated_notebooks_write_the_typed_bytes(
    sources: list[tuple[bool, str]], outputs: list[list[dict[str, Any]]], counts: list[int | None]
) -> None:
    cells = tuple(
        _cell(CellKind.CODE if code else CellKind.MARKDOWN, source, 3 * n + 1)
        for n, (code, source) in enumerate(sources)
    )
    notebook = Notebook("chapters/en/p.md", "p.md", "en", "jax", cells)
    fast_item, typed_item = _items(notebook)
    code = len(notebook.code_cells)
    cached: list[CellOutputs] = [
        {"outputs": outputs[k], "execution_count": counts[k]} for k in range(code)
    ]
    typed = executed_text(typed_item, cached)
    assert typed is not None
    if code:  # a notebook without code cells still has the typed writer's bytes
        assert _fast(fast_item, cached) == typed
    assert executed_text(fast_item, cached) == typed


def test_split_notebooks_of_a_real_book(seed_book: Book, tmp_path: Path) -> None:
    """Every notebook split writes for the seed pages (d2l pages in four
    languages) takes the fast path, to the typed writer's bytes."""
    out = tmp_path / "split"
    split_book(seed_book, "en", out)
    found = 0
    for framework in seed_book.config.frameworks_for("en"):
        for _page, path in split_notebooks(out, framework):
            text = path.read_text("utf-8")
            notebook = Notebook.from_json(text)
            fast_item, typed_item = _items(notebook, text)
            cells = _outputs(len(notebook.code_cells), found)
            fast = _fast(fast_item, cells)
            assert fast is not None
            assert fast == executed_text(typed_item, cells)
            found += 1
    assert found >= 4


def test_other_layouts_take_the_typed_path() -> None:
    """A notebook not in the model's layout (indented otherwise, a code cell
    that already has outputs, no cells) is written by the typed path."""
    notebook = varied_notebook()
    cells = _outputs(len(notebook.code_cells))
    data = json.loads(notebook.to_json())
    ran = json.loads(notebook.to_json())
    ran["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    for text in (
        json.dumps(data, indent=2, sort_keys=True) + "\n",
        json.dumps(ran, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        notebook.to_json().replace('"nbformat_minor": 5', '"nbformat_minor": 4'),
    ):
        fast_item, typed_item = _items(Notebook.from_json(text), text)
        assert _fast(fast_item, cells) is None
        assert executed_text(fast_item, cells) == executed_text(typed_item, cells)
    empty = Notebook("chapters/en/e.md", "e.md", "en", "jax")
    fast_item, typed_item = _items(empty)
    assert _fast(fast_item, []) is None
    typed = executed_text(typed_item, [])
    assert typed is not None and '"cells": []' in typed
    assert executed_text(fast_item, []) == typed


def test_cells_that_do_not_fit() -> None:
    notebook = varied_notebook()
    fast_item, typed_item = _items(notebook)
    code = len(notebook.code_cells)
    for n in (0, code - 1, code + 1):
        cells = _outputs(n)
        assert _fast(fast_item, cells) is None
        assert executed_text(fast_item, cells) is None
        assert executed_text(typed_item, cells) is None
