"""Benchmark of `polybook build pdf` on the book in chapters/ (default en/pytorch).

Works on a copy of the book (its pages, configuration, images, bibliography,
and the split and executed notebooks already in _build/), so the repository
is left untouched. Prints, each as the `polybook build pdf` command (process
start-up included) and with the stage times of the build:

- cold: no Sphinx project, no LaTeX files, no PDF (upstream cached: split up
  to date, executed notebooks used as they are);
- rebuild with nothing changed;
- rebuild after a one-line prose edit of one page.

    python bench/bench_pdf.py [--lang en] [--framework pytorch] [--repeat 2] [--book DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_html import copy_book, edit_one_line
from polybook.render.pdf.build import PdfResult, build_pdf, pdf_paths
from polybook.source.book import Book

REPO = Path(__file__).resolve().parents[1]


def command(book: Book, lang: str, framework: str) -> float:
    """Seconds of `polybook build pdf` (it splits first, as run by hand)."""
    cli = [sys.executable, "-m", "polybook", "--book", str(book.root), "build", "pdf"]
    start = time.perf_counter()
    subprocess.run(
        [*cli, "--lang", lang, "--framework", framework], check=True, capture_output=True
    )
    return time.perf_counter() - start


def stages(result: PdfResult) -> str:
    times = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.seconds.items())
    sphinx = f"Sphinx read {result.read} pages" if result.sphinx else "no Sphinx"
    return f"{times}; {sphinx}, xelatex ×{result.latex}"


def row(what: str, command_seconds: float, result: PdfResult) -> None:
    print(f"{what}: `polybook build pdf` {command_seconds:.2f} s")
    print(f"    in process {sum(result.seconds.values()):.2f} s [{stages(result)}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--framework", default="pytorch")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--book", type=Path, default=REPO, help="book root (default: this repo)")
    args = parser.parse_args()
    lang, framework = args.lang, args.framework
    with tempfile.TemporaryDirectory() as tmp:
        book = copy_book(args.book, Path(tmp) / "book")
        work = pdf_paths(book, lang, framework).work
        out = book.layout.pdf(lang, framework)
        print(f"book: {args.book / 'chapters' / lang}, PDF {lang}/{framework}")

        colds: list[float] = []
        for _ in range(args.repeat):
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            colds.append(command(book, lang, framework))
        shutil.rmtree(work)
        cold = build_pdf(book, lang, framework)
        assert cold.ok, [d.format() for d in cold.diagnostics]
        row("cold", statistics.median(colds), cold)

        again = command(book, lang, framework)
        row("nothing changed", again, build_pdf(book, lang, framework))

        edits: list[float] = []
        for n in range(args.repeat):
            page = edit_one_line(book, lang, n)
            edits.append(command(book, lang, framework))
        edit_one_line(book, lang, args.repeat)
        row(
            f"one-line prose edit of {page}",
            statistics.median(edits),
            build_pdf(book, lang, framework),
        )
        size = out.joinpath(cold.pdf.name).stat().st_size
        print(f"PDF: {cold.pdf.name}, {size / 1e6:.2f} MB, from {cold.pages} book pages")


if __name__ == "__main__":
    main()
