"""One round of `bench/compare.py` for the polybook on `sys.path` (PYTHONPATH):
prints one JSON object of figures (seconds). Not meant to be run by hand.

    python bench/compare_probe.py WHAT[,WHAT...]   WHAT: split, lib, exec

In-process figures are CPU time (`time.process_time`, best of several runs:
the machine is shared and the minimum is the signal) but where worker
processes share the work (wall time, marked); process figures are wall time
of a `python -m polybook` command, best of several.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from tests.execute.tinyenv import make_tiny_env  # noqa: E402

import bench_execute as be  # noqa: E402
from polybook.check.run import check_book  # noqa: E402
from polybook.cli import main as cli_main  # noqa: E402
from polybook.execute.cache import Cache, Entry  # noqa: E402
from polybook.execute.envs import resolve_env  # noqa: E402
from polybook.execute.model import CellOutputs  # noqa: E402
from polybook.execute.run import ExecuteOptions, plan_items  # noqa: E402
from polybook.library.run import generate_library  # noqa: E402
from polybook.source.book import Book  # noqa: E402
from polybook.split.run import split_book  # noqa: E402
from synthbook import make_book  # noqa: E402


def best(fn: Callable[[], object], n: int, clock: Callable[[], float] = time.process_time) -> float:
    out = []
    for _ in range(n):
        start = clock()
        fn()
        out.append(clock() - start)
    return min(out)


POLYBOOK = [sys.executable, "-m", "polybook"]


def process(argv: list[str], n: int = 5) -> float:
    command = [*POLYBOOK, *argv]
    return best(lambda: subprocess.run(command, capture_output=True), n, time.perf_counter)


def quiet(argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        cli_main(argv)


def synthetic(tmp: Path) -> tuple[Path, Book]:
    root = make_book(tmp / "book")
    (root / "d2l").mkdir()
    (root / "d2l" / "__init__.py").write_text('__version__ = "0.0.0"\n', encoding="utf-8")
    return root, Book.open(root)


def split_figures(tmp: Path) -> dict[str, float]:
    root, book = synthetic(tmp / "split")
    made = iter(range(1000))

    def fresh() -> Path:
        return root / "_build" / f"cold-{next(made)}"

    out = root / "_build" / "split" / "en"
    # wall time: with many pages, split and check work in two worker processes
    wall = time.perf_counter
    cold = best(lambda: split_book(book, "en", fresh()), 3, wall)
    split_book(book, "en", out)
    return {
        "split cold, in process (wall)": cold,
        "check, in process (wall)": best(lambda: check_book(book, "en"), 3, wall),
        "split rerun, in process": best(lambda: split_book(book, "en", out), 7),
        "split cold, process": best(
            lambda: subprocess.run(
                [*POLYBOOK, "--book", str(root), "split", "--out", str(fresh())],
                capture_output=True,
            ),
            3,
            wall,
        ),
        "split rerun, process": process(["--book", str(root), "split"]),
    }


def lib_figures(tmp: Path) -> dict[str, float]:
    root, book = synthetic(tmp / "lib")
    generate_library(book, "en")
    return {
        "lib, in process": best(lambda: generate_library(book, "en"), 5),
        "lib --check, process": process(["--book", str(root), "lib", "--check"]),
    }


def exec_figures(tmp: Path, pages: int = 150) -> dict[str, float]:
    envs, root = tmp / "envs", tmp / "cached"
    be.make_book(root, be.FRAMEWORKS)
    base = root / "chapters" / "en"
    for p in range(pages):
        cells = [f"%%tab all\nx{p}_{c} = {c}\nprint(x{p}_{c})" for c in range(8)]
        cells.append("%%tab " + ", ".join(be.FRAMEWORKS) + "\nprint('named')")
        path = base / f"chapter_{p // 10}" / f"page_{p}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(be.page(f"Page {p}", cells), encoding="utf-8")
    for fw in be.FRAMEWORKS:
        make_tiny_env(envs / fw, fw)
    book = Book.open(root)
    split_book(book, "en", root / "_build" / "split" / "en", be.FRAMEWORKS)
    options = ExecuteOptions("en", list(be.FRAMEWORKS), env_dir=envs)
    cache = Cache(root / "_build" / "cache")
    envmap = {fw: resolve_env(fw, envs) for fw in be.FRAMEWORKS}
    for item in plan_items(book, options, envmap, cache, 0):
        outputs: list[CellOutputs] = [
            {
                "outputs": [{"output_type": "stream", "name": "stdout", "text": f"{i}\n"}],
                "execution_count": i + 1,
            }
            for i in range(item.code_count)
        ]
        cache.store(Entry(item.key, item.framework, item.page, "en", 1.0, outputs))
    argv = ["--book", str(root), "execute", "--env-dir", str(envs), "--framework", "all"]
    quiet(argv)
    rerun = best(lambda: quiet(argv), 7)
    rebuilds = []
    for _ in range(6):
        shutil.rmtree(root / "_build" / "executed")
        start = time.process_time()
        quiet(argv)
        rebuilds.append(time.process_time() - start)
    return {
        "execute rerun (600 notebooks), in process": rerun,
        "execute rebuild from the cache, in process": min(rebuilds),
        "execute rerun, process": process(argv),
    }


def main() -> None:
    what = sys.argv[1].split(",")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="polybook-compare-") as name:
        tmp = Path(name)
        if "split" in what:
            figures.update(split_figures(tmp))
        if "lib" in what:
            figures.update(lib_figures(tmp))
        if "exec" in what:
            figures.update(exec_figures(tmp))
    print(json.dumps(figures))


if __name__ == "__main__":
    os.environ.pop("POLYBOOK_EVENTS", None)
    main()
