"""`polybook build html --lang L --framework F|all [--strict] [--mathjax PATH|URL]`,
and `polybook assets install|show` (MathJax for offline math, render/mathjax.py).

Sphinx and its extensions are imported inside the handler only.

Exit status of `build html`: 0 built; 1 built, with an error diagnostic (or a
warning under --strict); 2 not built: the pages have math and no MathJax was
found (PB209, which says how to get it), or Sphinx failed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from polybook.diagnostics import Code, Severity
from polybook.source.book import Book


def cmd_build(book: Book, args: argparse.Namespace) -> int:
    from polybook.cli import frameworks_arg, lang_arg
    from polybook.faults import doing
    from polybook.render.build import ALL, build_html

    lang = lang_arg(book, args.lang)
    if args.fallback_pages:
        from polybook.render.inputs import site_pages

        for page in site_pages(book, lang):
            if page.fallback:
                print(page.rel)
        return 0
    if args.format == "notebooks":
        from polybook.reader.command import cmd_build_notebooks

        return cmd_build_notebooks(book, args, lang)
    if args.format == "pdf":
        from polybook.render.pdf.command import cmd_build_pdf

        return cmd_build_pdf(book, args, lang)
    framework = args.framework or book.config.frameworks_for(lang)[0]
    site = ALL if framework == ALL else frameworks_arg(book, lang, framework)[0]
    if not args.no_split:
        from polybook.graph import split_site

        for report in split_site(book, lang):
            print(report.line(), flush=True)
    try:
        with doing(f"build html {lang}/{site}"):
            result = build_html(
                book,
                lang,
                site,
                mathjax=args.mathjax,
                jobs=args.jobs,
                verbose=args.verbose,
            )
    except Exception as exc:  # Sphinx errors: one line, the exit status says the rest
        from sphinx.errors import SphinxError

        from polybook import interrupt

        if not isinstance(exc, SphinxError) or interrupt.requested():
            raise  # (a Sphinx worker's Ctrl-C: main reports the interruption)
        print(f"polybook: html {lang}/{site}: {exc}", file=sys.stderr)
        return 2
    shown = [d for d in result.diagnostics if args.verbose or d.severity is not Severity.INFO]
    for d in shown:
        print(d.format(), file=sys.stderr)
    if any(d.code == Code.RENDER_NO_MATHJAX.id for d in result.diagnostics):
        print(f"html {lang}/{site}: not built (no MathJax for its math)", file=sys.stderr)
        return 2
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
    strict = args.strict or book.config.html.strict  # [build] warning_is_error
    return 1 if strict and warnings else 0


def register(subparsers: Any) -> None:
    build = subparsers.add_parser(
        "build", help="build the book as a website, a PDF or reader notebooks"
    )
    build.add_argument("format", choices=["html", "pdf", "notebooks"], help="output format")
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
        metavar="PATH|URL",
        help="MathJax 3 for the site: a package copied into it, or a URL the pages load it "
        "from (default: _build/tools/node_modules/mathjax, from `polybook assets install`, "
        "else the Python package of polybook's mathjax extra)",
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

    assets = subparsers.add_parser(
        "assets",
        help="MathJax for offline math: install it, or show which one build html uses",
    )
    action = assets.add_subparsers(dest="action", required=True)
    install = action.add_parser(
        "install", help="install MathJax 3 with npm into _build/tools (what make mathjax runs)"
    )
    install.add_argument("--npm", default="npm", help="the npm program (default: npm)")
    install.set_defaults(func=cmd_assets_install)
    show = action.add_parser("show", help="which MathJax build html uses; exit 1 when none")
    show.set_defaults(func=cmd_assets_show)


def cmd_assets_install(book: Book, args: argparse.Namespace) -> int:
    """Exit status: 0 installed (or there already); 2 not installed (the message says why)."""
    from polybook.render.mathjax import MATHJAX_VERSION, AssetError, install

    prefix = book.layout.mathjax.parents[1]  # the npm prefix: _build/tools
    try:
        found, installed = install(prefix, args.npm)
    except AssetError as exc:
        print(f"polybook: assets: {exc}", file=sys.stderr)
        return 2
    state = "installed" if installed else "already installed"
    print(f"mathjax {MATHJAX_VERSION}: {state} at {found}")
    return 0


def cmd_assets_show(book: Book, args: argparse.Namespace) -> int:
    from polybook.render.mathjax import HOW_TO_GET, locate

    found = locate(None, book.layout.mathjax)
    if found is None:
        print(f"mathjax: none found; {HOW_TO_GET}")
        return 1
    print(f"mathjax: {found.origin}")
    return 0
