"""`polybook lib`: argument parsing only; the work is `library.run.generate_library`."""

from __future__ import annotations

import argparse
import sys

from polybook.source.book import Book


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lib = sub.add_parser(
        "lib",
        help="write the <library_dir>/<module>.py library of every framework from #@save code",
        description="Collect #@save code in book order into one module per framework and "
        "update the version file. By default the output is byte for byte what d2lbook "
        "1.0.3 writes; --clean fixes its known defects.",
    )
    lib.add_argument("--lang")
    lib.add_argument("--clean", action="store_true", help="fix the old toolchain's known defects")
    action = lib.add_mutually_exclusive_group()
    action.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the committed files differ from the sources",
    )
    action.add_argument(
        "--parity", action="store_true", help="write nothing; list which modules define each name"
    )
    lib.set_defaults(func=cmd_lib)


def cmd_lib(book: Book, args: argparse.Namespace) -> int:
    from polybook.cli import lang_arg
    from polybook.diagnostics import has_errors
    from polybook.library.model import LibraryError, Mode
    from polybook.library.parity import format_parity
    from polybook.library.run import generate_library, stale_files, write_library
    from polybook.library.writer import diff

    lang = lang_arg(book, args.lang)
    mode = Mode.CLEAN if args.clean else Mode.COMPAT
    try:
        result = generate_library(book, lang, mode)
    except LibraryError as exc:
        print(f"polybook: lib: {exc}", file=sys.stderr)
        return 2
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if args.parity:
        print(format_parity(result.modules))
        return 0
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
        print(f"lib {lang} ({mode.value}): {state}")
        return 1 if stale else 0
    written = write_library(result)
    print(
        f"lib {lang} ({mode.value}): {len(written)} files written, "
        f"{len(result.files) - len(written)} unchanged"
    )
    return 1 if has_errors(result.diagnostics) else 0
