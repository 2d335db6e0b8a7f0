"""Shared fixtures: the seed pages from ../shared/seeds placed in a small book."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from polybook.source.book import Book
from polybook.source.model import Page
from polybook.source.parser import parse_page

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FRAMEWORKS = ("pytorch", "mxnet", "tensorflow", "jax")

# seed number -> (language, page path in the seed book)
SEED_PAGES = {
    "000": ("id", "chapter_cnn/lenet.md"),
    "001": ("en", "chapter_cnn/lenet.md"),
    "002": ("vi", "chapter_cnn/lenet.md"),
    "003": ("id", "chapter_cnn/alexnet.md"),
    "004": ("tr", "chapter_cnn/lenet.md"),
}


def seed_path(number: str) -> Path:
    matches = sorted(SEEDS.glob(f"{number}_*.txt"))
    assert matches, f"seed {number} not found under {SEEDS}"
    return matches[0]


def parse_text(text: str, file: str = "page.md", known: tuple[str, ...] = FRAMEWORKS) -> Page:
    return parse_page(text.encode("utf-8"), lang="en", path="page.md", file=file, known=known)


def _index(title: str, entries: list[str], label: str | None = None) -> str:
    head = f"# {title}\n" + (f":label:`{label}`\n" if label else "")
    return head + "\n```toc\n:maxdepth: 2\n\n" + "\n".join(entries) + "\n```\n"


@pytest.fixture
def seed_book(tmp_path: Path) -> Book:
    """The five seeds as pages of one small book (four languages)."""
    return Book.open(make_seed_book(tmp_path))


@pytest.fixture
def seed_book_root(tmp_path: Path) -> Path:
    return make_seed_book(tmp_path)


def make_seed_book(tmp_path: Path) -> Path:
    root = tmp_path / "seedbook"
    shutil.copytree(FIXTURES / "seedbook", root)
    pages: dict[str, list[str]] = {}
    for number, (lang, rel) in SEED_PAGES.items():
        target = root / "chapters" / lang / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed_path(number), target)
        pages.setdefault(lang, []).append(Path(rel).stem)
    for lang, stems in pages.items():
        base = root / "chapters" / lang
        (base / "index.md").write_text(_index("Book", ["chapter_cnn/index"]), encoding="utf-8")
        (base / "chapter_cnn" / "index.md").write_text(
            _index("CNN", sorted(stems), "chap_cnn"), encoding="utf-8"
        )
    return root


def require(condition: bool, message: str) -> None:
    """Skip when a system prerequisite is missing; under `make test`
    (POLYBOOK_STRICT_TESTS=1) a missing prerequisite is a failure instead."""
    if condition:
        return
    if os.environ.get("POLYBOOK_STRICT_TESTS") == "1":
        pytest.fail(f"missing prerequisite: {message}")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _no_command_left_running() -> Iterator[None]:
    """A test that starts polybook commands (tests/interrupting.py) and fails
    before they end leaves none running into the next test."""
    yield
    from tests.interrupting import kill_leftovers

    kill_leftovers()
