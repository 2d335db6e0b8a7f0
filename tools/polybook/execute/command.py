"""`polybook execute` and `polybook cache`: argument parsing only.

Heavy modules (nbclient, dask, rich) are imported inside the handlers.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from polybook.source.book import Book

if TYPE_CHECKING:  # the model costs every command's start-up 5 ms; only execute needs it
    from polybook.execute.model import ExecuteSummary


def cmd_execute(book: Book, args: argparse.Namespace) -> int:
    from polybook.cli import frameworks_arg, lang_arg
    from polybook.execute.cost import append_step_summary, why_lines
    from polybook.execute.errors import ExecuteError
    from polybook.execute.model import FailureKind
    from polybook.execute.progress import make_reporter
    from polybook.execute.run import ExecuteOptions, execute_book
    from polybook.faults import doing

    lang = lang_arg(book, args.lang)
    frameworks = frameworks_arg(book, lang, args.framework)
    refused = None
    if not args.no_split:
        from polybook.graph import split_language

        split = split_language(book, lang, frameworks)
        print(split.line(), flush=True)
        refused = split.result.refused
    if refused is None:
        refused = book.refused_pages(lang)  # links out of the book: never split or executed
    for diagnostic in refused:
        print(diagnostic.format(), file=sys.stderr)
    if not book.config.execute.enabled:  # [build] eval_notebook = False
        print(f"execute {lang}: execution is off in the configuration; nothing executed")
        return 1 if refused else 0
    jobs = args.jobs or book.config.execute.jobs
    options = ExecuteOptions(
        lang=lang,
        frameworks=frameworks,
        pages=list(args.pages),
        jobs=jobs,
        keep_going=args.keep_going,
        scheduler=args.scheduler,
        address=args.address,
        connect_timeout=args.connect_timeout,
        env_dir=Path(args.env_dir) if args.env_dir else None,
        cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        reporter=make_reporter(jobs, verbose=args.verbose),
        force=args.force,
        dry_run=args.dry_run,
    )
    try:
        summary = execute_book(book, options)
    except ExecuteError as exc:
        print(f"polybook: execute: {exc}", file=sys.stderr)
        return 2
    if args.report or args.junit:
        from polybook.execute.report import write_json, write_junit  # xml: 2 ms of start-up

        with doing(f"execute {lang}"):
            if args.report:
                write_json(summary, Path(args.report))
            if args.junit:
                write_junit(summary, Path(args.junit))
    title = f"polybook execute {lang} ({', '.join(frameworks)})"
    if args.dry_run:
        print_dry_run(summary, args.explain)
        append_step_summary(summary, title + ", dry run")
        return 0
    if args.explain:
        for line in why_lines(summary, cached=True, ran=False):
            print(f"why: {line}")
    append_step_summary(summary, title)
    if summary.interrupted:
        # Leave at once: the cancelled run's sockets and kernel clients may
        # still be open, and closing them at interpreter exit can block.
        # Its kernels are killed and everything it wrote is in place (atomic).
        from polybook import interrupt

        print(interrupt.MESSAGE, file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(interrupt.EXIT_INTERRUPTED)
    if any(r.failure and r.failure.kind is FailureKind.ENVIRONMENT for r in summary.failures):
        return 2  # a missing or broken framework environment: a setup fault
    return 0 if summary.ok and not refused else 1


def print_dry_run(summary: ExecuteSummary, explain: bool) -> None:
    """What a run would do: the notebooks it would execute (with their
    reasons), and, with `explain`, where every other notebook's outputs
    would come from."""
    from polybook.execute.cost import cost_line, origin_text
    from polybook.execute.model import Status
    from polybook.execute.progress import reason_lines

    for report in summary.reports:
        label = f"{report.lang}/{report.framework} {report.page}"
        if report.status is Status.WOULD_RUN:
            print(f"[would run] {label}")
            if explain:
                for line in reason_lines(report):
                    print(line)
        elif explain:
            print(f"[{origin_text(report)}] {label}")
    counts = summary.counts()
    print(
        f"execute (dry run): {counts.get('would-run', 0)} would run, "
        f"{counts.get('cached', 0)} cached; nothing was run"
    )
    print(cost_line(summary))


def cmd_cache(book: Book, args: argparse.Namespace) -> int:
    from polybook.diagnostics import Code
    from polybook.execute.cache import Cache
    from polybook.execute.errors import CacheError
    from polybook.faults import Fault, doing

    root = Path(args.cache_dir) if args.cache_dir else book.layout.cache
    cache = Cache(root)
    if not root.is_dir():
        if args.action == "verify":  # nothing to verify is not "all entries are fine"
            raise Fault(
                Code.NO_CACHE,
                f"cache verify: there is no cache at {root} (nothing executed yet, "
                "or a wrong --cache-dir / execute.cache_dir)",
            )
        print(f"cache {root}: no cache (nothing executed yet)")
        return 0
    if args.action == "stats":
        s = cache.stats()
        print(
            f"cache {root}: {s.entries} entries, {s.bytes / 1e6:.1f} MB, "
            f"{s.index_records} page records, {s.unreferenced} unreferenced, "
            f"{s.temporary} temporary files"
        )
        return 0
    if args.action == "verify":
        with doing("cache verify", "remove" if args.delete else "read"):
            v = cache.verify(delete=args.delete)
        for path in v.corrupt:
            print(f"corrupt: {path}" + (" (deleted)" if args.delete else ""))
        print(f"cache {root}: {v.checked} entries checked, {len(v.corrupt)} corrupt")
        return 1 if v.corrupt and not args.delete else 0
    try:
        with doing("cache prune", "remove"):
            p = cache.prune(older_than_days=args.older_than)
    except CacheError as exc:
        raise Fault(Code.CACHE_IN_USE, f"cache prune: {exc}; run it again when it ends") from None
    print(
        f"cache {root}: removed {p.removed_entries} entries ({p.freed_bytes / 1e6:.1f} MB), "
        f"{p.removed_records} page records, {p.removed_other} other files"
    )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ex = subparsers.add_parser(
        "execute",
        help="run the split notebooks in their framework's kernel (cached)",
        description="Execute split notebooks into _build/executed/<lang>/<framework>/.",
    )
    ex.add_argument("pages", nargs="*", metavar="PAGE", help="pages (paths or globs)")
    ex.add_argument("--lang")
    ex.add_argument("--framework", default="all", help="a framework, a comma list, or all")
    ex.add_argument("--jobs", "-j", type=int, default=None, help="notebooks at once (local)")
    ex.add_argument("--keep-going", "-k", action="store_true", help="run the rest after a failure")
    ex.add_argument("--report", metavar="FILE", help="write a JSON summary")
    ex.add_argument("--junit", metavar="FILE", help="write a JUnit XML report")
    ex.add_argument("--scheduler", choices=["local", "dask"], default="local")
    ex.add_argument("--address", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    ex.add_argument(
        "--connect-timeout", type=float, default=30.0, help="seconds to reach the Dask scheduler"
    )
    ex.add_argument("--env-dir", help="framework environments (default: execute.env_dir)")
    ex.add_argument("--cache-dir", help="cache directory (default: execute.cache_dir)")
    ex.add_argument(
        "--no-split",
        action="store_true",
        help="use the split notebooks as they are (a build that has just split them)",
    )
    ex.add_argument("--verbose", "-v", action="store_true", help="also list cached notebooks")
    ex.add_argument("--force", action="store_true", help="run every notebook, cached or not")
    ex.add_argument(
        "--dry-run",
        action="store_true",
        help="say what would run (nothing is run, written or taken from the cache)",
    )
    ex.add_argument(
        "--explain",
        action="store_true",
        help="say why each notebook runs and where the others' outputs come from",
    )
    ex.set_defaults(func=cmd_execute)

    cache = subparsers.add_parser("cache", help="inspect or clean the execution cache")
    cache.add_argument("action", choices=["stats", "verify", "prune"])
    cache.add_argument("--cache-dir", help="cache directory (default: execute.cache_dir)")
    cache.add_argument("--delete", action="store_true", help="verify: delete corrupt entries")
    cache.add_argument(
        "--older-than", type=float, metavar="DAYS", help="prune: also drop pages unused for DAYS"
    )
    cache.set_defaults(func=cmd_cache)
