"""One build graph: `make html` splits once per language, then executes and
renders without splitting again; the commands run by hand split by themselves."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from polybook.cli import main
from tests.conftest import REPO
from tests.execute.conftest import TinyBook, page

# real kernels (and make): end to end
pytestmark = pytest.mark.slow

SPLIT_LINE = re.compile(r"^split: (\w+): (\d+) pages, (\d+) written .*, (\d+) unchanged", re.M)


def _index(title: str) -> str:
    return f"# {title}\n\n```toc\n:maxdepth: 2\n\nch/a\nch/b\n```\n"


@pytest.fixture
def tiny(book: TinyBook) -> TinyBook:
    """English with two pages; Indonesian lacks `ch/b` (taken from English)."""
    book.write("index.md", _index("Tiny"))
    book.write("ch/a.md", page("A", "print('a runs')"))
    book.write("ch/b.md", page("B", "print('b runs, in English only')"))
    book.write("index.md", _index("Mungil"), lang="id")
    book.write("ch/a.md", page("A", "print('a runs')", prose="Prosa."), lang="id")
    return book


def _splits(log: str) -> list[tuple[str, int, int, int]]:
    return [(m[0], int(m[1]), int(m[2]), int(m[3])) for m in SPLIT_LINE.findall(log)]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_html_splits_each_language_once(tiny: TinyBook, tmp_path: Path) -> None:
    # the toolchain venv and MathJax count as installed (stamps); polybook is
    # this interpreter's, on the tiny book, with the tiny kernels
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / ".installed").touch()
    (tmp_path / "mathjax-stamp").touch()
    args = [
        "make",
        "--no-print-directory",
        "html-build",
        "LANG=id",
        "FRAMEWORK=pytorch",
        f"BIN={bin_dir}",
        f"POLYBOOK={sys.executable} -m polybook --book {tiny.root}",
        f"MATHJAX_STAMP={tmp_path / 'mathjax-stamp'}",
        f"MATHJAX_DIR={tmp_path / 'no-mathjax'}",
        f"HTML_EXECUTE_ARGS=--keep-going --env-dir {tiny.envs}",
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "MAKEFLAGS")}
    env.pop("MAKELEVEL", None)

    def make() -> str:
        run = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True)
        log = run.stdout + run.stderr
        assert run.returncode == 0, log
        return log

    first = make()
    assert _splits(first) == [("id", 2, 2, 0), ("en", 3, 3, 0)]
    executed = tiny.root / "_build" / "executed"
    assert (executed / "id" / "pytorch" / "ch" / "a.ipynb").is_file()
    assert (executed / "en" / "pytorch" / "ch" / "b.ipynb").is_file()  # the page id lacks
    assert not (executed / "en" / "pytorch" / "ch" / "a.ipynb").exists()
    assert (tiny.root / "_build" / "html" / "id" / "pytorch" / "index.html").is_file()
    assert "--no-split" in first

    again = make()
    assert _splits(again) == [("id", 2, 0, 2), ("en", 3, 0, 3)]


def test_commands_run_by_hand_split_first(
    tiny: TinyBook, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--book", str(tiny.root)]
    assert main([*argv, "execute", "--lang", "id", "--env-dir", str(tiny.envs)]) == 0
    assert _splits(capsys.readouterr().out) == [("id", 2, 2, 0)]
    assert main([*argv, "execute", "--no-split", "--lang", "id", "--env-dir", str(tiny.envs)]) == 0
    assert _splits(capsys.readouterr().out) == []
    mathjax = str(tiny.root / "no-mathjax")
    assert main([*argv, "build", "html", "--lang", "id", "--mathjax", mathjax]) == 0
    assert _splits(capsys.readouterr().out) == [("id", 2, 0, 2), ("en", 3, 3, 0)]
