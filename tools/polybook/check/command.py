"""The `--changed`, `--changed-since` and `--outputs` modes of `polybook check`
(`check/changed.py`): what the pre-commit hooks (`.pre-commit-hooks.yaml`)
and CI on a pull request run.

Exit status: 0 no error (with `--outputs`: nothing found); 1 an error (with
`--outputs`: any pasted output, warnings included); 2 the changed files could
not be listed (git).
"""

from __future__ import annotations

import argparse
import sys

from polybook.diagnostics import Diagnostic, counts_line, dumps, has_errors, text_lines
from polybook.source.book import Book


def add_changed_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--changed",
        nargs="*",
        metavar="FILE",
        help="check only these files' pages (any language), against the whole book's "
        "labels; files that are not pages are skipped",
    )
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="check the pages changed since the merge base of REF and HEAD (git), "
        "working tree included: a pull request's pages",
    )
    parser.add_argument(
        "--outputs",
        nargs="*",
        metavar="FILE",
        help="only look for executed outputs pasted into these markdown files (PB430, PB431)",
    )


def print_found(diagnostics: list[Diagnostic], fmt: str, verbose: bool = False) -> None:
    """What check found, as JSON or as text lines (`text_lines`)."""
    if fmt == "json":
        print(dumps(diagnostics))
        return
    for line in text_lines(diagnostics, verbose):
        print(line)


def cmd_check_changed(book: Book, args: argparse.Namespace) -> int:
    from polybook.check.changed import (
        ChangedError,
        changed_pages,
        check_changed,
        check_outputs,
        files_changed_since,
    )

    if args.outputs is not None:
        found = check_outputs(book, args.outputs)
        print_found(found, args.format)
        if args.format == "text":
            print(f"check outputs: {len(args.outputs)} files, {len(found)} pasted outputs")
        return 1 if found else 0
    files = list(args.changed or [])
    if args.changed_since:
        try:
            files += files_changed_since(book, args.changed_since)
        except ChangedError as exc:
            print(f"polybook: check --changed-since: {exc}", file=sys.stderr)
            return 2
    changed = changed_pages(book, files)
    diagnostics = check_changed(book, changed)
    print_found(diagnostics, args.format, args.verbose)
    if args.format == "text":
        langs = ", ".join(f"{lang} {len(rels)}" for lang, rels in sorted(changed.pages.items()))
        print(
            f"check changed: {changed.count} pages ({langs or 'none'}), "
            f"{len(changed.skipped)} other files skipped: {counts_line(diagnostics)}"
        )
    return 1 if has_errors(diagnostics) else 0
