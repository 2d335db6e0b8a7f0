"""Generated notebooks: exact positions, tab grouping, notices, executed outputs."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from polybook.diagnostics import Code
from polybook.render.document import Notice, single_page, tabbed_page
from polybook.render.inputs import merge_outputs
from polybook.render.model import ConvertOptions
from polybook.source.model import Page
from polybook.split.model import Cell, CellKind, Notebook
from polybook.split.page import split_page
from tests.conftest import parse_text

SOURCE = """# Title
:label:`sec_t`

Shared text.

```{.python .input}
%%tab pytorch
a = 1
```

```{.python .input}
%%tab jax
a = 2
```

:begin_tab:`pytorch`
Torch words.
:end_tab:

:begin_tab:`pytorch, jax`
Both.
:label:`para_both`
:end_tab:

More shared text.
"""


def notebooks(source: str = SOURCE) -> tuple[Page, dict[str, Notebook]]:
    page = parse_text(source)
    return page, split_page(page, ("pytorch", "jax")).notebooks


def notebook(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


def test_single_page_positions_are_the_book_lines_of_every_generated_line() -> None:
    page, nbs = notebooks()
    generated = single_page("p", nbs["pytorch"], page, ConvertOptions())
    data = notebook(generated.notebook)
    assert data["cells"][0]["source"] == "(sec_t)=\n# Title\n\nShared text."
    assert data["metadata"]["source_map"] == [0, 4, 5, 6, 8]
    # (sec_t)= comes from line 2, the heading from line 1; the code cell's line
    # 8; the two regions' text (markers removed) from lines 17 and 21-22
    assert generated.positions == (2, 1, 3, 4, 8, 17, 22, 21, 25)


def test_tabbed_page_groups_framework_cells_without_empty_tabs() -> None:
    page, nbs = notebooks()
    data = notebook(tabbed_page("p", [nbs["pytorch"], nbs["jax"]], page, ConvertOptions()).notebook)
    cells = data["cells"]
    assert cells[0]["source"].startswith("(sec_t)=\n# Title")
    assert cells[1]["metadata"]["tags"] == ["pb-tab", "pb-fw-pytorch", "pb-g1"]
    assert cells[1]["source"] == "a = 1"
    assert cells[2]["source"].startswith("::::::{container} pb-tab pb-fw-pytorch pb-g1\nTorch")
    assert cells[3]["source"].startswith("::::::{container} pb-tab pb-fw-pytorch pb-g1\n(para")
    assert cells[4]["metadata"]["tags"] == ["pb-tab", "pb-fw-jax", "pb-g1"]
    assert cells[4]["source"] == "a = 2"
    assert cells[5]["source"] == "::::::{container} pb-tab pb-fw-jax pb-g1\nBoth.\n::::::"
    assert cells[6]["source"] == "More shared text."
    assert len(cells) == 7


def test_prose_in_several_tabs_keeps_its_label_once() -> None:
    page, nbs = notebooks()
    data = notebook(tabbed_page("p", [nbs["pytorch"], nbs["jax"]], page, ConvertOptions()).notebook)
    sources = [c["source"] for c in data["cells"]]
    assert sum("(para_both)=" in s for s in sources) == 1


def test_notice_goes_after_the_title() -> None:
    page, nbs = notebooks()
    notice = Notice("Not yet translated", "Shown in English.", "pb-untranslated")
    data = notebook(single_page("p", nbs["pytorch"], page, ConvertOptions(), notice).notebook)
    lines = data["cells"][0]["source"].split("\n")
    assert lines[:2] == ["(sec_t)=", "# Title"]
    assert lines[3] == "```{admonition} Not yet translated"


def code(source: str, line: int, outputs: tuple[dict[str, Any], ...] = ()) -> Cell:
    return Cell(CellKind.CODE, source, line, (line + 1,), ("pytorch",), outputs)


def test_outputs_attach_to_unchanged_cells_only() -> None:
    out = ({"output_type": "stream", "name": "stdout", "text": "1\n"},)
    text = Cell(CellKind.MARKDOWN, "Text.", 1, (1,))
    split = [text, code("a = 1", 3), code("b = 2", 7)]
    executed = [code("a = 1", 3, out), code("b = 1", 7, out)]
    merged, problems = merge_outputs(split, executed, "chapters/en/p.md")
    assert merged[1].outputs == out
    assert merged[2].outputs == ()
    assert merged[1] == replace(split[1], outputs=out)
    assert [(p.code, p.line) for p in problems] == [(Code.RENDER_STALE_OUTPUTS, 7)]
