"""Benchmark on a real book in d2lbook layout (`config.ini`, `chapter_*/`, a
committed `d2l/`), e.g. a checkout of d2l-en:

    python bench/bench_realbook.py BOOK [--framework F] [--repeat 3]
                                        [--d2lbook /path/to/venv/bin/d2lbook]

Works on copies of BOOK in a temporary folder (BOOK is never written). Prints:

- pages, and notebooks per framework (`polybook split`);
- `polybook check` findings by code;
- whether `polybook lib` reproduces the committed library byte for byte, per module;
- split (cold), lib and check timed as commands (fresh processes);
- the single-framework HTML of the unexecuted book: cold build and a rebuild
  with nothing changed, both as `polybook build html` (which splits first), and
  its warnings by code;
- display equations (sources; HTML: shown, numbered) and citations (sources;
  HTML: resolved links, unresolved warnings);
- with `--d2lbook`, d2lbook's HTML build of the same unexecuted book (its copy
  gets `eval_notebook = False` and no `[pdf] style`, whose LaTeX style the rst
  step would download) and its rebuild, measured in the same run.

The d2lbook comparison needs d2lbook 1.0.3 in a virtual environment of its own
(`python3 -m venv V && V/bin/pip install d2lbook==1.0.3 'pybtex==0.24.0'`:
sphinxcontrib-bibtex 2.4 needs a pybtex before 0.25) and pandoc on PATH.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polybook.layout import BuildLayout
from polybook.source.book import Book
from realbook import (
    Run,
    Timing,
    codes,
    copy_book,
    d2lbook_copy,
    d2lbook_html,
    polybook,
    repeat,
    run,
    show_codes,
    site_facts,
    source_facts,
)

REPO = Path(__file__).resolve().parents[1]
GOAL_COMMAND = 1.0  # s: split, lib, check, and a rebuild with nothing changed
GOAL_SPEEDUP = 3.0  # HTML build against d2lbook's


def line(label: str, text: str) -> None:
    print(f"{label:<38} {text}")


def library_parity(original: Path, copy: Path) -> list[str]:
    """Per module of the library: identical, or how it differs."""
    out = []
    for path in sorted(original.glob("*.py")):
        mine = copy / path.name
        if not mine.is_file():
            out.append(f"{path.name}: not written")
        elif mine.read_bytes() == path.read_bytes():
            out.append(f"{path.name}: identical")
        else:
            a, b = path.read_text("utf-8").splitlines(), mine.read_text("utf-8").splitlines()
            changed = sum(1 for x, y in zip(a, b, strict=False) if x != y) + abs(len(a) - len(b))
            out.append(f"{path.name}: DIFFERS ({changed} lines)")
    return out


def measure_polybook(
    root: Path, original: Path, framework: str | None, times: int
) -> dict[str, float]:
    book = Book.open(root)
    lang = book.config.source_language
    site = framework or book.config.frameworks_for(lang)[0]
    layout = book.layout
    cmd = polybook()
    figures: dict[str, float] = {}
    print(f"book: {original} ({lang}; frameworks {', '.join(book.config.frameworks_for(lang))})")

    split = repeat([*cmd, "split"], root, times, lambda: shutil.rmtree(layout.split(lang), True))
    print(split.last.stdout.strip().splitlines()[-1])
    for fw in book.config.frameworks_for(lang):
        count = len(list((layout.split(lang) / fw).rglob("*.ipynb")))
        line(f"  notebooks, {fw}", str(count))
    figures["split"] = split.median

    check = repeat([*cmd, "check", "--format", "json"], root, times, lambda: None)
    found = Counter(str(d.get("code")) for d in _findings(check.last))
    line("check findings by code", show_codes(found))
    line("  errors, warnings", _severities(check.last))
    figures["check"] = check.median

    library = book.config.library_dir
    lib = repeat([*cmd, "lib"], root, times, lambda: None)
    line("lib", (lib.last.stdout.strip().splitlines() or [lib.last.tail(1)])[-1])
    for text in library_parity(original / library, root / library):
        line("  committed library", text)
    figures["lib"] = lib.median

    print("as commands (fresh processes):")
    for name, timing in (("split, cold", split), ("lib", lib), ("check", check)):
        line(f"  {name}", timing.show() + _goal(timing.median, GOAL_COMMAND))

    mathjax = BuildLayout(REPO).mathjax
    html = [*cmd, "build", "html", "--framework", site, "--mathjax", str(mathjax)]
    shutil.rmtree(layout.build, ignore_errors=True)  # cold: nothing split, nothing rendered
    cold = run(html, root)
    line(f"HTML {lang}/{site}, cold", f"{cold.seconds:6.2f} s  [{_summary(cold)}]")
    warnings = codes(cold.stderr)
    line("  warnings by code", show_codes(warnings))
    again = Timing(tuple(run(html, root) for _ in range(times)))
    line("  rebuild, nothing changed", again.show() + _goal(again.median, GOAL_COMMAND))
    line("", f"[{_summary(again.last)}]")
    figures["html"], figures["rebuild"] = cold.seconds, again.median

    sources = source_facts(book, lang)
    built = site_facts(layout.html(lang, site))
    line("display equations, sources", f"{sources.equations} ({sources.labelled} labelled)")
    line(
        "  in the HTML",
        f"{built.equations} shown, {built.numbered} numbered"
        + ("" if built.numbered == built.equations else "  [NOT every one numbered]"),
    )
    line("citations, sources", f"{sources.citations} keys cited")
    unresolved = warnings.get("PB201", 0)
    line("  in the HTML", f"{built.citations} resolved links, {unresolved} unresolved (PB201)")
    figures["unresolved"] = unresolved
    return figures


def measure_d2lbook(d2lbook: Path, original: Path, work: Path, times: int) -> dict[str, float]:
    if shutil.which("pandoc") is None:
        line("d2lbook", "not measured: pandoc is not on PATH")
        return {}
    root = d2lbook_copy(original, work / "d2lbook-book")
    cold = d2lbook_html(d2lbook, root)
    if cold.returncode != 0:
        line("d2lbook build html", f"failed ({cold.returncode}):\n{cold.tail(10)}")
        return {}
    line("d2lbook build html, cold", f"{cold.seconds:6.2f} s")
    built = site_facts(root / "_build" / "html")
    line(
        "  its site",
        f"{built.pages} pages, {built.equations} display equations, {built.numbered} numbered",
    )
    again = Timing(tuple(d2lbook_html(d2lbook, root) for _ in range(times)))
    line("  rebuild, nothing changed", again.show())
    return {"html": cold.seconds, "rebuild": again.median}


def _findings(result: Run) -> list[dict[str, object]]:
    """`check --format json`'s findings; none (and its output shown) if it failed."""
    try:
        found = json.loads(result.stdout or "[]")
    except ValueError:
        line("  check failed", f"exit {result.returncode}: {result.tail(3)}")
        return []
    return [d for d in found if isinstance(d, dict)]


def _severities(result: Run) -> str:
    found = Counter(d.get("severity") for d in _findings(result))
    return f"{found.get('error', 0)} errors, {found.get('warning', 0)} warnings"


def _summary(result: Run) -> str:
    lines = [x for x in result.stdout.splitlines() if x.startswith("html ")]
    return lines[-1] if lines else f"exit {result.returncode}: {result.tail(3)}"


def _goal(seconds: float, goal: float) -> str:
    return f"  [goal < {goal:.1f} s: {'met' if seconds < goal else 'NOT met'}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("book", type=Path, help="a book in d2lbook layout (never written)")
    parser.add_argument("--framework", help="the HTML site's framework (default: the first tab)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed command")
    parser.add_argument("--d2lbook", type=Path, help="d2lbook command of a d2lbook 1.0.3 venv")
    args = parser.parse_args()
    original = args.book.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = copy_book(original, work / "book")
        mine = measure_polybook(root, original, args.framework, args.repeat)
        if args.d2lbook is None:
            return
        theirs = measure_d2lbook(args.d2lbook, original, work, args.repeat)
        if not theirs:
            return
        speedup = theirs["html"] / mine["html"]
        print("polybook against d2lbook (same run):")
        line(
            "  HTML, cold",
            f"{mine['html']:.1f} s vs {theirs['html']:.1f} s: {speedup:.1f}x"
            f"  [goal >= {GOAL_SPEEDUP:.0f}x: {'met' if speedup >= GOAL_SPEEDUP else 'NOT met'}]",
        )
        line("  rebuild, nothing changed", f"{mine['rebuild']:.2f} s vs {theirs['rebuild']:.2f} s")


if __name__ == "__main__":
    main()
