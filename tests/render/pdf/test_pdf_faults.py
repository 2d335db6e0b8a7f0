"""Faults during `polybook build pdf`.

Ctrl-C while latexmk runs: one line, status 130, no TeX process left behind,
no PDF published, and a rerun that writes the PDF an uninterrupted build
writes, byte for byte. An unwritable PDF or LaTeX folder: one line naming
the folder and the action, status 2, and a rerun that completes.

latexmk leads a process group of its own (a terminal's Ctrl-C reaches only
polybook, which kills that group). The test stops latexmk's group with
SIGSTOP before the Ctrl-C, so it is certainly still running when polybook is
interrupted, whatever the machine's speed.

slow: Sphinx's LaTeX builder and xelatex, several times.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.diagnostics import Code
from tests.cli.faultkit import WAYS, blocked, run
from tests.interrupting import alive, start
from tests.render.conftest import copy_minibook
from tests.render.pdf import poppler

pytestmark = pytest.mark.slow


def _argv(root: Path) -> list[str]:
    return ["--book", str(root), "build", "pdf", "--lang", "en", "--framework", "pytorch"]


def _build(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(_argv(root))
    return code, out.getvalue() + err.getvalue()


def _group(pgid: int) -> list[int]:
    """The live processes of process group `pgid`."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[-1].split()
            if int(fields[2]) == pgid and alive(int(stat.parent.name)):
                members.append(int(stat.parent.name))
    return members


def test_ctrl_c_while_latexmk_runs(tmp_path: Path) -> None:
    poppler.require_tex()
    reference = copy_minibook(tmp_path / "reference").root
    code, log = _build(reference)
    assert code == 0, log
    pdfs = list((reference / "_build" / "pdf" / "en" / "pytorch").glob("*.pdf"))
    assert len(pdfs) == 1
    expected = pdfs[0].read_bytes()

    root = copy_minibook(tmp_path / "book").root
    run = start(_argv(root), tmp_path, "latex-running")
    run.wait_for("paused")
    (latexmk,) = run.pids("latex-running")
    assert alive(latexmk) and latexmk in _group(latexmk)  # the probe sees the live group
    os.killpg(latexmk, signal.SIGSTOP)  # latexmk (and any xelatex) held mid-run
    run.interrupt()
    run.release()
    run.assert_interrupted(run.finish())
    assert _group(latexmk) == []
    published = root / "_build" / "pdf" / "en" / "pytorch" / pdfs[0].name
    assert not published.exists()
    assert not list((root / "_build").rglob("*.tmp"))

    code, log = _build(root)
    assert code == 0, log
    assert published.read_bytes() == expected
    code, log = _build(root)
    assert code == 0 and "ran nothing" in log, log


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("folder", ["_build/pdf", "_build/render-pdf"])
def test_an_unwritable_pdf_folder_is_one_line_and_a_rerun_completes(
    tmp_path: Path, folder: str, way: str
) -> None:
    poppler.require_tex()
    root = copy_minibook(tmp_path / "book").root
    target = root / folder
    with blocked(target, way):
        failed = run(*_argv(root))
    assert failed.code == 2, failed.err
    line = failed.fault()
    code = Code.NOT_A_FOLDER if way == "file" else Code.WRITE_FAILED
    head = f"polybook: error {code.id}: build pdf en/pytorch: cannot write {target}"
    assert line.startswith(head) and line[len(head)] in "/:", line
    rerun = run(*_argv(root))
    assert rerun.code == 0, rerun.err
    assert list((root / "_build" / "pdf" / "en" / "pytorch").glob("*.pdf"))
