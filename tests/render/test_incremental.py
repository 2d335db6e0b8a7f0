"""Incremental rebuilds and the command line (`polybook build html`, --strict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.cli import main
from polybook.diagnostics import Code
from tests.render.conftest import build, copy_minibook, stand_in_mathjax, write_executed
from tests.render.htmlparse import Page


def _stable(root: Path) -> None:
    """The mini book without its missing image (Sphinx re-reads such a page every build)."""
    page = root / "chapters" / "en" / "chap" / "second.md"
    text = page.read_text("utf-8").replace("![A missing picture.](../img/missing.svg)\n", "")
    page.write_text(text.replace(":label:`fig_gone`\n", ""), "utf-8")


def test_prose_edit_rerenders_that_page_and_keeps_outputs(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    _stable(book.root)
    build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path), jobs=1)
    executed = write_executed(book, "en", "pytorch", "chap/first.ipynb")
    build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path), jobs=1)
    stamp = executed.stat().st_mtime_ns

    page = book.root / "chapters" / "en" / "chap" / "first.md"
    page.write_text(page.read_text("utf-8").replace("keep the slide", "keep this slide"))
    result = build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path), jobs=1)

    assert result.rewritten == ["chap/first"]
    assert result.read == 1
    assert result.written <= 2  # the page, and the chapter index listing it
    assert executed.stat().st_mtime_ns == stamp
    html = Page.load(result.out / "chap" / "first.html")
    assert "keep this slide text" in " ".join(html.visible_text().split())
    assert "output of cell 1" in html.visible_text(skip_code=False)

    nothing = build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path), jobs=1)
    assert (nothing.rewritten, nothing.read, nothing.written) == ([], 0, 0)
    # warnings of pages Sphinx did not touch are still reported
    codes = {d.code for d in nothing.diagnostics}
    assert {Code.RENDER_UNRESOLVED_REFERENCE.id, Code.RENDER_UNRESOLVED_CITATION.id} <= codes


def test_page_referencing_a_changed_label_is_rewritten(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    _stable(book.root)
    build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path), jobs=1)
    page = book.root / "chapters" / "en" / "chap" / "first.md"
    page.write_text(page.read_text("utf-8").replace(":eqlabel:`eq_loss`", ":eqlabel:`eq_mse`"))
    result = build(book, "en", "pytorch", mathjax=stand_in_mathjax(tmp_path), jobs=1)
    gone = [d for d in result.diagnostics if d.target == "eq_loss"]
    assert sorted((d.file, d.line) for d in gone) == [
        ("chapters/en/chap/first.md", 11),
        ("chapters/en/chap/second.md", 4),
    ]


def test_command_line_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = copy_minibook(tmp_path / "book")
    args = ["--book", str(book.root), "build", "html", "--lang", "id", "--framework", "jax"]
    args += ["--mathjax", str(stand_in_mathjax(tmp_path)), "--jobs", "1"]
    assert main(args) == 0
    captured = capsys.readouterr()
    unresolved = Code.RENDER_UNRESOLVED_REFERENCE.id
    assert f"chapters/en/chap/second.md:5: warning {unresolved}" in captured.err
    assert f"site: {book.root / '_build' / 'html' / 'id' / 'jax' / 'index.html'}" in captured.out
    assert main([*args, "--strict"]) == 1
    out = book.root / "_build" / "html" / "id" / "jax"
    index = Page.load(out / "chap" / "index.html")
    assert "Dasar" in index.visible_text()
    first = Page.load(out / "chap" / "first.html")  # has math
    scripts = [s.attrs.get("src", "") for s in first.root.find_all("script")]
    assert any("_static/mathjax/startup.js" in s for s in scripts)
    assert not any("://" in s for s in scripts)
