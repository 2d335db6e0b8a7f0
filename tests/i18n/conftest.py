"""The translation fixtures, copied so that a test may edit them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES


@pytest.fixture
def i18nbook(tmp_path: Path) -> Path:
    """A book with an English source, a drifted French translation and a
    legacy-syntax Vietnamese one (tests/fixtures/i18nbook)."""
    root = tmp_path / "i18nbook"
    shutil.copytree(FIXTURES / "i18nbook", root)
    return root


@pytest.fixture
def d2lbook_pair(tmp_path: Path) -> tuple[Path, Path]:
    """(translation, origin): d2lbook-layout trees, each with its config.ini."""
    origin = tmp_path / "d2lbookbook"
    target = tmp_path / "d2lbookbook_fr"
    shutil.copytree(FIXTURES / "d2lbookbook", origin)
    shutil.copytree(FIXTURES / "d2lbookbook_fr", target)
    return target, origin
