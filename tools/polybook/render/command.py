"""`polybook build html --lang L --framework F|all [--strict]`.

Sphinx and its extensions are imported inside the handler only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from polybook.diagnostics import Severity
from polybook.source.book import Book


def cmd_build(book: Book, args: argparse.Namespace) -> int:
    from polybook.cli import frameworks_arg, lang_arg
    from polybook.render.build import ALL, build_html

    lang = lang_arg(book, args.lang)
    if args.fallback_pages:
        from polybook.render.inputs import site_pages

        for page in site_pages(book, lang):
            if page.fallback:
                print(page.rel)
        return 0
    framework = args.framework or book.config.frameworks_for(lang)[0]
    site = ALL if framework == ALL else frameworks_arg(book, lang, framework)[0]
    if not args.no_split:
        from polybook.graph import split_site

        for report in split_site(book, lang):
            print(report.line(), flush=True)
    try:
        result = build_html(
            book,
            lang,
            site,
            mathjax=Path(args.mathjax) if args.mathjax else None,
            jobs=args.jobs,
            verbose=args.verbose,
        )
    except Exception as exc:  # Sphinx errors: one line, the exit status says the rest
        from sphinx.errors import SphinxError

        if not isinstance(exc, SphinxError):
            raise
        print(f"polybook: html {lang}/{site}: {exc}", file=sys.stderr)
        return 2
    shown = [d for d in result.diagnostics if args.verbose or d.severity is not Severity.INFO]
    for d in shown:
        print(d.format(), file=sys.stderr)
    warnings = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    took = sum(result.seconds.values())
    done = (
        "nothing changed since the last build"
        if result.reused
        else f"{len(result.rewritten)} changed, {result.read} read, {result.written} written"
    )
    print(
        f"html {lang}/{site}: {result.pages} pages ({done}), {len(warnings)} warnings "
        f"in {took:.1f}s"
    )
    print(f"site: {result.index}")
    if any(d.severity is Severity.ERROR for d in warnings):
        return 1
    return 1 if args.strict and warnings else 0


def register(subparsers: Any) -> None:
    build = subparsers.add_parser("build", help="build the book as a website")
    build.add_argument("format", choices=["html"], help="output format")
    build.add_argument("--lang", help="book language (default: the source language)")
    build.add_argument(
        "--framework",
        help="one framework, or all for the tabbed site (default: the language's first)",
    )
    build.add_argument(
        "--strict", action="store_true", help="exit with status 1 when there are warnings"
    )
    build.add_argument(
        "--mathjax",
        help="MathJax 3 package (default: _build/tools/node_modules/mathjax, see make mathjax)",
    )
    build.add_argument(
        "--fallback-pages",
        action="store_true",
        help="only list the source-language pages the site takes (untranslated), and exit",
    )
    build.add_argument(
        "--no-split",
        action="store_true",
        help="use the split notebooks as they are (a build that has just split them)",
    )
    build.add_argument("--jobs", type=int, default=None, help="Sphinx worker processes")
    build.add_argument("-v", "--verbose", action="store_true", help="show Sphinx's progress")
    build.set_defaults(func=cmd_build)
