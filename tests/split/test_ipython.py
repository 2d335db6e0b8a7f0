"""The one IPython masker (`split.ipython`), as the alias rewrite and the
Python validity check both use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.split.ipython import mask, unmask

CONFIG = """\
[book]
title = "Shell"
frameworks = ["pytorch"]

[framework.pytorch]
display_name = "PyTorch"
module = "torch"
lib_name = "torch"
simple_alias = ["ones"]

[languages.en]
name = "English"
title = "Shell"
"""

# A shell assignment (`files = !ls`) and a `d2l.` alias in one cell.
CELL = "files = !ls\nx = d2l.ones(len(files))"
PAGE = f"# Shell\n\n```{{.python .input}}\n{CELL}\n```\n"


def test_mask_keeps_line_numbers_and_unmask_restores() -> None:
    source = "%time x = 1\nif x:\n  !ls\nout = %env\ny = 2"
    masked, originals = mask(source)
    assert masked == (
        "__polybook_ipython_0__\nif x:\n  __polybook_ipython_1__\n__polybook_ipython_2__\ny = 2"
    )
    assert originals == ["%time x = 1", "!ls", "out = %env"]
    assert unmask(masked, originals) == source


@pytest.fixture
def shell_book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    (root / "_config").mkdir(parents=True)
    (root / "_config" / "book.toml").write_text(CONFIG, encoding="utf-8")
    (root / "references.bib").write_text("", encoding="utf-8")
    (root / "chapters" / "en").mkdir(parents=True)
    (root / "chapters" / "en" / "index.md").write_text(PAGE, encoding="utf-8")
    return root


def test_shell_assignment_cell_gets_its_alias_rewritten_without_pb198(
    shell_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--book", str(shell_book), "split"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # no diagnostic at all, PB198 (alias not rewritten) included
    path = shell_book / "_build" / "split" / "en" / "pytorch" / "index.ipynb"
    cells = json.loads(path.read_text("utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert code == ["files = !ls\nx = torch.ones(len(files))"]


def test_check_reports_no_syntax_error_for_the_shell_assignment_cell(
    shell_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--book", str(shell_book), "check"]) == 0
    assert capsys.readouterr().out == "check en: 0 errors, 0 warnings, 0 info\n"
