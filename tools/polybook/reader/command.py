"""`polybook build notebooks --lang L [--framework F|F,G|all] [--no-split]`.

Exit status: 0 written; 1 written, with a warning under --strict.
"""

from __future__ import annotations

import argparse
import sys

from polybook.diagnostics import Severity
from polybook.source.book import Book


def cmd_build_notebooks(book: Book, args: argparse.Namespace, lang: str) -> int:
    from polybook.cli import frameworks_arg
    from polybook.reader.build import build_notebooks

    frameworks = frameworks_arg(book, lang, args.framework or "all")
    if not args.no_split:
        from polybook.graph import split_site

        for report in split_site(book, lang):
            print(report.line(), flush=True)
    result = build_notebooks(book, lang, frameworks)
    for d in result.diagnostics:
        print(d.format(), file=sys.stderr)
    for fw, paths in result.notebooks.items():
        print(f"notebooks {lang}/{fw}: {len(paths)} notebooks -> {result.zips[fw]}")
    warnings = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    return 1 if args.strict and warnings else 0
