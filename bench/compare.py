"""Benchmark this checkout against an earlier commit, in the same run:

    python bench/compare.py [--base 030babd] [--rounds 5] [--only split,lib,exec]

The earlier commit is checked out into a temporary git worktree; both
toolchains are byte-compiled (a shell with PYTHONDONTWRITEBYTECODE would
otherwise time the compiler), then measured in interleaved rounds by
`bench/compare_probe.py` from this checkout, on the same synthetic books. The
table gives, per figure, the best and the median of the rounds and the ratio
of the medians (now / before: below 1 is faster).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def probe(tools: Path, what: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tools))
    done = subprocess.run(
        [sys.executable, str(HERE / "compare_probe.py"), what],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"compare: the probe failed for {tools}:\n{done.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="030babd")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="split,lib,exec")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="polybook-base-") as name:
        worktree = Path(name) / "base"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(worktree), args.base],
            check=True,
        )
        try:
            trees = {"before": worktree / "tools", "now": REPO / "tools"}
            for tools in trees.values():
                compileall.compile_dir(str(tools / "polybook"), quiet=1)
            runs: dict[str, dict[str, list[float]]] = {k: {} for k in trees}
            for round_ in range(args.rounds):
                order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
                for key in order:
                    for figure, value in probe(trees[key], args.only).items():
                        runs[key].setdefault(figure, []).append(value)
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)],
                check=False,
            )
    print(f"{args.base} (before) vs this checkout (now), {args.rounds} interleaved rounds")
    print(f"{'figure':<46} {'before best/median':>20} {'now best/median':>18} {'ratio':>6}")
    for figure, before in runs["before"].items():
        now = runs["now"].get(figure, [])
        if not now:
            continue
        b, n = statistics.median(before), statistics.median(now)
        print(
            f"{figure:<46} {min(before):8.3f} / {b:7.3f} s {min(now):7.3f} / {n:7.3f} s "
            f"{n / b:6.2f}"
        )


if __name__ == "__main__":
    main()
