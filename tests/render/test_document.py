"""Generated notebooks: alignment, tab grouping, notices, executed outputs."""

from __future__ import annotations

import json
from typing import Any

from polybook.diagnostics import Code
from polybook.render.document import Notice, align, single_page, tabbed_page
from polybook.render.inputs import NbCell, NbInput, merge_outputs
from polybook.render.model import ConvertOptions

SOURCE = """# Title
:label:`sec_t`

Shared text.

```{.python .input}
%%tab pytorch
a = 1
```

:begin_tab:`pytorch`
Torch words.
:end_tab:

More shared text.
""".splitlines()


def md(source: str, line: int, frameworks: tuple[str, ...] = ()) -> NbCell:
    return NbCell("markdown", source, line, frameworks, id=f"md-L{line}")


def code(source: str, line: int, fw: str, outputs: tuple[dict[str, Any], ...] = ()) -> NbCell:
    return NbCell("code", source, line, (fw,), id=f"code-L{line}", outputs=outputs)


def notebook(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


def test_align_finds_lines_past_removed_markers() -> None:
    cell = md("Torch words.", 12, ("pytorch",))
    assert [line.src for line in align(cell, SOURCE)] == [12]
    cell = md("# Title\n:label:`sec_t`\n\nShared text.", 1)
    assert [line.src for line in align(cell, SOURCE)] == [1, 2, 3, 4]


def test_single_page_positions_follow_source_map() -> None:
    nb = NbInput(
        "pytorch",
        "chapters/en/p.md",
        (
            md("# Title\n:label:`sec_t`\n\nShared text.", 1),
            code("a = 1", 6, "pytorch"),
            md("Torch words.", 12, ("pytorch",)),
        ),
    )
    generated = single_page("p", nb, SOURCE, ConvertOptions())
    data = notebook(generated.notebook)
    assert data["metadata"]["source_map"] == [0, 4, 5]
    assert generated.positions == (2, 1, 3, 4, 6, 12)
    assert data["cells"][0]["source"] == "(sec_t)=\n# Title\n\nShared text."


def test_tabbed_page_groups_framework_cells_without_empty_tabs() -> None:
    shared = md("# Title\n:label:`sec_t`\n\nShared text.", 1)
    tail = md("More shared text.", 15)
    torch = NbInput(
        "pytorch",
        "p.md",
        (shared, code("a = 1", 6, "pytorch"), md("Torch words.", 12, ("pytorch",)), tail),
    )
    jax = NbInput("jax", "p.md", (shared, code("a = 2", 6, "jax"), tail))
    data = notebook(tabbed_page("p", [torch, jax], SOURCE, ConvertOptions()).notebook)
    cells = data["cells"]
    assert cells[0]["source"].startswith("(sec_t)=\n# Title")
    assert cells[1]["metadata"]["tags"] == ["pb-tab", "pb-fw-pytorch", "pb-g1"]
    assert cells[2]["source"].startswith("::::::{container} pb-tab pb-fw-pytorch pb-g1")
    assert cells[3]["metadata"]["tags"] == ["pb-tab", "pb-fw-jax", "pb-g1"]
    assert cells[3]["source"] == "a = 2"
    assert cells[4]["source"] == "More shared text."
    assert len(cells) == 5


def test_prose_in_several_tabs_keeps_its_label_once() -> None:
    region = md("Both.\n:label:`para_both`", 12, ("pytorch", "jax"))
    torch = NbInput("pytorch", "p.md", (region,))
    jax = NbInput("jax", "p.md", (region,))
    data = notebook(tabbed_page("p", [torch, jax], SOURCE, ConvertOptions()).notebook)
    sources = [c["source"] for c in data["cells"]]
    assert sum("(para_both)=" in s for s in sources) == 1


def test_notice_goes_after_the_title() -> None:
    nb = NbInput("pytorch", "p.md", (md("# Title\n:label:`sec_t`\n\nShared text.", 1),))
    notice = Notice("Not yet translated", "Shown in English.", "pb-untranslated")
    data = notebook(single_page("p", nb, SOURCE, ConvertOptions(), notice).notebook)
    lines = data["cells"][0]["source"].split("\n")
    assert lines[:2] == ["(sec_t)=", "# Title"]
    assert lines[3] == "```{admonition} Not yet translated"


def test_outputs_attach_to_unchanged_cells_only() -> None:
    out = ({"output_type": "stream", "name": "stdout", "text": "1\n"},)
    split = [md("Text.", 1), code("a = 1", 3, "pytorch"), code("b = 2", 7, "pytorch")]
    executed = [code("a = 1", 3, "pytorch", out), code("b = 1", 7, "pytorch", out)]
    merged, problems = merge_outputs(split, executed, "chapters/en/p.md")
    assert merged[1].outputs == out
    assert merged[2].outputs == ()
    assert [(p.code, p.line) for p in problems] == [(Code.RENDER_STALE_OUTPUTS, 7)]
