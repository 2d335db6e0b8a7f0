"""A build with nothing to do reuses the site (no generation, no Sphinx); any
input of the site makes the next build a real one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from polybook.diagnostics import Code
from polybook.render import sphinx_run
from polybook.render.build import RenderResult
from polybook.source.book import Book
from tests.render.conftest import build, copy_minibook, stand_in_mathjax, write_executed

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>\n'


def _touch_later(path: Path) -> None:
    """Rewrite a file with the same bytes and a later modification time."""
    data = path.read_bytes()
    before = path.stat().st_mtime_ns
    path.write_bytes(data)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def _edit(rel: str, old: str, new: str) -> Callable[[Book], None]:
    def edit(book: Book) -> None:
        path = book.root / rel
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")

    return edit


def _write(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")


def _move(source: Path, target: Path) -> None:
    source.rename(target)


def _execute(book: Book, notebook: str) -> None:
    write_executed(book, "en", "pytorch", notebook)


EDITS: dict[str, Callable[[Book], None]] = {
    "page": _edit("chapters/en/chap/first.md", "keep the slide", "keep this slide"),
    "translation page read by no en site": _edit("chapters/id/chap/first.md", "#", "# "),
    "image content": lambda book: _touch_later(book.root / "img" / "arrow.svg"),
    "missing image added": lambda book: _write(book.root / "img" / "missing.svg", SVG),
    "bibliography": lambda book: _touch_later(book.root / "references.bib"),
    "configuration": _edit("_config/book.toml", 'release = "', 'release = "1'),
    "executed notebook": lambda book: _execute(book, "chap/second.ipynb"),
    "page of the site deleted": lambda book: (
        book.root / "_build" / "html" / "en" / "pytorch" / "chap" / "second.html"
    ).unlink(),
    "static files of the site deleted": lambda book: shutil.rmtree(
        book.root / "_build" / "html" / "en" / "pytorch" / "_static"
    ),
    "bibliography removed": lambda book: _move(book.root / "references.bib", book.root / "x"),
    "bibliography back": lambda book: _move(book.root / "x", book.root / "references.bib"),
    # (a site with math and no MathJax is not built: PB209, render/mathjax.py)
    "MathJax changed": lambda book: _touch_later(book.root.parent / "mj" / "es5" / "startup.js"),
}


def _no_sphinx(*args: object, **kwargs: object) -> None:
    raise AssertionError("Sphinx ran for a site with nothing to do")


def test_nothing_changed_reuses_the_site_and_its_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = copy_minibook(tmp_path / "book")
    first = build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path / "mj"), jobs=1)
    assert not first.reused
    monkeypatch.setattr(sphinx_run, "run_sphinx", _no_sphinx)
    again = build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path / "mj"), jobs=1)
    assert again.reused
    assert (again.pages, again.rewritten, again.read, again.written) == (first.pages, [], 0, 0)
    assert again.diagnostics == first.diagnostics
    assert Code.RENDER_MISSING_IMAGE.id in {d.code for d in again.diagnostics}
    # another site of the book has a stamp of its own
    monkeypatch.undo()
    assert not build(book, "en", "jax", mathjax=stand_in_mathjax(tmp_path / "mj"), jobs=1).reused


def test_every_input_of_the_site_makes_the_next_build_real(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")

    def run() -> RenderResult:
        return build(
            Book.open(book.root), "en", "pytorch", mathjax=stand_in_mathjax(tmp_path / "mj"), jobs=1
        )

    run()
    assert run().reused
    outcomes: dict[str, tuple[bool, bool]] = {}
    for name, edit in EDITS.items():
        edit(book)
        outcomes[name] = (run().reused, run().reused)
    assert outcomes == {
        "page": (False, True),
        # a translation is not an input of the English site
        "translation page read by no en site": (True, True),
        "image content": (False, True),
        "missing image added": (False, True),
        "bibliography": (False, True),
        "configuration": (False, True),
        "executed notebook": (False, True),
        "page of the site deleted": (False, True),
        "static files of the site deleted": (False, True),
        "bibliography removed": (False, True),
        "bibliography back": (False, True),
        "MathJax changed": (False, True),
    }
    last = run()
    assert Code.RENDER_MISSING_IMAGE.id not in {d.code for d in last.diagnostics}
    assert (last.out / "chap" / "second.html").is_file()
