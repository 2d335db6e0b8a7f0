"""`polybook check --changed/--changed-since/--outputs` and the pre-commit hooks
(`.pre-commit-hooks.yaml`) on a fixture git repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from polybook.check.changed import changed_pages, check_changed
from polybook.cli import main
from polybook.source.book import Book
from tests.conftest import REPO, require

CONFIG = """[book]
title = "Tiny"
frameworks = ["pytorch"]

[framework.pytorch]
display_name = "PyTorch"
module = "torch"
lib_name = "torch"

[languages.en]
name = "English"
title = "Tiny"
"""
PAGES = {
    "index.md": "# Tiny\n\n```toc\n:maxdepth: 2\n\nchap/a\nchap/b\n```\n",
    "chap/a.md": "# A\n:label:`sec_a`\n\nSee :numref:`sec_b`.\n",
    "chap/b.md": "# B\n:label:`sec_b`\n\nSee :numref:`sec_nowhere`.\n",
}
GIT = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def _book(root: Path) -> Path:
    (root / "_config").mkdir(parents=True)
    (root / "_config" / "book.toml").write_text(CONFIG, encoding="utf-8")
    for rel, text in PAGES.items():
        path = root / "chapters" / "en" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT}
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def _repo(tmp_path: Path) -> Path:
    root = _book(tmp_path / "book")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "book")
    return root


def test_only_the_changed_pages_against_every_label(tmp_path: Path) -> None:
    book = Book.open(_book(tmp_path / "book"))
    a = book.root / "chapters/en/chap/a.md"
    changed = changed_pages(book, [str(a), "README.md"], cwd=book.root)
    assert changed.pages == {"en": ["chap/a.md"]}
    assert changed.skipped == ["README.md"]
    # a's reference to b's label resolves; b's dangling reference is not a's
    assert check_changed(book, changed) == []
    found = check_changed(book, changed_pages(book, ["chapters/en/chap/b.md"], cwd=book.root))
    assert [(d.code, d.file, d.line, d.target) for d in found] == [
        ("PB151", "chapters/en/chap/b.md", 4, "sec_nowhere")
    ]


def test_a_duplicate_label_is_reported_in_the_changed_page(tmp_path: Path) -> None:
    """Whichever page comes first in the book, the changed page gets the report."""
    root = _book(tmp_path / "book")
    (root / "chapters/en/chap/a.md").write_text("# A\n:label:`sec_b`\n", encoding="utf-8")
    book = Book.open(root)
    found = check_changed(book, changed_pages(book, ["chapters/en/chap/a.md"], cwd=root))
    assert [(d.code, d.file, d.line) for d in found] == [("PB150", "chapters/en/chap/a.md", 2)]
    assert "chapters/en/chap/b.md:2" in found[0].message
    found = check_changed(book, changed_pages(book, ["chapters/en/chap/b.md"], cwd=root))
    assert [(d.code, d.file, d.line) for d in found] == [
        ("PB150", "chapters/en/chap/b.md", 2),
        ("PB151", "chapters/en/chap/b.md", 4),
    ]


def test_changed_since_a_ref(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require(shutil.which("git") is not None, "git is not installed")
    root = _repo(tmp_path)
    _git(root, "checkout", "-qb", "topic")
    page = root / "chapters/en/chap/a.md"
    page.write_text(page.read_text("utf-8") + "\nAnd :numref:`sec_gone`.\n", encoding="utf-8")
    _git(root, "commit", "-qam", "edit")
    (root / "notes.txt").write_text("not a page\n", encoding="utf-8")
    _git(root, "add", "notes.txt")  # staged, not committed: still part of the change
    assert main(["--book", str(root), "check", "--changed-since", "main"]) == 1
    out = capsys.readouterr().out
    assert "chapters/en/chap/a.md:6: error PB151: :numref:`sec_gone`" in out
    assert "sec_nowhere" not in out  # b.md did not change
    assert "check changed: 1 pages (en 1), 1 other files skipped" in out
    assert main(["--book", str(root), "check", "--changed-since", "no-such-ref"]) == 2


def test_outputs_mode_fails_on_any_pasted_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _book(tmp_path / "book")
    page = root / "chapters/en/chap/a.md"
    page.write_text(
        "# A\n\n```{.python .input}\n1/0\n```\n\n```\nTraceback (most recent call last):\n```\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    assert main(["check", "--outputs", "chapters/en/chap/a.md", "chapters/en/chap/b.md"]) == 1
    out = capsys.readouterr().out
    assert "chapters/en/chap/a.md:8: warning PB431" in out
    assert main(["check", "--outputs", "chapters/en/chap/b.md"]) == 0


def _hooks_as_local(root: Path) -> None:
    """A `.pre-commit-config.yaml` running the repository's own hooks as `repo:
    local` hooks (`language: system`, this venv's polybook): the same ids,
    entries, file patterns and options as `.pre-commit-hooks.yaml`, with no
    hook environment to install (offline)."""
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    polybook = str(Path(sys.executable).parent / "polybook")
    local = []
    for hook in hooks:
        entry = hook["entry"]
        assert entry.startswith("polybook ")
        local.append({**hook, "language": "system", "entry": polybook + entry[len("polybook") :]})
    config = {"repos": [{"repo": "local", "hooks": local}]}
    # YAML is a superset of JSON
    (root / ".pre-commit-config.yaml").write_text(json.dumps(config, indent=1), "utf-8")


# pre-commit runs git and two polybook processes per call (about 1.5 s in all)
def test_pre_commit_hooks_on_a_fixture_repository(tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    require(pre_commit.is_file(), "pre-commit is not installed (pip install -e '.[dev]')")
    require(shutil.which("git") is not None, "git is not installed")
    root = _repo(tmp_path)
    _hooks_as_local(root)
    env = {
        **os.environ,
        **GIT,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_NO_INDEX": "1",  # nothing to download: no hook environment is installed
    }

    def run(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "run", "--files", *files],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    clean = run("chapters/en/chap/a.md")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "polybook check (changed pages, book-wide labels)" in clean.stdout
    assert clean.stdout.count("Passed") == 2

    page = root / "chapters/en/chap/a.md"
    page.write_text(
        page.read_text("utf-8")
        + "\n```{.python .input}\nprint(1)\n```\n\n```{.json .output n=1}\n[]\n```\n",
        encoding="utf-8",
    )
    found = run("chapters/en/chap/a.md")
    assert found.returncode == 1
    assert found.stdout.count("Failed") == 2  # both hooks
    assert "chapters/en/chap/a.md:10: error PB430" in found.stdout
    assert "sec_nowhere" not in found.stdout  # b.md was not among the files

    other = run("chapters/en/chap/b.md")
    assert other.returncode == 1
    assert "chapters/en/chap/b.md:4: error PB151" in other.stdout
    assert other.stdout.count("Passed") == 1  # no outputs in b.md
