"""`polybook lib`: argument parsing only; the work is `library.run.generate_library`.

Exit status: 0 done (or up to date); 1 an error diagnostic (nothing is
written), or `--check` found files out of date; 2 the stage could not run (a
missing package, version file or root page; a failed write), nothing written.
"""

from __future__ import annotations

import argparse
import sys

from polybook.source.book import Book


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lib = sub.add_parser(
        "lib",
        help="write the <library_dir>/<module>.py library of every framework from #@save code",
        description="Collect #@save code in book order into one module per framework and "
        "update the version file. The book's library_mode decides the output: compat "
        "(default) is byte for byte what d2lbook 1.0.3 writes; clean fixes its known "
        "defects. Nothing is written when there is an error.",
    )
    lib.add_argument("--lang")
    mode = lib.add_mutually_exclusive_group()
    mode.add_argument(
        "--clean",
        action="store_const",
        const="clean",
        dest="mode",
        help="override the book's library_mode: fix the old toolchain's known defects",
    )
    mode.add_argument(
        "--compat",
        action="store_const",
        const="compat",
        dest="mode",
        help="override the book's library_mode: d2lbook 1.0.3's output, byte for byte",
    )
    action = lib.add_mutually_exclusive_group()
    action.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the committed files differ from the sources",
    )
    action.add_argument(
        "--parity", action="store_true", help="write nothing; list which modules define each name"
    )
    action.add_argument(
        "--api",
        action="store_true",
        help="write nothing; report the public API of each module: names some frameworks "
        "lack, signatures that differ, changes since a release (--since)",
    )
    lib.add_argument(
        "--since",
        metavar="REF",
        help="--api: compare with an earlier release (a git ref of the book, or a wheel file)",
    )
    lib.add_argument("--format", choices=["table", "json"], default="table", help="--api output")
    lib.add_argument(
        "--strict",
        action="store_true",
        help="--api: exit 1 on a framework gap or a removal the configuration does not declare",
    )
    lib.set_defaults(func=cmd_lib, mode=None)


def cmd_api(book: Book, args: argparse.Namespace) -> int:
    """`lib --api`: 0 done (1 with --strict and an undeclared gap or removal);
    2 the report cannot be made."""
    from polybook.library.api_report import ApiError, api_report, diagnostics, dumps, format_table

    try:
        report = api_report(book, args.since)
    except ApiError as exc:
        print(f"polybook: lib --api: {exc}", file=sys.stderr)
        return 2
    for diagnostic in diagnostics(report):
        print(diagnostic.format(), file=sys.stderr)
    print(dumps(report) if args.format == "json" else format_table(report))
    return 1 if args.strict and report.undeclared else 0


def cmd_lib(book: Book, args: argparse.Namespace) -> int:
    from polybook.cli import lang_arg
    from polybook.diagnostics import Severity
    from polybook.faults import os_fault
    from polybook.library.model import LibraryError, Mode
    from polybook.library.run import book_mode, generate_library, stale_files, write_library
    from polybook.library.writer import diff

    if args.api:
        return cmd_api(book, args)
    if args.since or args.strict:
        print("polybook: lib: --since and --strict go with --api", file=sys.stderr)
        return 2
    lang = lang_arg(book, args.lang)
    mode = Mode(args.mode) if args.mode else book_mode(book)
    try:
        result = generate_library(book, lang, mode)
    except LibraryError as exc:
        print(f"polybook: lib: {exc}", file=sys.stderr)
        return 2
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if args.parity:
        from polybook.library.parity import format_parity

        print(format_parity(result.modules))
        return 0
    errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    stale = stale_files(result)
    if args.check:
        for file in stale:
            lines = diff(file, book.root)
            added = sum(1 for ln in lines if ln.startswith("+") and not ln.startswith("+++"))
            removed = sum(1 for ln in lines if ln.startswith("-") and not ln.startswith("---"))
            print(f"{file.path.relative_to(book.root).as_posix()}: +{added} -{removed} lines")
            sys.stdout.writelines(lines[:60])
            if len(lines) > 60:
                print(f"... ({len(lines) - 60} more diff lines)")
        state = f"{len(stale)} of {len(result.files)} files out of date" if stale else "up to date"
        if errors:
            state += f", {errors} errors"
        print(f"lib {lang} ({mode.value}): {state}")
        return 1 if stale or errors else 0
    if errors:
        print(f"lib {lang} ({mode.value}): {errors} errors; nothing was written")
        return 1
    try:
        written = write_library(result)
    except LibraryError as exc:  # guarded above; kept for callers of write_library
        print(f"polybook: lib: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{os_fault(exc, 'lib').line()}; nothing was written", file=sys.stderr)
        return 2
    print(
        f"lib {lang} ({mode.value}): {len(written)} files written, "
        f"{len(result.files) - len(written)} unchanged"
    )
    return 0
