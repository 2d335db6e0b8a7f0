"""The PDF of the mini book end to end: Sphinx, xelatex, and the PDF read back with poppler.

slow: each build runs Sphinx's LaTeX builder and latexmk (a few seconds).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.diagnostics import Code
from polybook.graph import split_site
from polybook.render.pdf.build import PdfResult, build_pdf, pdf_paths
from polybook.source.book import Book
from tests.render.conftest import MINIBOOK, copy_minibook, write_executed
from tests.render.pdf import poppler

pytestmark = pytest.mark.slow

MINIBOOK_SVG = MINIBOOK / "img" / "arrow.svg"

# appended to the first page: indented code, and a line too long for the page
CODE = """
```{.python .input}
%%tab pytorch
def double(values):
    for v in values:
        yield 2 * v
print(list(double([1, 2, 3])), "a string long enough to be wrapped at the right margin", 12345)
```
"""


def _build(book: Book, lang: str = "en") -> PdfResult:
    split_site(book, lang)
    return build_pdf(book, lang, "pytorch", jobs=1)


def _edit(book: Book, rel: str, old: str, new: str) -> None:
    page = book.root / "chapters" / "en" / rel
    text = page.read_text("utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), "utf-8")


def _found(result: PdfResult) -> list[tuple[str, str, int]]:
    return sorted((d.code, d.file, d.line) for d in result.diagnostics)


@dataclass
class Built:
    book: Book
    en: PdfResult
    id: PdfResult


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    poppler.require_tex()
    book = copy_minibook(tmp_path_factory.mktemp("pdf") / "minibook")
    page = book.root / "chapters" / "en" / "chap" / "first.md"
    page.write_text(page.read_text("utf-8") + CODE, "utf-8")
    split_site(book, "en")
    write_executed(book, "en", "pytorch", "chap/first.ipynb")
    return Built(book, _build(book, "en"), _build(book, "id"))


EXPECTED_WARNINGS = [  # what the HTML site reports too, at the same places
    ("PB200", "chapters/en/chap/second.md", 5),
    ("PB201", "chapters/en/chap/second.md", 6),
    ("PB202", "chapters/en/chap/second.md", 8),
]


def test_the_pdf_is_the_sites_content(built: Built) -> None:
    result = built.en
    assert result.ok and result.sphinx and result.latex >= 2  # the contents need a second pass
    assert result.pdf == built.book.root / "_build" / "pdf" / "en" / "pytorch" / "mini-book.pdf"
    assert [d for d in _found(result) if d[0] != "PB204"] == EXPECTED_WARNINGS
    text = " ".join(poppler.text(result.pdf).split())
    for shown in (
        "Mini Book Release 0.1.0 polybook tests",  # the title page
        "1.1 First Steps",
        "We follow Kingma and Ba (2015) and keep the slide text here",
        "The loss is defined in Equation (1.1.1).",
        "Figure 1.1.1: An arrow from x to y.",
        "As Figure 1.1.1 shows and Table 1.1.1 lists",
        "Table 1.1.1: Sizes of things",
        "A book of two pages (LeCun et al., 1998).",
        "This chapter has two sections, Section 1.1 and Section 1.2.",
        "output of cell 1",  # executed outputs
        "import torch",
        "PyTorch calls its arrays tensors.",
        "Bibliography",
        "[1] Diederik P. Kingma and Jimmy Ba. Adam: a method for stochastic optimization.",
        "[img/missing.svg]",  # an image that does not exist: its path
    ):
        assert shown in text, shown
    for other in ("from mxnet", "jnp.arange", "MXNet and JAX call them arrays", "??"):
        assert other not in text, other
    assert all(poppler.fonts(result.pdf).values()), poppler.fonts(result.pdf)


def test_chapters_are_chapters_and_svg_figures_are_converted(built: Built) -> None:
    latex = pdf_paths(built.book, "en", "pytorch").out
    tex = (latex / "mini-book.tex").read_text("utf-8")
    assert "\\chapter{Basics}" in tex and "\\section{First Steps}" in tex
    assert "\\chapter{Mini Book}" in tex  # the root page's text, before the chapters
    assert re.search(r"\\sphinxincludegraphics\[width=200\\sphinxpxdimen\]\{\{arrow\}\.pdf\}", tex)
    log = (latex / "mini-book.log").read_text("utf-8", errors="replace")
    assert "Missing character" not in log


def test_code_keeps_its_indentation_and_long_lines_wrap(built: Built) -> None:
    layout = poppler.text(built.en.pdf, layout=True)
    lines = [line for line in layout.splitlines() if "def double" in line or "yield 2" in line]
    assert len(lines) == 2
    indent = [len(line) - len(line.lstrip()) for line in layout.splitlines()]
    first = layout.splitlines().index(lines[0])
    assert indent[first + 1] - indent[first] == 4 and indent[first + 2] - indent[first] == 8
    # spaces in code are characters of the font, not gaps: a copy keeps them
    assert any("NotoSansMono" in name for name in poppler.space_glyph_fonts(built.en.pdf))
    text = poppler.text(built.en.pdf)
    assert "wrapped at the right margin" in " ".join(text.split())
    assert not any(d.code == Code.PDF_OVERFULL_CODE.id for d in built.en.diagnostics)


def test_a_translation_in_its_language_with_untranslated_pages_noted(built: Built) -> None:
    result = built.id
    assert result.ok
    text = " ".join(poppler.text(result.pdf).split())
    assert "Buku Mini Rilis 0.1.0" in text
    assert "Gambar 1.1.1: Panah dari x ke y." in text
    assert "Daftar Isi" in text  # polyglossia's Indonesian (malay, variant=indonesian)
    assert "Belum diterjemahkan" in text and "Second Steps" in text
    untranslated = [d for d in result.diagnostics if d.code == Code.RENDER_UNTRANSLATED.id]
    assert {d.file for d in untranslated} == {"chapters/en/chap/second.md"}
    tex = (pdf_paths(built.book, "id", "pytorch").out / "mini-book.tex").read_text("utf-8")
    assert "\\setmainlanguage[variant=indonesian]{malay}" in tex
    assert "\\begin{otherlanguage*}{english}" in tex


def test_rebuilds_run_only_what_changed(built: Built) -> None:
    """Nothing changed: no Sphinx, no LaTeX, the same problems; a prose edit:
    that page is read again and LaTeX runs for this language and framework only."""
    book = built.book
    again = _build(book)
    assert (again.sphinx, again.latex, again.ok) == (False, 0, True)
    assert _found(again) == _found(built.en)
    stamp = built.id.pdf.stat().st_mtime_ns
    _edit(book, "chap/first.md", "keep the slide text", "keep this slide text")
    edited = _build(book)
    # read: the page, and second.md, whose missing image Sphinx looks for every build
    assert (edited.rewritten, edited.read, edited.sphinx, edited.latex) == (
        ["chap/first"],
        2,
        True,
        1,  # the page numbers and references did not move: one xelatex pass
    )
    assert "keep this slide text" in " ".join(poppler.text(edited.pdf).split())
    other = _build(book, "id")  # its pages did not change
    assert (other.sphinx, other.latex) == (False, 0)
    assert built.id.pdf.stat().st_mtime_ns == stamp


def test_latex_errors_are_placed_on_the_book_line_and_leave_no_pdf(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    book = built.book
    _edit(
        book,
        "chap/first.md",
        "The loss is defined",
        r"With $\undefinedmacro x$ the loss is defined",
    )
    status = main(["--book", str(book.root), "build", "pdf", "--framework", "pytorch"])
    err = capsys.readouterr().err
    assert status == 1
    errors = [line for line in err.splitlines() if " error " in line]
    assert len(errors) == 1
    assert errors[0].startswith("chapters/en/chap/first.md:11: error PB214: LaTeX error: ")
    assert "Undefined control sequence" in errors[0] and "\\undefinedmacro" in errors[0]
    assert "(log: _build/render-pdf/en/pytorch/latex/mini-book.log)" in errors[0]
    assert not (book.root / "_build" / "pdf" / "en" / "pytorch" / "mini-book.pdf").exists()

    _edit(book, "chap/first.md", r"With $\undefinedmacro x$ the", "With 損失 the")
    status = main(["--book", str(book.root), "build", "pdf", "--framework", "pytorch"])
    err = capsys.readouterr().err
    assert status == 0  # a missing character is a warning: the PDF is written
    missing = [line for line in err.splitlines() if "PB210" in line]
    assert [line.split(": the font")[0] for line in missing] == [
        "chapters/en/chap/first.md:11: warning PB210",
        "chapters/en/chap/first.md:11: warning PB210",
    ]
    assert (book.root / "_build" / "pdf" / "en" / "pytorch" / "mini-book.pdf").is_file()
    strict = ["--book", str(book.root), "build", "pdf", "--framework", "pytorch", "--strict"]
    assert main(strict) == 1
    capsys.readouterr()
    _edit(book, "chap/first.md", "With 損失 the", "The")


def test_the_same_sources_give_the_same_bytes(built: Built, tmp_path: Path) -> None:
    book = built.book
    first = _build(book)
    assert first.ok
    kept = tmp_path / "first.pdf"
    shutil.copyfile(first.pdf, kept)
    shutil.rmtree(pdf_paths(book, "en", "pytorch").work)
    second = _build(book)
    assert second.ok and second.latex >= 2
    assert second.pdf.read_bytes() == kept.read_bytes()


D2LBOOK_INI = """[project]
name = d2l-tiny
title = A Tiny d2lbook Book
author = Someone
release = 1.2.3

[build]
tabs = pytorch

[pdf]
main_font = Noto Sans
latex_logo = img/logo.svg
latex_url = https://example.org/style.zip
bibfile = refs.bib
"""


def test_a_d2lbook_config_ini_book(tmp_path: Path) -> None:
    """[pdf] fonts that exist here and the logo (an SVG) are used, [project] name
    names the PDF, the downloaded style is reported and not fetched."""
    poppler.require_tex()
    root = tmp_path / "tiny"
    (root / "img").mkdir(parents=True)
    (root / "config.ini").write_text(D2LBOOK_INI, "utf-8")
    shutil.copyfile(MINIBOOK_SVG, root / "img" / "logo.svg")
    shutil.copyfile(MINIBOOK / "references.bib", root / "refs.bib")
    (root / "index.md").write_text(
        "# A Tiny d2lbook Book\n\n## Preface\n\nHello.\n\n```toc\n:numbered:\n\nintro\n```\n",
        "utf-8",
    )
    (root / "intro.md").write_text(
        "# Introduction\n\n```{.python .input}\nprint('hi')\n```\n", "utf-8"
    )
    book = Book.open(root)
    split_site(book, book.config.source_language)
    result = build_pdf(book, book.config.source_language, "pytorch", jobs=1)
    assert result.ok
    assert result.pdf.name == "d2l-tiny.pdf"
    assert [(d.code, d.file, d.line) for d in result.diagnostics] == [("PB217", "config.ini", 13)]
    fonts = poppler.fonts(result.pdf)
    assert any("NotoSans-Regular" in name for name in fonts)
    assert not any("NotoSerif" in name for name in fonts)  # the main font is Noto Sans
    text = " ".join(poppler.text(result.pdf).split())
    assert "A Tiny d2lbook Book Release 1.2.3 Someone" in text
    assert "1 Introduction" in text and "print('hi')" in text
    latex = pdf_paths(book, book.config.source_language, "pytorch").out
    assert "\\sphinxincludegraphics{logo.pdf}" in (latex / "d2l-tiny.tex").read_text("utf-8")
