"""The installed console script and the Makefile's handling of LANG."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import polybook
from tests.conftest import REPO


def test_console_script_split_and_check(seed_book_root: Path) -> None:
    exe = Path(sys.executable).with_name("polybook")
    assert exe.is_file(), "polybook console script is not installed next to the interpreter"
    split = subprocess.run(
        [str(exe), "--book", str(seed_book_root), "split", "--lang", "vi"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "split: vi: 3 pages, 3 written (11 notebooks), 0 unchanged, 0 removed" in split.stdout
    check = subprocess.run(
        [str(exe), "--book", str(seed_book_root), "check", "--lang", "vi"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 1  # the seed page references labels of other pages
    assert check.stdout.splitlines()[-1].startswith("check vi: ")


def test_module_entry_point_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "polybook", "--version"], capture_output=True, text=True, check=True
    )
    # one version, written in polybook/__init__.py, is the installed distribution's
    assert out.stdout.strip() == f"polybook {polybook.__version__}"
    assert importlib.metadata.version("polybook") == polybook.__version__


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("args", "env_lang", "expected"),
    [
        (["LANG=id", "FRAMEWORK=jax"], "en_US.UTF-8", ("id", "jax")),
        ([], "fr_FR.UTF-8", ("en", "pytorch")),  # a locale in the environment is no book language
        (["LANG=vi"], None, ("vi", "pytorch")),
    ],
)
def test_make_separates_book_language_from_locale(
    args: list[str], env_lang: str | None, expected: tuple[str, str]
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "MAKEFLAGS")}
    if env_lang is not None:
        env["LANG"] = env_lang
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "info", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.splitlines() == [
        f"book language: {expected[0]}",
        f"framework: {expected[1]}",
        "locale: LANG=C.UTF-8 LC_ALL=C.UTF-8",
    ]
