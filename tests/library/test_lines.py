"""Library diagnostics on exact page lines, through the split cell maps (equality)."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.library.collect import PageCollector, library_split
from polybook.library.model import Mode, SavedBlock
from polybook.library.run import generate_library
from polybook.source.book import Book
from tests.conftest import parse_text
from tests.library.util import SAVEBOOK, copy_book

PAGE = "chapters/en/chapter_advanced/redefine.md"
FRAMEWORKS = ("pytorch", "mxnet", "jax")


def _append(root: Path, snippet: str) -> int:
    """Append `snippet` to the savebook's redefine page; returns the page line
    just before it (the snippet's line k is at that line + k)."""
    page = root / PAGE
    text = page.read_text("utf-8").rstrip("\n") + "\n\n"
    page.write_text(text + snippet, encoding="utf-8")
    return text.count("\n")


def _found(root: Path, mode: Mode, code: str) -> list[tuple[str, str, int, str]]:
    result = generate_library(Book.open(root), None, mode)
    return [(d.code, d.file, d.line, d.message) for d in result.diagnostics if d.code == code]


BROKEN = (
    "```{.python .input}\n"  # 1
    "%%tab all\n"  # 2
    "# a stale comment\n"  # 3
    "\n"  # 4
    "\n"  # 5
    "def broken(x):  #@save\n"  # 6
    "    # why\n"  # 7
    "\n"  # 8
    "    return (x +\n"  # 9
    "            ]\n"  # 10: the syntax error
    "```\n"
)


@pytest.mark.parametrize("mode", list(Mode))
def test_syntax_error_in_saved_code_is_placed_on_its_line(tmp_path: Path, mode: Mode) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    base = _append(root, BROKEN)
    found = _found(root, mode, "PB192")
    # the page names jax in a code marker, not mxnet: no mxnet library for it
    assert [(c, f, line) for c, f, line, _ in found] == [("PB192", PAGE, base + 10)] * 2
    assert [m.split(":")[0] for *_, m in found] == [
        f"the generated d2l/{module}.py does not parse" for module in ("torch", "jax")
    ]


BRANCH = (
    "```{.python .input}\n"  # 1
    "%%tab all\n"  # 2
    "def device():  #@save\n"  # 3
    "    # the default framework's branch\n"  # 4
    "    if tab.selected('pytorch'):\n"  # 5
    "        return 'cuda'\n"  # 6
    "\n"  # 7
    "    # stale notes\n"  # 8
    "    if tab.selected('jax'):\n"  # 9
    "\n"  # 10
    "        return jax.devices(\n"  # 11: never closed
    "    if tab.selected('mxnet'):\n"  # 12
    "        return 'gpu'\n"  # 13
    "```\n"
)


@pytest.mark.parametrize("mode", list(Mode))
def test_syntax_error_in_a_branch_of_another_framework(tmp_path: Path, mode: Mode) -> None:
    """The cell does not parse, so both modes select its branches textually; only
    the JAX library gets the broken line, reported where it is on the page."""
    root = copy_book(SAVEBOOK, tmp_path)
    base = _append(root, BRANCH)
    found = _found(root, mode, "PB192")
    assert [(c, f, line) for c, f, line, _ in found] == [("PB192", PAGE, base + 11)]
    assert "d2l/jax.py" in found[0][3]


def test_add_to_class_diagnostics_name_the_decorator_line(tmp_path: Path) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    base = _append(
        root,
        "```{.python .input}\n"  # 1
        "%%tab all\n"  # 2
        "#@save\n"  # 3
        "def helper():\n"  # 4
        "    return 1\n"  # 5
        "\n"  # 6
        "# added later\n"  # 7
        "@d2l.add_to_class(Missing)  #@save\n"  # 8
        "def gone(self):\n"  # 9
        "    pass\n"  # 10
        "```\n",
    )
    for mode in Mode:
        found = _found(root, mode, "PB193")
        assert [(c, f, line) for c, f, line, _ in found] == [("PB193", PAGE, base + 8)]


MARKS = (
    "# T\n"  # 1
    "\n"  # 2
    "```{.python .input}\n"  # 3
    "%%tab all\n"  # 4
    "# setup\n"  # 5
    "if tab.selected('mxnet'):\n"  # 6
    "    ctx = 1\n"  # 7
    "else:\n"  # 8
    "    #@save\n"  # 9
    "\n"  # 10
    "    LIMIT = 3\n"  # 11
    "```\n"
)


def _collect(text: str, mode: Mode) -> tuple[dict[str, list[SavedBlock]], list[tuple[str, int]]]:
    page = parse_text(text)
    collector = PageCollector(FRAMEWORKS, mode, frozenset(), "d2l")
    blocks, diagnostics = collector.collect(page, library_split(page, FRAMEWORKS, mode))
    return blocks, [(d.code, d.line) for d in diagnostics]


def test_mark_in_an_else_branch_through_each_modes_selection() -> None:
    # clean: split resolves the `else:` on the syntax tree; the mark, now at the
    # top level, is followed by a blank line and saves nothing
    blocks, found = _collect(MARKS, Mode.CLEAN)
    assert found == [("PB190", 9)] and blocks == {"pytorch": []}
    # compat: the old textual rule keeps the `else:` body at its indentation,
    # and the line rules take the indented lines below the mark
    blocks, found = _collect(MARKS, Mode.COMPAT)
    assert found == []
    assert [(b.text, b.lines) for b in blocks["pytorch"]] == [("LIMIT = 3", (11,))]


@pytest.mark.parametrize("mode", list(Mode))
def test_save_that_saves_nothing_and_repeated_marks(mode: Mode) -> None:
    blocks, found = _collect(
        "# T\n"  # 1
        "\n"  # 2
        "```{.python .input}\n"  # 3
        "%%tab pytorch, mxnet\n"  # 4
        "#@tab pytorch\n"  # 5: a stale marker, dropped from the code
        "\n"  # 6
        "#@save\n"  # 7: saves nothing
        "\n"  # 8
        "class A:  #@save\n"  # 9
        "    def f(self):  #@save\n"  # 10: inside what line 9 saves
        "        pass\n"  # 11
        "```\n",
        mode,
    )
    assert found == [("PB190", 7), ("PB191", 10)]
    block = blocks["mxnet"][0]
    assert block.line == 7  # the cell's first mark
    if mode is Mode.CLEAN:
        assert (block.text, block.lines) == (
            "class A:\n    def f(self):\n        pass",
            (9, 10, 11),
        )


def test_saved_block_lines_follow_imports_and_notes() -> None:
    blocks, _ = _collect(
        "# T\n"  # 1
        ":label:`sec_t`\n"  # 2
        "\n"  # 3
        "```{.python .input}\n"  # 4
        "%%tab all\n"  # 5
        "#@save\n"  # 6
        "import sys\n"  # 7
        "import os\n"  # 8
        "def f(x):\n"  # 9
        "    return x\n"  # 10
        "```\n",
        Mode.CLEAN,
    )
    (block,) = blocks["pytorch"]
    assert block.text == (
        'import os\nimport sys\n\n\ndef f(x):\n    """Defined in :numref:`sec_t`"""\n    return x'
    )
    # sorted imports keep their own lines; the inserted blank lines and the note
    # count as the lines they follow
    assert block.lines == (8, 7, 8, 8, 9, 9, 10)
