"""The PDFs of the book in chapters/ (issue #11's acceptance), read back with poppler-utils.

`make pdf LANG=L FRAMEWORK=F PDF_ARGS=--strict`, as a user types it, for five
language x framework pairs; then pdftotext (no unresolved `??`, the localized
figure word with its numbers, diacritics, the bibliography, this framework's
code and no other's), pdffonts (every font embedded) and the LaTeX log (no
missing character). Page 1 and a figure page are rendered into
`_build/pdf-pages/` for a look.

These tests use the repository itself (its `_build/` and execution cache),
like tests/book/test_book.py. Without TeX Live and poppler-utils (`make
pdf-deps`) or the framework environments they skip, except under
POLYBOOK_STRICT_TESTS=1 (`make test`), where that is a failure.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from polybook.render.pdf.build import pdf_paths
from polybook.render.pdf.settings import pdf_settings
from polybook.source.book import Book
from tests.conftest import REPO, require
from tests.render.pdf import poppler

pytestmark = pytest.mark.slow

FRAMEWORKS = ("pytorch", "mxnet", "jax", "tensorflow")
PDFS = [("en", "pytorch"), ("vi", "mxnet"), ("tr", "tensorflow"), ("id", "jax"), ("fr", "pytorch")]
FIGURE = {"en": "Figure", "vi": "Hình", "tr": "Şekil", "id": "Gambar", "fr": "Figure"}
BIBLIOGRAPHY = {
    "en": "Bibliography",
    "vi": "Tài liệu tham khảo",
    "tr": "Kaynakça",
    "id": "Bibliografi",
    "fr": "Bibliographie",
}
DIACRITICS = {"vi": "ấầốồểủươđ", "tr": "ğışçöüİ"}
IMPORTS = {
    "pytorch": re.compile(r"^import torch$", re.MULTILINE),
    "mxnet": re.compile(r"^from mxnet import ", re.MULTILINE),
    "tensorflow": re.compile(r"^import tensorflow as tf$", re.MULTILINE),
    "jax": re.compile(r"^import jax$", re.MULTILINE),
}
PAGES = REPO / "_build" / "pdf-pages"


def _make_pdf(lang: str, framework: str) -> subprocess.CompletedProcess[str]:
    venv = Path(sys.prefix)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    command = ["make", "--no-print-directory", "pdf", f"LANG={lang}", f"FRAMEWORK={framework}"]
    return subprocess.run(
        [*command, "PDF_ARGS=--strict", f"VENV={venv}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def book() -> Book:
    poppler.require_tex()
    missing = [fw for fw in FRAMEWORKS if not (REPO / "_envs" / fw / ".installed").is_file()]
    require(not missing, f"framework environments missing: {missing} (make env-all)")
    return Book.open(REPO)


@pytest.mark.parametrize(("lang", "framework"), PDFS)
def test_book_pdf(book: Book, lang: str, framework: str) -> None:
    run = _make_pdf(lang, framework)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    name = pdf_settings(book).name
    pdf = REPO / "_build" / "pdf" / lang / framework / f"{name}.pdf"
    assert run.stdout.rstrip().endswith(f"pdf: {pdf}")

    text = poppler.text(pdf)
    flat = " ".join(text.split())
    assert "??" not in text
    figures = re.findall(rf"{FIGURE[lang]} (\d+\.\d+\.\d+)", flat)
    assert {"1.2.1", "3.2.1"} <= set(figures), figures
    for char in DIACRITICS.get(lang, ""):
        assert char in text, char
    assert BIBLIOGRAPHY[lang] in text
    assert "Adam Paszke, Sam Gross, Francisco Massa" in flat  # an entry of references.bib
    assert IMPORTS[framework].search(text), f"no {framework} code"
    for other, pattern in IMPORTS.items():
        if other != framework:
            assert not pattern.search(text), f"{other} code in the {framework} PDF"

    embedded = poppler.fonts(pdf)
    assert embedded and all(embedded.values()), embedded
    log = pdf_paths(book, lang, framework).out / f"{name}.log"
    assert "Missing character" not in log.read_text("utf-8", errors="replace")

    first = poppler.render(pdf, 1, PAGES / f"{lang}-{framework}-page1.png")
    number = next(
        page
        for page in range(1, poppler.pages(pdf) + 1)
        if re.search(rf"^{FIGURE[lang]} \d+\.\d+\.\d+ ?[:–]", poppler.text(pdf, page=page), re.M)
    )
    figure = poppler.render(pdf, number, PAGES / f"{lang}-{framework}-figure.png")
    assert first.stat().st_size > 1000 and figure.stat().st_size > 1000
