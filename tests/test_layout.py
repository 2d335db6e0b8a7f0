"""The build directory's layout has one owner, `polybook.layout`."""

from __future__ import annotations

from pathlib import Path

from polybook.layout import BuildLayout
from polybook.source.book import Book
from tests.conftest import FIXTURES, REPO


def test_every_build_path() -> None:
    layout = BuildLayout(Path("/book"))
    assert layout.build == Path("/book/_build")
    assert layout.split("id") == Path("/book/_build/split/id")
    assert layout.executed("id") == Path("/book/_build/executed/id")
    assert layout.work == Path("/book/_build/work")
    assert layout.cache == Path("/book/_build/cache")
    assert layout.render("id", "all") == Path("/book/_build/render/id/all")
    assert layout.html("id", "jax") == Path("/book/_build/html/id/jax")
    assert layout.mathjax == Path("/book/_build/tools/node_modules/mathjax")
    assert BuildLayout(Path("/book"), "/var/cache/pb").cache == Path("/var/cache/pb")


def test_a_book_has_the_layout_of_its_root_and_cache_dir(tmp_path: Path) -> None:
    config = (FIXTURES / "seedbook" / "_config" / "book.toml").read_text("utf-8")
    (tmp_path / "_config").mkdir()
    (tmp_path / "_config" / "book.toml").write_text(
        config + '\n[execute]\ncache_dir = "../shared-cache"\n', encoding="utf-8"
    )
    book = Book.open(tmp_path)
    assert book.layout == BuildLayout(tmp_path.resolve(), "../shared-cache")
    assert book.layout.cache == tmp_path.resolve() / ".." / "shared-cache"


def test_no_stage_spells_the_build_directory() -> None:
    package = REPO / "tools" / "polybook"
    spelled = [
        path.relative_to(package).as_posix()
        for path in sorted(package.rglob("*.py"))
        if '"_build"' in path.read_text("utf-8") or "'_build'" in path.read_text("utf-8")
    ]
    assert spelled == ["layout.py"]
