"""`polybook build pdf --lang L --framework F [--strict]`.

Exit status: 0 the PDF is written (warnings are printed); 1 a LaTeX error or
another error (no PDF), or warnings with --strict (the PDF is written);
2 the machine lacks what LaTeX needs (each missing Debian package is named),
or Sphinx stopped. Sphinx and LaTeX are imported and run only when needed.
"""

from __future__ import annotations

import argparse
import sys

from polybook.diagnostics import Code, Severity
from polybook.source.book import Book

ALL = "all"


def cmd_build_pdf(book: Book, args: argparse.Namespace, lang: str) -> int:
    from polybook.cli import frameworks_arg
    from polybook.render.pdf.build import build_pdf

    framework = args.framework or book.config.frameworks_for(lang)[0]
    if framework == ALL:
        print("polybook: error PB010: a PDF shows one framework: --framework F", file=sys.stderr)
        return 2
    framework = frameworks_arg(book, lang, framework)[0]
    if not args.no_split:
        from polybook.graph import split_site

        for report in split_site(book, lang):
            print(report.line(), flush=True)
    from polybook.faults import doing

    try:
        with doing(f"build pdf {lang}/{framework}"):
            result = build_pdf(book, lang, framework, jobs=args.jobs, verbose=args.verbose)
    except Exception as exc:  # Sphinx errors: one line, the exit status says the rest
        from sphinx.errors import SphinxError

        if not isinstance(exc, SphinxError):
            raise
        print(f"polybook: pdf {lang}/{framework}: {exc}", file=sys.stderr)
        return 2
    for d in result.diagnostics:
        if args.verbose or d.severity is not Severity.INFO:
            print(d.format(), file=sys.stderr)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    took = sum(result.seconds.values())
    ran = ["sphinx"] if result.sphinx else []
    if result.latex:
        ran.append(f"xelatex ×{result.latex}")
    print(
        f"pdf {lang}/{framework}: {result.pages} pages ({len(result.rewritten)} changed, "
        f"{result.read} read), ran {', '.join(ran) or 'nothing'}, {len(errors)} errors, "
        f"{len(warnings)} warnings in {took:.1f}s"
    )
    if any(d.code == Code.PDF_SETUP.id for d in result.diagnostics):
        return 2
    if not result.ok:
        print(f"pdf {lang}/{framework}: no PDF (log: {result.log})", file=sys.stderr)
        return 1
    print(f"pdf: {result.pdf}")
    if errors:
        return 1
    return 1 if args.strict and warnings else 0
