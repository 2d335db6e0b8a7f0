"""Benchmark of `polybook execute` (tiny environments, no framework needed).

(a) executor overhead: one notebook of CPU-bound cells through the executor,
    against the same cells run by bare `python` (goal: <= 10% + one kernel start);
(b) a full-book rerun with everything cached (goal: <= 0.3 s), for a synthetic
    book of PAGES pages x 4 frameworks; with the executed notebooks in place, and
    with them rebuilt from the cache;
(c) the speed-up of `--jobs 2` on independent CPU-bound notebooks.

    python bench/bench_execute.py [--pages 150] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from polybook.cli import main
from polybook.execute.cache import Cache, Entry
from polybook.execute.envs import resolve_env
from polybook.execute.model import CellOutputs
from polybook.execute.run import ExecuteOptions, plan_items
from polybook.source.book import Book
from polybook.split.run import split_book

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.execute.tinyenv import make_tiny_env

FRAMEWORKS = ("pytorch", "mxnet", "jax", "tensorflow")
CONFIG = """\
[book]
title = "Bench"
frameworks = [{names}]
[execute]
cell_timeout = 600
notebook_timeout = 3600
{tables}
[languages.en]
name = "English"
title = "Bench"
"""
WORK = "s = 0\nfor i in range({n}):\n    s += i * i % 7\nprint(s)"


def make_book(root: Path, frameworks: tuple[str, ...]) -> None:
    tables = "".join(
        f'[framework.{f}]\ndisplay_name = "{f}"\nmodule = "{f}"\nlib_name = "{f}"\n'
        for f in frameworks
    )
    names = ", ".join(f'"{f}"' for f in frameworks)
    (root / "_config").mkdir(parents=True)
    (root / "_config" / "book.toml").write_text(CONFIG.format(names=names, tables=tables))


def page(title: str, cells: list[str]) -> str:
    body = [f"# {title}\n\nProse about {title}.\n"]
    for cell in cells:
        body.append("```{.python .input}\n" + cell + "\n```\n\nMore prose.\n")
    return "\n".join(body)


def run(root: Path, envs: Path, *args: str) -> tuple[int, float]:
    argv = ["--book", str(root), "execute", "--env-dir", str(envs), *args]
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    return code, time.perf_counter() - start


def bench_overhead(tmp: Path, envs: Path, cells: int, n: int) -> None:
    root = tmp / "overhead"
    make_book(root, ("pytorch",))
    code = [WORK.format(n=n) for _ in range(cells)]
    (root / "chapters" / "en").mkdir(parents=True)
    (root / "chapters" / "en" / "work.md").write_text(page("Work", code))
    (root / "chapters" / "en" / "empty.md").write_text(page("Empty", ["pass"]))
    script = tmp / "work.py"
    script.write_text("\n".join(code) + "\n")
    python = str(envs / "pytorch" / "bin" / "python")
    bare = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([python, str(script)], check=True, capture_output=True)
        bare.append(time.perf_counter() - start)
    kernel = []
    for _ in range(3):
        shutil.rmtree(root / "_build", ignore_errors=True)
        kernel.append(run(root, envs, "empty")[1])
    executed = []
    for _ in range(3):
        shutil.rmtree(root / "_build", ignore_errors=True)
        status, seconds = run(root, envs, "work")
        assert status == 0
        executed.append(seconds)
    b, k, e = min(bare), min(kernel), min(executed)
    overhead = (e - k) / b - 1
    print(f"(a) {cells} cells: bare python {b:.2f}s | polybook execute {e:.2f}s")
    print(f"    one notebook with a single `pass` cell (kernel start + executor): {k:.2f}s")
    print(
        f"    overhead beyond that start: {100 * overhead:+.1f}% of bare "
        f"(goal <= 10%): {'ok' if overhead <= 0.10 else 'MISSED'}"
    )


def bench_cached(tmp: Path, envs: Path, pages: int) -> None:
    root = tmp / "cached"
    make_book(root, FRAMEWORKS)
    base = root / "chapters" / "en"
    for p in range(pages):
        cells = [f"%%tab all\nx{p}_{c} = {c}\nprint(x{p}_{c})" for c in range(8)]
        cells.append("%%tab " + ", ".join(FRAMEWORKS) + "\nprint('named')")
        path = base / f"chapter_{p // 10}" / f"page_{p}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(f"Page {p}", cells))
    for fw in FRAMEWORKS:
        make_tiny_env(envs / fw, fw)
    book = Book.open(root)
    split_book(book, "en", root / "_build" / "split" / "en", FRAMEWORKS)
    # prime the cache through the planner (as if every notebook had run once)
    options = ExecuteOptions("en", list(FRAMEWORKS), env_dir=envs)
    cache = Cache(root / "_build" / "cache")
    envmap = {fw: resolve_env(fw, envs) for fw in FRAMEWORKS}
    items = plan_items(book, options, envmap, cache, 0)
    for item in items:
        outputs: list[CellOutputs] = [
            {
                "outputs": [{"output_type": "stream", "name": "stdout", "text": f"{i}\n"}],
                "execution_count": i + 1,
            }
            for i in range(item.code_count)
        ]
        cache.store(Entry(item.key, item.framework, item.page, "en", 1.0, outputs))
    args = ("--framework", "all")
    status, materialize = run(root, envs, *args)
    assert status == 0, status
    times = [run(root, envs, *args)[1] for _ in range(5)]
    cli = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "polybook",
                "--book",
                str(root),
                "execute",
                "--env-dir",
                str(envs),
                *args,
            ],
            check=True,
            capture_output=True,
        )
        cli.append(time.perf_counter() - start)
    n = len(items)
    print(f"(b) {pages} pages x {len(FRAMEWORKS)} frameworks = {n} notebooks, all cached:")
    print(f"    rebuild executed notebooks from the cache: {materialize:.2f}s")
    best = min(times)
    verdict = "ok" if best <= 0.3 else "MISSED"
    print(f"    rerun, nothing changed: {best:.3f}s in process (goal <= 0.3 s): {verdict}")
    print(f"    same as a command (`polybook execute`, with interpreter start): {min(cli):.2f}s")


def bench_jobs(tmp: Path, envs: Path, notebooks: int, n: int) -> None:
    root = tmp / "jobs"
    make_book(root, ("pytorch",))
    base = root / "chapters" / "en"
    base.mkdir(parents=True)
    for i in range(notebooks):
        (base / f"nb{i}.md").write_text(page(f"NB {i}", [f"# {i}\n" + WORK.format(n=n)]))
    timings: dict[int, float] = {}
    for jobs in (1, 2, 1, 2):  # best of two, interleaved
        shutil.rmtree(root / "_build", ignore_errors=True)
        status, seconds = run(root, envs, "--jobs", str(jobs))
        assert status == 0
        timings[jobs] = min(seconds, timings.get(jobs, seconds))
    print(
        f"(c) {notebooks} independent CPU-bound notebooks: --jobs 1 {timings[1]:.2f}s, "
        f"--jobs 2 {timings[2]:.2f}s: speed-up x{timings[1] / timings[2]:.2f}"
    )


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="polybook-bench-") as name:
        tmp = Path(name)
        envs = tmp / "envs"
        make_tiny_env(envs / "pytorch", "pytorch")
        n = 400_000 if args.quick else 2_000_000
        bench_overhead(tmp, envs, cells=10, n=n)
        bench_cached(tmp, envs, pages=args.pages)
        bench_jobs(tmp, envs, notebooks=4, n=n * 2)


if __name__ == "__main__":
    main_bench()
