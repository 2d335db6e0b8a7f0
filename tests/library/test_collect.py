"""Collecting one page's saved blocks per framework: cells, labels, modes."""

from __future__ import annotations

import gc
from pathlib import Path

from polybook.library.collect import PageCollector, library_split
from polybook.library.model import Mode, SavedBlock
from polybook.library.run import generate_library
from polybook.source.book import Book
from tests.conftest import parse_text
from tests.library.util import SAVEBOOK, copy_book

ORDERED = ("pytorch", "mxnet", "tensorflow", "jax")


def collect(text: str, mode: Mode = Mode.COMPAT) -> dict[str, list[SavedBlock]]:
    collector = PageCollector(ORDERED, mode, frozenset(), "d2l")
    page = parse_text(text)
    return collector.collect(page, library_split(page, ORDERED, mode))[0]


def _cell(marker: str, body: str) -> str:
    return f"```{{.python .input}}\n%%tab {marker}\n{body}\n```\n\n"


PAGE = (
    "# Page\n:label:`sec_page`\n\nIntro.\n\n"
    "```{.python .input}\n%load_ext d2lbook.tab\ntab.interact_select(['pytorch'])\n```\n\n"
    "Text after the interact cell.\n\n"
    + _cell("all", "def first():  #@save\n    pass")
    + "## Part\n:label:`subsec_part`\n\n"
    + _cell("all", "def second():  #@save\n    pass")
    + "More text.\n\n"
    + _cell("pytorch, jax", "def third():  #@save\n    pass")
)


def test_compat_labels_skip_the_prose_cell_right_above() -> None:
    blocks = collect(PAGE)
    assert list(blocks) == ["pytorch", "jax"]  # only frameworks named in code markers
    # the interact cell cut the prose: "Text after..." is the cell above `first`
    assert [b.label for b in blocks["pytorch"]] == ["sec_page", "sec_page", "subsec_part"]
    assert [b.label for b in blocks["jax"]] == ["sec_page", "sec_page", "subsec_part"]


def test_clean_labels_name_the_section_of_the_cell() -> None:
    blocks = collect(PAGE, Mode.CLEAN)
    assert [b.label for b in blocks["pytorch"]] == ["sec_page", "subsec_part", "subsec_part"]


def test_first_cell_without_prose_in_between_gets_no_compat_note() -> None:
    page = "# T\n:label:`sec_t`\n\n" + _cell("all", "def f():  #@save\n    return 1")
    compat = collect(page)["pytorch"][0]
    assert compat.label == "" and '"""' not in compat.text
    assert collect(page, Mode.CLEAN)["pytorch"][0].text == (
        'def f():\n    """Defined in :numref:`sec_t`"""\n    return 1'
    )


ELSE = _cell(
    "all",
    "def device():  #@save\n"
    "    if tab.selected('pytorch'):\n        return 'cuda'\n"
    "    elif tab.selected('mxnet'):\n        return 'gpu'\n"
    "    else:\n        return 'cpu'",
)


def test_clean_resolves_elif_and_else_like_the_split_stage() -> None:
    clean = collect("# T\n\n" + ELSE, Mode.CLEAN)
    assert clean["pytorch"][0].text == "def device():\n    return 'cuda'"
    compat = collect("# T\n\n" + ELSE)
    # the old textual rule keeps a dangling `else:` (reproduced, and reported)
    assert compat["pytorch"][0].text == (
        "def device():\n    return 'cuda'\n    else:\n        return 'cpu'"
    )


def test_clean_dedents_a_mark_on_an_indented_line() -> None:
    page = "# T\n\n" + _cell("all", "class A:\n    def f(self):  #@save\n        return 1")
    assert collect(page)["pytorch"][0].text == "def f(self):\n        return 1"
    assert collect(page, Mode.CLEAN)["pytorch"][0].text == "def f(self):\n    return 1"


def test_broken_saved_code_is_reported_at_its_page(tmp_path: Path) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    page = root / "chapters" / "en" / "chapter_advanced" / "redefine.md"
    page.write_text(page.read_text("utf-8") + "\n" + ELSE, encoding="utf-8")
    (root / "d2l" / "__init__.py").write_text("VERSION = 1\n", encoding="utf-8")
    result = generate_library(Book.open(root))
    codes = {(d.code, d.file) for d in result.diagnostics}
    assert ("PB192", "chapters/en/chapter_advanced/redefine.md") in codes
    assert ("PB199", "d2l/__init__.py") in codes
    clean = generate_library(Book.open(root), None, Mode.CLEAN)
    assert "PB192" not in {d.code for d in clean.diagnostics}


def test_a_module_that_does_not_parse_leaves_no_reference_cycle(tmp_path: Path) -> None:
    """The PB192 report keeps no SyntaxError: its traceback would hold the
    stage's frames, every page read among them, until a garbage collection."""
    root = copy_book(SAVEBOOK, tmp_path)
    page = root / "chapters" / "en" / "chapter_advanced" / "redefine.md"
    page.write_text(page.read_text("utf-8") + "\n" + ELSE, encoding="utf-8")
    book = Book.open(root)
    gc.collect()
    gc.disable()
    try:
        result = generate_library(book)
        assert "PB192" in {d.code for d in result.diagnostics}
        del result
        assert gc.collect() == 0
    finally:
        gc.enable()
