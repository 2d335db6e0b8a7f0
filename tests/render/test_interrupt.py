"""Ctrl-C during `polybook build html`: one line, status 130, and a rerun that
builds the site an uninterrupted build builds, with the same diagnostics.

Each case pauses the command at a checkpoint (before Sphinx, as Sphinx
starts reading, before the fourth page is written, before the stamp) and
sends SIGINT to its process group as a terminal does (tests/interrupting.py).
A build stopped inside Sphinx may leave a page half written, or pages written
whose warnings were never recorded: the next build starts Sphinx afresh.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from polybook.cli import main
from tests.interrupting import PREFIX, start
from tests.render.conftest import MINIBOOK, stand_in_mathjax

# slow: Sphinx on a whole (small) book, several times
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Built:
    code: int
    diagnostics: list[str]
    pages: dict[str, bytes]  # the site's pages (html files but the theme's)


def _argv(root: Path, mathjax: Path, jobs: int) -> list[str]:
    return [
        *("--book", str(root), "build", "html", "--lang", "en", "--framework", "pytorch"),
        *("--mathjax", str(mathjax), "--jobs", str(jobs)),
    ]


def _built(root: Path, code: int, err: str) -> Built:
    diagnostics = sorted(
        line for line in err.splitlines() if ": " in line and not line.startswith(PREFIX)
    )
    out = root / "_build" / "html" / "en" / "pytorch"
    pages = {  # less the `?v=` checksums of assets, there only once an earlier build copied them
        p.relative_to(out).as_posix(): re.sub(rb"\?v=[0-9a-f]{8}\b", b"", p.read_bytes())
        for p in sorted(out.rglob("*.html"))
        if "_static" not in p.parts
    }
    return Built(code, diagnostics, pages)


def _build(root: Path, mathjax: Path, jobs: int = 1) -> tuple[Built, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(_argv(root, mathjax, jobs))
    return _built(root, code, err.getvalue()), out.getvalue()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path]:
    base = tmp_path_factory.mktemp("reference")
    mathjax = stand_in_mathjax(base / "mathjax")
    shutil.copytree(MINIBOOK, base / "book")
    built, _ = _build(base / "book", mathjax)
    assert built.diagnostics and len(built.pages) > 5
    assert all(page.rstrip().endswith(b"</html>") for page in built.pages.values())
    return built, mathjax


@pytest.mark.parametrize(
    ("point", "jobs"),
    [
        ("html-generated", 1),  # the Sphinx sources written, Sphinx not started
        ("sphinx-reading", 2),  # Sphinx about to read every page (two processes)
        ("sphinx-writing", 1),  # every page read, none written
        ("sphinx-page#4", 1),  # three pages written, with their warnings
        ("html-stamp", 1),  # the site complete, its stamp not written
    ],
)
def test_ctrl_c_during_build_html(
    tmp_path: Path, reference: tuple[Built, Path], point: str, jobs: int
) -> None:
    expected, mathjax = reference
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    run = start(_argv(root, mathjax, jobs), tmp_path, point)
    run.wait_for("paused")
    run.interrupt()
    run.release()
    run.assert_interrupted(run.finish())
    assert not list((root / "_build").rglob("*.tmp"))

    again, _ = _build(root, mathjax)
    assert again == expected
    last, out = _build(root, mathjax)
    assert last == expected
    assert "nothing changed since the last build" in out
