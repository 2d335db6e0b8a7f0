"""`polybook edit`: argument parsing only; the work is `edit.run` and `edit.save`.

Exit status: 0 the notebook was written (or the page, or nothing had
changed); 1 a change was refused (nothing was written); 2 no such page or
notebook.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polybook.source.book import Book


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    edit = sub.add_parser(
        "edit",
        help="write a page's notebook for Jupyter; --save writes its changes back into the page",
        description="`polybook edit PAGE --framework F` writes the notebook of PAGE for F "
        "(outputs from the execution cache when it holds this code) and prints its path; "
        "it opens nothing. `polybook edit --save NOTEBOOK` writes the code and prose changed "
        "in Jupyter back into the page, each line where it came from; a change that "
        "cannot be placed exactly is refused, naming the cell, and nothing is written.",
    )
    edit.add_argument("page", nargs="?", help="the page (chapters/en/chap/x.md or chap/x.md)")
    edit.add_argument("--framework", help="the notebook's framework (default: the default tab)")
    edit.add_argument("--lang", help="the page's language (default: from PAGE's path)")
    edit.add_argument("--out", help="where to write the notebook (default: _build/edit/...)")
    edit.add_argument("--save", metavar="NOTEBOOK", help="write NOTEBOOK's changes into its page")
    edit.set_defaults(func=cmd_edit)


def cmd_edit(book: Book, args: argparse.Namespace) -> int:
    from polybook.cli import frameworks_arg

    if args.save:
        if args.page or args.framework or args.out:
            print("polybook: edit --save takes only the notebook", file=sys.stderr)
            return 2
        return _save(book, Path(args.save))
    if not args.page:
        print("polybook: edit needs a PAGE (or --save NOTEBOOK)", file=sys.stderr)
        return 2
    from polybook.edit.run import PageError, edit_page, page_ref

    try:
        ref = page_ref(book, args.page, args.lang)
    except PageError as exc:
        print(f"polybook: edit: {exc}", file=sys.stderr)
        return 2
    ordered = book.config.frameworks_for(ref.lang)
    framework = frameworks_arg(book, ref.lang, args.framework)[0] if args.framework else ordered[0]
    result = edit_page(book, ref, framework, Path(args.out) if args.out else None)
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if result.path is None:
        return 2
    print(f"edit: {ref.file(book)} ({ref.lang}, {framework}) -> {result.path}; {result.note}")
    return 0


def _save(book: Book, path: Path) -> int:
    from polybook.diagnostics import Code, has_errors
    from polybook.edit.save import save_notebook

    result = save_notebook(book, path)
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if has_errors(result.diagnostics):
        unusable = {Code.EDIT_NOT_EDIT_NOTEBOOK.id, Code.EDIT_NO_NOTEBOOK.id}
        return 2 if any(d.code in unusable for d in result.diagnostics) else 1
    if not result.written:
        print(f"edit --save: {result.page}: no changes")
    else:
        print(
            f"edit --save: {result.page}: {result.changed_lines} lines written back "
            f"from {result.cells} cells"
        )
    return 0
