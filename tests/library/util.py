"""Shared helpers of the library tests: fixture books copied to a scratch place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAVEBOOK = FIXTURES / "savebook"
EXPECTED = FIXTURES / "savebook_expected"
D2LBOOK = FIXTURES / "d2lbook_book"
# a second d2lbook 1.0.3 golden: standalone-mark statements last in their modules
BLANKLINE = FIXTURES / "d2lbook_blankline"
# POLYBOOK_REGEN_GOLDEN=1 rewrites the savebook goldens (then read them!)
REGENERATE = os.environ.get("POLYBOOK_REGEN_GOLDEN") == "1"
LIBRARY_FILES = ("torch.py", "mxnet.py", "jax.py", "__init__.py")

_IGNORE = shutil.ignore_patterns(".ruff_cache", "ruff.toml", "_build", "__pycache__")


def copy_book(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / source.name
    shutil.copytree(source, root, ignore=_IGNORE)
    return root


def d2lbook_input(tmp_path: Path, source: Path = D2LBOOK) -> Path:
    """A d2lbook fixture book with its library as it was before the build."""
    root = copy_book(source, tmp_path)
    shutil.rmtree(root / "d2l")
    shutil.copytree(root / "d2l_before_build", root / "d2l")
    return root


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}
