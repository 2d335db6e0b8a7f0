"""DIALECT roles and marks -> MyST: the source stage parses a page, render
converts its elements; every generated line keeps its book line."""

from __future__ import annotations

from polybook.diagnostics import Code
from polybook.render.model import Converted, ConvertOptions, Line, Problem
from polybook.render.myst import convert as convert_elements
from polybook.source.elements import Element, Paragraph
from tests.conftest import parse_text


def elements(text: str) -> list[Element]:
    page = parse_text(text)
    return page.elements_at(frozenset(range(1, text.count("\n") + 2)))


def convert(text: str, opts: ConvertOptions | None = None) -> Converted:
    return convert_elements(elements(text), opts)


def inline_lines(text: str) -> tuple[list[Line], list[Problem]]:
    """One paragraph's text converted (its lines kept, slide-only lines included)."""
    found = elements(text)
    assert all(isinstance(e, Paragraph) for e in found), found
    result = convert_elements(found)
    return result.lines, result.problems


def inline(text: str) -> tuple[str, list[Problem]]:
    lines, problems = inline_lines(text)
    return "\n".join(line.text for line in lines), problems


def test_reference_and_citation_roles() -> None:
    text, problems = inline(
        "See :numref:`fig_a`, :ref:`sec_b`, :eqref:`eq_c`, :cite:`a.2000, b-c.2001 ` "
        "and :citet:`Lee.2020`."
    )
    assert text == (
        "See {numref}`fig_a`, {ref}`sec_b`, {eq}`eq_c`, {cite:p}`a.2000,b-c.2001` "
        "and {cite:t}`Lee.2020`."
    )
    assert problems == []


def test_double_backtick_role_is_repaired() -> None:
    assert inline("see :numref:``sec_x`` here")[0] == "see {numref}`sec_x` here"


def test_unclosed_role_is_text_and_reported() -> None:
    text, problems = inline("as in :numref:`sec_x and then more")
    assert text == "as in sec_x and then more"
    assert [(p.code, p.line, p.target) for p in problems] == [
        (Code.RENDER_UNRESOLVED_REFERENCE, 1, "sec_x")
    ]


def test_code_spans_and_math_are_left_alone() -> None:
    source = "Use `:numref:` and ``(**x**)`` or $a<b$ and $$x :label:`no`$$ then <eos>."
    text, _ = inline(source)
    assert text == ("Use `:numref:` and ``(**x**)`` or $a<b$ and $$x :label:`no`$$ then \\<eos>.")


def test_slide_marks_across_lines_and_slide_only_text() -> None:
    text, _ = inline("A (**slide text\ngoes on**) and [**short**] [~~hidden~~] end.")
    assert text == "A slide text\ngoes on and short  end."


def test_slide_only_text_across_lines_keeps_line_positions() -> None:
    lines, _ = inline_lines("one (~~two\nthree~~) four\nfive")
    assert [(line.text, line.src) for line in lines] == [
        ("one ", 1),
        (" four", 2),
        ("five", 3),
    ]


def test_bare_words_in_angle_brackets_are_text_but_html_stays() -> None:
    text, _ = inline("tokens <bos>, <eos> and <unk> but <b>bold</b> and <https://x.org>")
    assert text == "tokens \\<bos>, \\<eos> and \\<unk> but <b>bold</b> and <https://x.org>"


def test_role_as_link_target() -> None:
    assert inline("[the figure](:numref:`fig_x`)")[0] == "{ref}`the figure <fig_x>`"


def test_heading_label_becomes_target_and_spacing_is_fixed() -> None:
    out = convert(" # Title\n:label:`sec_t`\n\n##[**Sub**]\n:label:`sec_s`")
    assert out.text() == "(sec_t)=\n# Title\n\n(sec_s)=\n## Sub"
    assert [line.src for line in out.lines] == [2, 1, 3, 5, 4]


def test_figure_with_width_label_and_roles_in_caption() -> None:
    out = convert(
        "![Data with $x$ after :citet:`Lee.2020`.](../img/a.svg)\n:width:`400px`\n:label:`fig_a`",
        ConvertOptions(resolve_image=lambda p: "/img/a.svg"),
    )
    assert out.text().split("\n") == [
        "```{figure} /img/a.svg",
        ":name: fig_a",
        ":width: 400px",
        "",
        "Data with $x$ after {cite:t}`Lee.2020`.",
        "```",
    ]
    assert {line.src for line in out.lines} == {1}


def test_broken_image_syntax_on_one_line_is_repaired() -> None:
    out = convert("! [Cap](.. /img/x.svg) :label:`fig_x`")
    assert out.text().split("\n")[:2] == ["```{figure} ../img/x.svg", ":name: fig_x"]


def test_missing_image_is_reported() -> None:
    out = convert("text\n\n![Cap](../img/none.svg)", ConvertOptions(resolve_image=lambda p: None))
    assert [(p.code, p.line, p.target) for p in out.problems] == [
        (Code.RENDER_MISSING_IMAGE, 3, "../img/none.svg")
    ]


def test_table_caption_label_after_and_row_without_pipe() -> None:
    out = convert(":Sizes $n$\n| a | b |\n|---|---|\n| 1 | 2 |\n3 | 4\n:label:`tab_s`\n\nAfter.")
    assert out.text().split("\n") == [
        "~~~{table} Sizes $n$",
        ":name: tab_s",
        "",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "| 3 | 4",
        "~~~",
        "",
        "After.",
    ]


def test_table_label_before_caption() -> None:
    out = convert(":label:`tab_s`\n:Caption\n\n| a |\n|---|\n| 1 |")
    assert out.text().split("\n")[:2] == ["~~~{table} Caption", ":name: tab_s"]


def test_display_equation_labels_in_every_placement() -> None:
    for source in (
        "$$x = 1$$\n:eqlabel:`eq_a`",
        "$$x = 1$$ :eqlabel:`eq_a`",
        "$$x = 1$$:eqlabel:`eq_a`",
        "$$x = 1$$\n\n:eqlabel:`eq_a`",
        "$$\nx = 1\n$$\n:eqlabel:`eq_a`",
    ):
        out = convert(source)
        assert out.text().split("\n") == ["```{math}", ":label: eq_a", "", "x = 1", "```"], source


def test_unlabelled_equation_and_tabs_in_math() -> None:
    out = convert("Text\n$$\na\t= b\n$$")
    assert out.text().split("\n") == ["Text", "```{math}", "a = b", "```"]


def test_floating_label_targets_the_block_before() -> None:
    out = convert("A paragraph\nof text.\n:label:`para`\n\nNext.")
    assert out.text().split("\n")[:3] == ["(para)=", "A paragraph", "of text."]


def test_toc_eval_rst_bibliography_and_listings() -> None:
    out = convert(
        "```toc\n:maxdepth: 2\n:numbered:\n\nchap/index\nother.md\n```\n\n"
        "```eval_rst\n.. only:: html\n```\n\n:bibliography:`../refs.bib`\n\n"
        "```{.python}\nprint(':numref:`x`')\n```"
    )
    assert out.text().split("\n") == [
        "```{toctree}",
        ":maxdepth: 2",
        ":numbered:",
        "",
        "chap/index",
        "other",
        "```",
        "",
        "```{eval-rst}",
        ".. only:: html",
        "```",
        "",
        "```{bibliography}",
        ":filter: cited",
        "```",
        "",
        "```python",
        "print(':numref:`x`')",
        "```",
    ]
    assert [line.src for line in out.lines][4:6] == [5, 6]


def test_duplicate_copies_drop_targets_and_tabs_use_rubrics() -> None:
    opts = ConvertOptions(keep_targets=False, headings_as_rubric=True)
    out = convert(
        "## Inside\n:label:`sec_in`\n\n![c](a.svg)\n:label:`fig_in`\n\n$$x$$\n:eqlabel:`e`", opts
    )
    assert "(sec_in)=" not in out.text() and ":name:" not in out.text()
    assert ":label:" not in out.text()
    assert out.text().startswith("~~~{rubric} Inside\n~~~")


def test_image_inside_a_paragraph_keeps_its_place_with_a_resolved_path() -> None:
    out = convert(
        "Text with ![icon](../img/i.svg) inside.",
        ConvertOptions(resolve_image=lambda p: "/img/i.svg"),
    )
    assert out.text() == "Text with ![icon](/img/i.svg) inside."


def test_role_inside_a_heading() -> None:
    assert convert("## About :numref:`sec_x`").text() == "## About {numref}`sec_x`"
