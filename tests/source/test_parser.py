"""The dialect parser: structure, positions and every DIALECT quirk."""

from __future__ import annotations

from polybook.diagnostics import Severity
from polybook.source.model import ALL, CodeCell, LabelKind, Syntax, TextBlock, TextKind, TocBlock
from polybook.source.parser import parse_page
from tests.conftest import parse_text


def codes(page: object) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in page.diagnostics]  # type: ignore[attr-defined]


def test_code_cells_attributes_and_markers() -> None:
    page = parse_text(
        "# T\n"
        "```{.python .input  n=3}\n"
        "%%tab pytorch, mxnet\n"
        "x = 1\n"
        "```\n"
        "```{.input .python}\n"
        "#@tab jax,tensorflow\n"
        "y = 2\n"
        "```\n"
        "```{.bash .input}\n"
        "ls\n"
        "```\n"
        "```python\n"
        "shown = 'listing'\n"
        "```\n"
    )
    cells = page.code_cells
    assert [c.line for c in cells] == [2, 6, 10]
    assert cells[0].marker is not None
    assert cells[0].marker.frameworks == frozenset({"pytorch", "mxnet"})
    assert cells[0].marker.syntax is Syntax.NEW
    assert cells[0].n == "3"
    assert cells[0].source == "x = 1"
    assert cells[0].body_line == 4
    assert cells[1].marker is not None
    assert cells[1].marker.frameworks == frozenset({"jax", "tensorflow"})
    assert cells[1].marker.syntax is Syntax.LEGACY
    assert cells[2].language == "bash"
    assert cells[2].marker is None
    listing = [b for b in page.blocks if isinstance(b, TextBlock) and b.kind is TextKind.LISTING]
    assert len(listing) == 1
    assert listing[0].line == 13
    assert listing[0].text == "```python\nshown = 'listing'\n```"
    assert page.diagnostics == ()


def test_unmarked_cell_belongs_to_default_tab_only() -> None:
    page = parse_text("```{.python .input}\nx = 1\n```\n")
    (cell,) = page.code_cells
    assert cell.marker is None
    assert cell.belongs_to("mxnet", "mxnet")
    assert not cell.belongs_to("pytorch", "mxnet")
    assert cell.belongs_to("pytorch", "pytorch")


def test_tab_all_is_not_an_explicit_name() -> None:
    page = parse_text("```{.python .input}\n%%tab all\nx = 1\n```\n")
    (cell,) = page.code_cells
    assert cell.marker is not None and cell.marker.frameworks == frozenset({ALL})
    assert page.named_frameworks == frozenset()


def test_stray_fence_inside_code_cell_keeps_parity() -> None:
    page = parse_text(
        "```{.python .input}\n"
        "%%tab pytorch\n"
        "a = 1\n"
        "```python\n"
        "b = 2\n"
        "```\n"
        "\n"
        "Prose after the cell with :numref:`sec_x`.\n"
        "\n"
        "```{.python .input}\n"
        "%%tab mxnet\n"
        "c = 3\n"
        "```\n"
    )
    first, second = page.code_cells
    assert first.source == "a = 1\nb = 2"
    assert first.line_map == (3, 5)
    assert second.source == "c = 3"
    assert second.line == 10
    prose = [b for b in page.blocks if isinstance(b, TextBlock)]
    assert [b.text.strip() for b in prose] == ["Prose after the cell with :numref:`sec_x`."]
    assert codes(page) == [("PB110", 4)]
    assert [r.content for r in page.roles] == ["sec_x"]


def test_unclosed_fence_is_reported() -> None:
    page = parse_text("intro\n```{.python .input}\nx = 1\n")
    assert codes(page) == [("PB111", 2)]
    (cell,) = page.code_cells
    assert cell.source == "x = 1"


def test_commented_marker_is_honoured_and_reported() -> None:
    page = parse_text("```{.python .input}\n# %%tab jax\nimport jax\n```\n")
    (cell,) = page.code_cells
    assert cell.marker is not None
    assert cell.marker.frameworks == frozenset({"jax"})
    assert cell.marker.commented
    assert cell.source == "import jax"
    assert codes(page) == [("PB121", 2)]
    assert page.diagnostics[0].severity is Severity.WARNING


def test_stale_marker_inside_cell_is_dropped() -> None:
    page = parse_text("```{.python .input}\n%%tab pytorch\nx = 1\n#@tab mxnet\ny = 2\n```\n")
    (cell,) = page.code_cells
    assert cell.marker is not None and cell.marker.frameworks == frozenset({"pytorch"})
    assert cell.source == "x = 1\ny = 2"
    assert cell.line_map == (3, 5)
    assert codes(page) == [("PB122", 4)]


def test_unknown_framework_in_marker() -> None:
    page = parse_text("```{.python .input}\n%%tab pytorch, paddle\nx = 1\n```\n")
    (cell,) = page.code_cells
    assert cell.marker is not None and cell.marker.frameworks == frozenset({"pytorch"})
    assert [(d.code, d.line, d.target) for d in page.diagnostics] == [("PB120", 2, "paddle")]


def test_interact_cell_is_dropped_and_required_libs_kept() -> None:
    page = parse_text(
        "```{.python .input}\n"
        "%load_ext d2lbook.tab\n"
        "tab.interact_select(['pytorch', 'jax'])\n"
        '#required_libs("scikit-learn==1.5", "pandas")\n'
        "```\n"
        "# Title\n"
    )
    assert page.code_cells == ()
    assert page.interact_line == 1
    assert page.required_libs == ("scikit-learn==1.5", "pandas")
    assert page.title == "Title"


def test_begin_tab_regions() -> None:
    page = parse_text(
        "shared\n"
        ":begin_tab:`pytorch, mxnet`\n"
        "for two\n"
        ":end_tab:\n"
        ":begin_tab:`jax`\n"
        "for jax\n"
        ":begin_tab:`tensorflow`\n"
        "for tf, the jax region closed by the new begin\n"
        ":end_tab:\n"
        "tail\n"
    )
    prose = [(b.text, b.line, b.tab) for b in page.blocks if isinstance(b, TextBlock)]
    assert prose == [
        ("shared", 1, None),
        ("for two", 3, frozenset({"pytorch", "mxnet"})),
        ("for jax", 6, frozenset({"jax"})),
        ("for tf, the jax region closed by the new begin", 8, frozenset({"tensorflow"})),
        ("tail", 10, None),
    ]
    assert page.diagnostics == ()


def test_begin_tab_left_open_ends_at_the_next_heading() -> None:
    page = parse_text(
        "intro\n:begin_tab:`jax`\nonly jax\nstill jax\n\n## Next section\nfor everyone\n"
    )
    prose = [(b.line, b.tab) for b in page.blocks if isinstance(b, TextBlock)]
    assert prose == [(1, None), (3, frozenset({"jax"})), (6, None)]
    assert codes(page) == [("PB130", 2)]
    assert "before the heading at line 6" in page.diagnostics[0].message


def test_begin_tab_left_open_ends_at_a_code_cell_not_at_the_next_begin_tab() -> None:
    page = parse_text(
        ":begin_tab:`pytorch`\ntorch words\n\n```{.python .input}\nx = 1\n```\n\n"
        "shared words\n\n:begin_tab:`jax`\njax words\n:end_tab:\n"
    )
    prose = [(b.line, b.text.strip(), b.tab) for b in page.blocks if isinstance(b, TextBlock)]
    assert prose == [
        (2, "torch words", frozenset({"pytorch"})),
        (7, "shared words", None),
        (11, "jax words", frozenset({"jax"})),
    ]
    assert codes(page) == [("PB130", 1)]
    assert "before the code cell at line 4" in page.diagnostics[0].message


def test_begin_tab_left_open_at_the_end_of_the_page_ends_with_its_paragraph() -> None:
    page = parse_text("intro\n:begin_tab:`jax`\nonly jax\nstill jax\n\nfor everyone\n")
    prose = [(b.line, b.tab) for b in page.blocks if isinstance(b, TextBlock)]
    assert prose == [(1, None), (3, frozenset({"jax"})), (5, None)]
    assert codes(page) == [("PB130", 2)]
    assert "end at line 4" in page.diagnostics[0].message


def test_stray_end_tab() -> None:
    page = parse_text("text\n:end_tab:\nmore\n")
    assert codes(page) == [("PB131", 2)]


def test_markers_inside_listings_are_text() -> None:
    page = parse_text("```text\n:begin_tab:`jax`\n:numref:`nothing\n```\n")
    assert page.diagnostics == ()
    assert page.roles == ()


def test_labels_and_their_kinds() -> None:
    page = parse_text(
        "# Linear Regression\n"
        ":label:`sec_linreg`\n"
        "\n"
        "![A figure with $x$ and :cite:`Key.2000`](../img/a.svg)\n"
        ":width:`400px`\n"
        ":label:`fig_a`\n"
        "\n"
        ":Caption of the table\n"
        "\n"
        "|a|b|\n"
        "|-|-|\n"
        "|1|2|\n"
        ":label:`tab_after`\n"
        "\n"
        ":label:`tab_before`\n"
        "|c|d|\n"
        "|-|-|\n"
        "\n"
        "$$y = Xw + b$$\n"
        ":eqlabel:`eq_linreg`\n"
    )
    labels = [(lb.name, lb.kind, lb.line, lb.title) for lb in page.labels]
    assert labels == [
        ("sec_linreg", LabelKind.SECTION, 2, "Linear Regression"),
        ("fig_a", LabelKind.FIGURE, 6, "A figure with $x$ and :cite:`Key.2000`"),
        ("tab_after", LabelKind.TABLE, 13, "Caption of the table"),
        ("tab_before", LabelKind.TABLE, 15, ""),
        ("eq_linreg", LabelKind.EQUATION, 20, ""),
    ]
    assert page.section_label == "sec_linreg"
    kinds = [(r.kind, r.targets) for r in page.roles if r.kind == "cite"]
    assert kinds == [("cite", ("Key.2000",))]


def test_roles_with_damage() -> None:
    page = parse_text(
        "See :numref:``sec_a`` and :cite:`A.2000, B.2001` here.\n"
        "An unclosed :numref:`sec_b runs into words.\n"
        "Never closed :cite:`C.2002\n"
        "## About :numref:`sec_c`\n"
        "A [link](:numref:`sec_d`) target.\n"
    )
    assert codes(page) == [("PB141", 1), ("PB140", 2), ("PB140", 3), ("PB143", 4), ("PB144", 5)]
    assert [(r.kind, r.targets) for r in page.roles] == [
        ("numref", ("sec_a",)),
        ("cite", ("A.2000", "B.2001")),
        ("numref", ("sec_c",)),
        ("numref", ("sec_d",)),
    ]
    assert page.diagnostics[1].target == "sec_b"


def test_headings_images_tables_damage() -> None:
    page = parse_text(
        " # Leading space\n"
        "##[**No space**]\n"
        "! [cap](.. /img/x.svg) :label:`fig_x`\n"
        "\n"
        "|a|b|\n"
        "|-|-|\n"
        "1|2|\n"
    )
    assert codes(page) == [("PB170", 1), ("PB170", 2), ("PB171", 3), ("PB172", 7)]
    assert [(lb.name, lb.kind) for lb in page.labels] == [("fig_x", LabelKind.FIGURE)]


def test_mojibake_and_tabs() -> None:
    page = parse_text(
        "Laptop memiliki 4â€“8 inti\n"
        "$$a\tb$$\n"
        "```{.python .input}\n"
        "%%tab pytorch\n"
        "if x:\n"
        "\ty = 1\n"
        "```\n"
    )
    assert codes(page) == [("PB101", 1), ("PB102", 2), ("PB102", 6)]
    assert page.diagnostics[0].message == "double-encoded UTF-8 'â€“' (meant '–')"


def test_non_utf8_file_is_reported_and_read() -> None:
    data = "# Título\nok\n".encode("latin-1")
    page = parse_page(data, lang="en", path="p.md", file="p.md", known=("pytorch",))
    assert codes(page) == [("PB100", 1)]
    assert page.title == "T\ufffdtulo"


def test_toc_blocks() -> None:
    page = parse_text("```toc\n:maxdepth: 2\n:numbered:\n\nchapter_a/index\nchapter_b/x.md\n```\n")
    (toc,) = [b for b in page.blocks if isinstance(b, TocBlock)]
    assert toc.options == (("maxdepth", "2"), ("numbered", ""))
    assert [(e.target, e.line) for e in toc.entries] == [("chapter_a/index", 5), ("chapter_b/x", 6)]


def test_crlf_and_bom() -> None:
    data = "\ufeff# T\r\n```{.python .input}\r\n%%tab jax\r\nx = 1\r\n```\r\n".encode()
    page = parse_page(data, lang="en", path="p.md", file="p.md", known=("jax",))
    (cell,) = page.code_cells
    assert isinstance(cell, CodeCell) and cell.source == "x = 1"
    assert page.title == "T"


def test_targets_with_plus_and_keys_with_star_are_valid() -> None:
    page = parse_text(
        "$$x_{t+1}$$\n:eqlabel:`eq_sgd-xt+1-xstar`\n\n"
        "See :eqref:`eq_sgd-xt+1-xstar` and :cite:`He.Zhang.Ren.ea.2016*1`.\n"
    )
    assert page.diagnostics == ()
    assert [(r.kind, r.targets) for r in page.roles if r.kind in ("eqref", "cite")] == [
        ("eqref", ("eq_sgd-xt+1-xstar",)),
        ("cite", ("He.Zhang.Ren.ea.2016*1",)),
    ]
    assert [(lb.name, lb.kind) for lb in page.labels] == [("eq_sgd-xt+1-xstar", LabelKind.EQUATION)]


def test_a_label_survives_slide_marks_around_its_equation() -> None:
    page = parse_text("Text.\n\n(**$$y = Wx + b.$$**)\n:eqlabel:`eq_slide`\n")
    assert [(lb.name, lb.kind, lb.line) for lb in page.labels] == [
        ("eq_slide", LabelKind.EQUATION, 4)
    ]


def test_pandoc_table_caption_names_the_table() -> None:
    page = parse_text(
        ": Sizes of the layers\n\n| a | b |\n|---|---|\n| 1 | 2 |\n:label:`tab_sizes`\n"
    )
    assert [(lb.name, lb.kind, lb.title) for lb in page.labels] == [
        ("tab_sizes", LabelKind.TABLE, "Sizes of the layers")
    ]
