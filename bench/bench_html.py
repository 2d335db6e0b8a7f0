"""Benchmark of `polybook build html` on the book in chapters/ (default en/pytorch).

Works on a copy of the book (its pages, configuration, images, bibliography,
and the split and executed notebooks already in _build/), so the repository
is left untouched. Prints:

- full build: a fresh Sphinx build (no render tree, no HTML) with everything
  upstream cached (split up to date, executed notebooks used as they are);
- no-change rebuild;
- rebuild after a one-line prose edit of one page (what is re-read/re-written);
- the same edit through the `polybook` command (process start-up included).

    python bench/bench_html.py [--lang en] [--framework pytorch] [--repeat 3] [--book DIR]
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

from polybook.graph import split_site
from polybook.layout import BuildLayout
from polybook.render.build import RenderResult, build_html
from polybook.source.book import Book

REPO = Path(__file__).resolve().parents[1]
COPIED = ("_config", "chapters", "img", "references.bib")
CACHED = ("_build/split", "_build/executed")


def copy_book(root: Path, dest: Path) -> Book:
    for name in COPIED + CACHED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        elif source.is_file():
            shutil.copyfile(source, dest / name)
    return Book.open(dest)


def edit_one_line(book: Book, lang: str, n: int) -> str:
    """Append a word to the first prose line of the largest page; returns the page."""
    base = book.lang_root(lang)
    page = max(base.rglob("*.md"), key=lambda p: p.stat().st_size)
    lines = page.read_text("utf-8").split("\n")
    index = next(
        i
        for i, line in enumerate(lines)
        if line[:1].isalpha() and not lines[i - 1].startswith(("```", "%"))
    )
    lines[index] += f" Edit {n}."
    page.write_text("\n".join(lines), "utf-8")
    return page.relative_to(book.root).as_posix()


def timed(fn: object) -> tuple[float, RenderResult]:
    start = time.perf_counter()
    result: RenderResult = fn()  # type: ignore[operator]
    return time.perf_counter() - start, result


def describe(result: RenderResult) -> str:
    return (
        f"{result.pages} pages, {len(result.rewritten)} generated files changed, "
        f"{result.read} read, {result.written} written by Sphinx"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--framework", default="pytorch")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--book", type=Path, default=REPO, help="book root (default: this repo)")
    args = parser.parse_args()
    mathjax = BuildLayout(REPO).mathjax
    with tempfile.TemporaryDirectory() as tmp:
        book = copy_book(args.book, Path(tmp) / "book")
        lang, site = args.lang, args.framework

        def build() -> RenderResult:
            """What `polybook build html` does: split (incremental), then render."""
            clock = time.perf_counter()
            split_site(book, lang)
            split = time.perf_counter() - clock
            result = build_html(book, lang, site, mathjax=mathjax, jobs=args.jobs)
            result.seconds["split"] = split
            return result

        build()  # warm: split and caches in place
        executed = (book.root / "_build" / "executed" / lang / site).is_dir()
        print(f"book: {args.book / 'chapters' / lang}, site {lang}/{site}, executed: {executed}")

        fulls: list[float] = []
        for _ in range(args.repeat):
            shutil.rmtree(book.root / "_build" / "render" / lang / site)
            shutil.rmtree(book.root / "_build" / "html" / lang / site)
            seconds, result = timed(build)
            fulls.append(seconds)
        print(
            f"full build (upstream cached)        {statistics.median(fulls):7.2f} s  "
            f"[{describe(result)}]"
        )

        seconds, result = timed(build)
        print(f"rebuild, nothing changed            {seconds:7.2f} s  [{describe(result)}]")

        edits: list[float] = []
        for n in range(args.repeat):
            page = edit_one_line(book, lang, n)
            seconds, result = timed(build)
            edits.append(seconds)
        print(
            f"rebuild after one-line prose edit   {statistics.median(edits):7.2f} s  "
            f"[{describe(result)}; edited {page}]"
        )
        split = statistics.median([result.seconds.get("split", 0.0)])
        print(
            f"  of which split {split:.2f} s, generate {result.seconds['generate']:.2f} s, "
            f"sphinx {result.seconds['sphinx']:.2f} s"
        )

        edit_one_line(book, lang, args.repeat)
        cli = [sys.executable, "-m", "polybook", "--book", str(book.root), "build", "html"]
        cli += ["--lang", lang, "--framework", site, "--mathjax", str(mathjax)]
        start = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        print(f"same edit, `polybook build html`    {time.perf_counter() - start:7.2f} s")


if __name__ == "__main__":
    main()
