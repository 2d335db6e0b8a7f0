"""Ctrl-C during `polybook split`: one line, status 130, no file half written,
and a rerun leaves exactly what an uninterrupted split writes.

Each case pauses the command at a checkpoint and sends SIGINT to its process
group as a terminal does (tests/interrupting.py): in this process while a
notebook or the manifest is about to be written, and while two worker
processes split a large book (they ignore the Ctrl-C; the parent stops them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from polybook.cli import main
from tests.interrupting import start

MINIBOOK = Path(__file__).resolve().parents[1] / "render" / "fixtures" / "minibook"
MANY = 70  # pages: more than pages.PARALLEL_MIN_PAGES, split by worker processes


def _book(root: Path, many: bool) -> Path:
    shutil.copytree(MINIBOOK, root)
    if many:
        chapter = root / "chapters" / "en" / "many"
        chapter.mkdir()
        for n in range(MANY):
            code = "\n".join(f"x{i} = {n} * {i}" for i in range(20))
            text = f"# Page {n}\n\nProse {n}.\n\n```{{.python .input}}\n{code}\n```\n"
            (chapter / f"p{n:03}.md").write_text(text, encoding="utf-8")
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("point", "many"),
    [
        ("split-writing", False),  # the first notebook about to be written
        ("split-writing#4", False),  # three notebooks written, the fourth not
        ("split-manifest", False),  # every notebook written, the manifest not
        ("pages-mapping", True),  # two worker processes splitting
    ],
)
def test_ctrl_c_during_split(tmp_path: Path, point: str, many: bool) -> None:
    reference = _book(tmp_path / "reference", many)
    assert main(["--book", str(reference), "split", "--lang", "en", "--jobs", "2"]) == 0
    root = _book(tmp_path / "book", many)
    argv = ["--book", str(root), "split", "--lang", "en", "--jobs", "2"]
    run = start(argv, tmp_path, point)
    run.wait_for("paused")
    run.interrupt()
    run.release()
    run.assert_interrupted(run.finish())
    out = root / "_build" / "split" / "en"
    assert not list(out.rglob("*.tmp"))
    expected = _tree(reference / "_build" / "split" / "en")
    for rel, data in _tree(out).items():  # each file there is whole: as a full split writes it
        assert data == expected[rel], rel
    assert main(argv) == 0
    assert _tree(out) == expected
