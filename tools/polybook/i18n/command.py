"""`polybook i18n status|sync-code` and `polybook migrate`: argument parsing
and output; the work is in `status`, `sync` and `migrate`.

Exit status: 0 done; 1 an error diagnostic (an ambiguous pairing, a page
that would not stay equivalent, an unknown page), or `status --strict` with
a language that is not current; 2 the books or languages cannot be paired.
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from polybook.source.book import Book

if TYPE_CHECKING:
    from polybook.diagnostics import Diagnostic
    from polybook.i18n.books import Translation


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    i18n = sub.add_parser(
        "i18n",
        help="translations: where each stands, and their code brought back in line",
        description="Compare each translation with the source language, page by page.",
    )
    actions = i18n.add_subparsers(dest="i18n_command", required=True)
    status = actions.add_parser(
        "status",
        help="current, missing, partly translated or stale, per language and page",
        description="Per language: pages current, missing (shown in the source language), "
        "partly translated (paragraphs still in the source language) or stale (code, "
        "labels, sections, figures, tables or equations that differ from the source).",
    )
    status.add_argument("--lang", help="one translation (default: every one)")
    status.add_argument("--format", choices=["table", "json"], default="table")
    status.add_argument("--origin", metavar="PATH", help="the source book of a one-language book")
    status.add_argument(
        "--strict", action="store_true", help="exit 1 when a language is not current"
    )
    status.set_defaults(func=cmd_status)
    sync = actions.add_parser(
        "sync-code",
        help="make a translation's code cells the source's (a diff; --write applies it)",
        description="Give each code cell of the translated pages the source page's code, "
        "cell by cell; prose is kept byte for byte. Prints a unified diff; --write "
        "applies it.",
    )
    sync.add_argument("pages", nargs="*", metavar="PAGE", help="pages (paths or globs)")
    sync.add_argument("--lang", help="the translation (required with a multi-language book)")
    sync.add_argument("--origin", metavar="PATH", help="the source book of a one-language book")
    sync.add_argument("--write", action="store_true", help="write the pages (atomically)")
    sync.add_argument(
        "--labels", action="store_true", help="also restore labels the translation dropped"
    )
    sync.set_defaults(func=cmd_sync)
    migrate = sub.add_parser(
        "migrate",
        help="rewrite legacy pages (#@tab) into the new syntax (%%tab, header cell)",
        description="Rewrite legacy pages into the new syntax, changing nothing else; "
        "prints a unified diff, --write applies it.",
    )
    migrate.add_argument("pages", nargs="*", metavar="PAGE", help="pages (paths or globs)")
    migrate.add_argument("--syntax", choices=["new"], required=True)
    migrate.add_argument("--lang")
    migrate.add_argument("--write", action="store_true", help="write the pages (atomically)")
    migrate.set_defaults(func=cmd_migrate)


def _fail(message: str) -> int:
    print(f"polybook: {message}", file=sys.stderr)
    return 2


def _select(
    book: Book, lang: str, available: Sequence[str], patterns: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The pages of `available` that PAGE arguments name, and the arguments naming none."""
    if not patterns:
        return list(available), []
    from polybook.execute.plan import page_matcher

    chosen: list[str] = []
    unmatched: list[str] = []
    for raw, pattern in zip(patterns, page_matcher(book, lang, list(patterns)), strict=True):
        found = [p for p in available if fnmatch.fnmatchcase(p, pattern)]
        if not found:
            unmatched.append(raw)
        chosen.extend(p for p in found if p not in chosen)
    return sorted(chosen), unmatched


def _unknown(book: Book, lang: str, args: Sequence[str]) -> list[str]:
    from polybook.diagnostics import Code, Diagnostic

    return [
        Diagnostic.make(
            Code.I18N_UNKNOWN_PAGE, arg, 1, f"no page of {lang} matches {arg!r}"
        ).format()
        for arg in args
    ]


def cmd_status(book: Book, args: argparse.Namespace) -> int:
    from polybook.i18n.books import I18nSetupError, translations
    from polybook.i18n.report import print_table, to_json
    from polybook.i18n.status import PageState, language_status

    try:
        pairs = translations(book, args.lang, Path(args.origin) if args.origin else None)
    except I18nSetupError as exc:
        return _fail(str(exc))
    languages = [language_status(t) for t in pairs]
    if args.format == "json":
        print(to_json(languages))
    else:
        print_table(languages, sys.stdout)
    if args.strict and any(lang.state is not PageState.CURRENT for lang in languages):
        return 1
    return 0


def _one_translation(book: Book, args: argparse.Namespace) -> Translation:
    from polybook.i18n.books import I18nSetupError, translations

    origin = Path(args.origin) if args.origin else None
    if origin is None and args.lang is None:
        raise I18nSetupError("sync-code: name the translation with --lang L")
    return translations(book, args.lang, origin)[0]


def cmd_sync(book: Book, args: argparse.Namespace) -> int:
    from polybook.diagnostics import Code, Diagnostic, has_errors
    from polybook.i18n.books import I18nSetupError
    from polybook.i18n.edits import unified_diff, write_page
    from polybook.i18n.sync import sync_page

    try:
        translation = _one_translation(book, args)
    except I18nSetupError as exc:
        return _fail(str(exc))
    target = translation.target
    chosen, unmatched = _select(book, target.lang, target.pages(), args.pages)
    errors = _unknown(book, target.lang, unmatched)
    for line in errors:
        print(line, file=sys.stderr)
    pages = [p for p in chosen if translation.origin.has(p)]
    for rel in chosen:
        if rel not in pages and args.pages:
            print(
                Diagnostic.make(
                    Code.SYNC_NO_ORIGIN,
                    target.display(rel),
                    1,
                    f"no {translation.origin.lang} page {rel}: nothing to sync with",
                ).format(),
                file=sys.stderr,
            )
    changed = 0
    diagnostics: list[Diagnostic] = []
    for rel in pages:
        result = sync_page(translation, rel, labels=args.labels)
        diagnostics.extend(result.diagnostics)
        if not result.changed:
            continue
        changed += 1
        if args.write:
            write_page(result.path, result.after)
        else:
            sys.stdout.write(unified_diff(result.before, result.after, result.file))
    for d in diagnostics:
        print(d.format(), file=sys.stderr)
    verb = "written" if args.write else "to change (dry run: --write applies)"
    print(
        f"sync-code {target.lang}: {changed} of {len(pages)} pages {verb}",
        file=sys.stderr,
    )
    return 1 if errors or has_errors(diagnostics) else 0


def cmd_migrate(book: Book, args: argparse.Namespace) -> int:
    from polybook.cli import lang_arg
    from polybook.diagnostics import has_errors
    from polybook.i18n.edits import PageText, unified_diff, write_page
    from polybook.i18n.migrate import migrate_page

    lang = lang_arg(book, args.lang)
    frameworks = book.config.frameworks_for(lang)
    available = book.page_set(lang).notebooks
    pages, unmatched = _select(book, lang, available, args.pages)
    errors = _unknown(book, lang, unmatched)
    for line in errors:
        print(line, file=sys.stderr)
    changed = 0
    diagnostics: list[Diagnostic] = []
    for rel in pages:
        path = book.lang_root(lang) / rel
        page = book.read(lang, rel)
        result = migrate_page(page, PageText.read(path), frameworks)
        diagnostics.extend(result.diagnostics)
        if not result.changed:
            continue
        changed += 1
        if args.write:
            write_page(path, result.after)
        else:
            sys.stdout.write(unified_diff(result.before, result.after, page.file))
    for d in diagnostics:
        print(d.format(), file=sys.stderr)
    verb = "migrated" if args.write else "to migrate (dry run: --write applies)"
    print(f"migrate {lang}: {changed} of {len(pages)} pages {verb}", file=sys.stderr)
    return 1 if errors or has_errors(diagnostics) else 0
