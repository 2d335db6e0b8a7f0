"""Benchmark: cold split (all frameworks), no-change rerun, and check, on a
synthetic 200-page x 15-cell x 4-framework book. Prints figures next to two
baselines measured in the same run: the I/O floor (read and hash every page)
and the naive approach of parsing every code cell with libcst.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polybook.check.run import check_book
from polybook.source.book import Book
from polybook.split.run import split_book
from synthbook import make_book


def timed(label: str, fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:7.3f} s")
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_book(Path(tmp) / "book")
        pages = sorted((root / "chapters" / "en").rglob("*.md"))
        size = sum(p.stat().st_size for p in pages)
        print(f"synthetic book: {len(pages)} pages, {size / 1e6:.1f} MB")
        book = Book.open(root)
        out = root / "_build" / "split" / "en"

        timed(
            "baseline: read + sha256 every page",
            lambda: [hashlib.sha256(p.read_bytes()).hexdigest() for p in pages],
        )
        cells = [c.source for p in book.page_files("en") for c in book.read("en", p).code_cells]
        timed(
            f"baseline: libcst parse of all {len(cells)} code cells",
            lambda: [libcst.parse_module(c) for c in cells],
        )
        timed("split, all frameworks, cold (in process)", lambda: split_book(book, "en", out))
        timed("split rerun, nothing changed (in process)", lambda: split_book(book, "en", out))
        page = root / "chapters" / "en" / "chapter_00" / "page_000.md"
        page.write_text(page.read_text() + "\nOne more sentence.\n")
        timed("split rerun after a one-page prose edit", lambda: split_book(book, "en", out))
        cli = [sys.executable, "-m", "polybook", "--book", str(root), "split"]
        cold_out = root / "_build" / "cold"
        timed(
            "split, all frameworks, cold (polybook CLI process)",
            lambda: subprocess.run([*cli, "--out", str(cold_out)], check=True, capture_output=True),
        )
        timed(
            "split rerun, nothing changed (polybook CLI process)",
            lambda: subprocess.run([*cli, "--out", str(cold_out)], check=True, capture_output=True),
        )
        timed("check (in process)", lambda: check_book(book, "en"))
        notebooks = len(list(out.rglob("*.ipynb")))
        print(f"notebooks written: {notebooks}")


if __name__ == "__main__":
    main()
