"""Exact source positions in every stage (issue: one parse, exact source maps).

The fixture book `tests/fixtures/faultbook` holds faults on known lines of
`chapters/en/chap/faults.md`; each stage must report each fault at exactly that
line (equality, never "near").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from polybook.check.run import check_book
from polybook.diagnostics import Code, Diagnostic
from polybook.source.book import Book

FAULTBOOK = Path(__file__).resolve().parent / "fixtures" / "faultbook"
PAGE = "chapters/en/chap/faults.md"

# the faults and their lines (read the fixture: each is on exactly this line)
DAMAGED_ROLE = 23  # `:numref:` never closed, deep in a paragraph after two tab regions
SYNTAX_7TH_LINE = 34  # the 7th line of a jax cell does not parse
RAISES_5TH_LINE = 43  # the 5th line of a pytorch cell raises at execution
BAD_INDENT = 51  # a saved function's body indented wrongly (both frameworks)
REF_IN_LIST_ITEM = 58  # on the second line of a list item
REF_IN_TABLE_CAPTION = 60
MISSING_IMAGE_LAST_LINE = 69


def _at(diagnostics: list[Diagnostic]) -> set[tuple[str, str, int]]:
    return {(d.code, d.file, d.line) for d in diagnostics}


@pytest.fixture
def faultbook(tmp_path: Path) -> Book:
    root = tmp_path / "faultbook"
    shutil.copytree(FAULTBOOK, root)
    return Book.open(root)


def test_fixture_lines_hold_the_faults() -> None:
    lines = (FAULTBOOK / PAGE).read_text("utf-8").split("\n")
    assert ":numref:`sec_faults and" in lines[DAMAGED_ROLE - 1]
    assert lines[SYNTAX_7TH_LINE - 1] == "    return a + * b"
    assert lines[SYNTAX_7TH_LINE - 8] == "%%tab jax"
    assert lines[RAISES_5TH_LINE - 1].startswith("raise ValueError")
    assert lines[RAISES_5TH_LINE - 7 : RAISES_5TH_LINE - 5] == [
        "```{.python .input}",
        "%%tab pytorch",
    ]
    assert lines[BAD_INDENT - 1] == "  return 1"
    assert "#@save" in lines[BAD_INDENT - 3]
    assert ":numref:`fig_missing`" in lines[REF_IN_LIST_ITEM - 1]
    assert lines[REF_IN_LIST_ITEM - 2].startswith("- ")
    assert lines[REF_IN_TABLE_CAPTION - 1].startswith(":Sizes")
    assert lines[MISSING_IMAGE_LAST_LINE - 1] == "![A missing figure](../img/missing.svg)"
    assert lines[MISSING_IMAGE_LAST_LINE:] == [""]


def test_check_places_every_fault_on_its_line(faultbook: Book) -> None:
    found = _at(check_book(faultbook, "en"))
    assert found == {
        (Code.UNCLOSED_ROLE.id, PAGE, DAMAGED_ROLE),
        (Code.CODE_SYNTAX.id, PAGE, SYNTAX_7TH_LINE),
        (Code.CODE_SYNTAX.id, PAGE, BAD_INDENT),
        (Code.DANGLING_REFERENCE.id, PAGE, REF_IN_LIST_ITEM),
        (Code.DANGLING_REFERENCE.id, PAGE, REF_IN_TABLE_CAPTION),
        (Code.MISSING_IMAGE.id, PAGE, MISSING_IMAGE_LAST_LINE),
    }


@pytest.mark.parametrize("site", ["pytorch", "jax", "all"])
def test_render_places_conversion_and_sphinx_warnings_on_their_lines(
    faultbook: Book, site: str
) -> None:
    from polybook.graph import split_site
    from polybook.render.build import build_html

    split_site(faultbook, "en")
    result = build_html(faultbook, "en", site)
    found = _at([d for d in result.diagnostics if d.file == PAGE])
    assert found == {
        (Code.RENDER_UNRESOLVED_REFERENCE.id, PAGE, DAMAGED_ROLE),
        (Code.RENDER_UNRESOLVED_REFERENCE.id, PAGE, REF_IN_LIST_ITEM),
        (Code.RENDER_UNRESOLVED_REFERENCE.id, PAGE, REF_IN_TABLE_CAPTION),
        (Code.RENDER_MISSING_IMAGE.id, PAGE, MISSING_IMAGE_LAST_LINE),
    }


def test_library_places_a_saved_function_that_breaks_it_on_its_line(faultbook: Book) -> None:
    from polybook.library.model import Mode
    from polybook.library.run import generate_library

    for mode in (Mode.COMPAT, Mode.CLEAN):
        found = _at(generate_library(faultbook, mode=mode).diagnostics)
        assert found == {(Code.SAVED_CODE_SYNTAX.id, PAGE, BAD_INDENT)}, mode


@pytest.mark.slow
def test_execute_places_the_raising_line_of_a_cell(faultbook: Book, tmp_path: Path) -> None:
    import contextlib
    import io
    import json

    from polybook.cli import main
    from tests.conftest import require
    from tests.execute.test_real_envs import REPO_ENVS

    require((REPO_ENVS / "pytorch" / ".installed").is_file(), "the pytorch environment")
    report = tmp_path / "report.json"
    argv = ["--book", str(faultbook.root), "execute", "--framework", "pytorch"]
    argv += ["--env-dir", str(REPO_ENVS), "--keep-going", "--report", str(report)]
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(argv) == 1
    failed = [n for n in json.loads(report.read_text())["notebooks"] if n["status"] == "failed"]
    assert [(n["page"], n["failure"]["file"], n["failure"]["line"]) for n in failed] == [
        ("chap/faults.md", PAGE, RAISES_5TH_LINE)
    ]
    assert f"{PAGE}:{RAISES_5TH_LINE}: error [en/pytorch] cell-error: ValueError" in err.getvalue()
