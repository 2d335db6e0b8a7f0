"""Helpers of the fault tests: a small book whose pages are prose (their
notebooks run without a kernel, so `execute` needs no environment beyond a
kernel spec), commands run in this process, and folders made unwritable in a
way that holds for root too."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from polybook.cli import main
from tests.execute.conftest import TinyBook

# the ways a folder is made unwritable (see `blocked`)
WAYS = ("file", "read-only")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def fault(self) -> str:
        """The one line a fault prints (asserted: one line, no traceback)."""
        assert "Traceback" not in self.err, self.err
        lines = [line for line in self.err.splitlines() if line.strip()]
        assert len(lines) == 1, self.err
        return lines[0]


def run(*argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Run(code, out.getvalue(), err.getvalue())


def fake_env(envs: Path, framework: str = "pytorch") -> Path:
    """An environment that has a kernel spec and no kernel: enough for prose pages."""
    spec = envs / framework / "share" / "jupyter" / "kernels" / f"polybook-{framework}"
    spec.mkdir(parents=True, exist_ok=True)
    argv = ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "language": "python"}))
    return envs / framework


def prose_book(root: Path) -> TinyBook:
    book = TinyBook(root / "book", root / "envs")
    fake_env(book.envs)
    book.configure()
    book.write("index.md", "# Tiny\n\n```toc\n:maxdepth: 2\n\nch/a\nch/b\n```\n")
    book.write("ch/a.md", "# A\n\nThe first page, prose only.\n")
    book.write("ch/b.md", "# B\n\nThe second page, prose only.\n")
    (book.root / "references.bib").write_text(
        "@book{knuth1984,\n  title = {The TeXbook},\n  author = {Knuth, Donald E.},\n"
        "  year = {1984},\n  publisher = {Addison-Wesley}\n}\n"
    )
    (book.root / "d2l").mkdir()
    (book.root / "d2l" / "__init__.py").write_text('__version__ = "0.1"\n')
    return book


def execute_argv(book: TinyBook, *args: str) -> list[str]:
    return ["--book", str(book.root), "execute", "--env-dir", str(book.envs), *args]


def _chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True, check=False)
    return done.returncode == 0


def _denies(path: Path) -> bool:
    probe = path / ".probe"
    try:
        probe.touch()
    except PermissionError:
        return True
    probe.unlink()
    return False


@contextlib.contextmanager
def blocked(path: Path, way: str) -> Iterator[None]:
    """The folder `path` unwritable for the block, then as it was.

    "file": a regular file stands where the folder should be (what was there
    is moved aside). "read-only": nothing can be created in the folder: its
    write permission is removed, or, for root (whom permissions do not stop),
    it gets the immutable attribute; skipped where neither denies a write.
    """
    if way == "file":
        aside = path.with_name(path.name + ".aside")
        if path.exists():
            path.rename(aside)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a file where a folder is expected\n")
        try:
            yield
        finally:
            path.unlink()
            if aside.exists():
                aside.rename(path)
        return
    path.mkdir(parents=True, exist_ok=True)
    root = os.geteuid() == 0
    if root:
        _chattr("+i", path)
    else:
        path.chmod(0o555)
    try:
        if not _denies(path):
            pytest.skip(f"cannot make {path} read-only here (no chattr +i on this file system)")
        yield
    finally:
        if root:
            _chattr("-i", path)
        else:
            path.chmod(0o755)


def snapshot(root: Path, skip: tuple[str, ...] = ("_build",)) -> dict[str, bytes]:
    """Every file under `root` (but those under `skip`) with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] not in skip
    }
