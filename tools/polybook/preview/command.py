"""`polybook preview [PAGE] [--lang L] [--framework F|all] [--port N] [--no-execute]`.

Builds the site once (split, execute through the cache, render), serves it
on 127.0.0.1, then watches the book: each save re-does what it needs
(`rebuild.py`) and the open pages reload themselves (`server.py`). Prints
`preview: URL` when serving, one line per rebuild, and the saved page's
diagnostics as soon as they are known. Ctrl-C stops it (exit status 0).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from functools import partial
from types import FrameType
from typing import Any

from polybook.source.book import Book

POLL_SECONDS = 0.25  # how often the book's files are looked at


def _say(text: str) -> None:
    print(text, flush=True)


def _page_path(book: Book, lang: str, page: str | None) -> str:
    """The URL path of PAGE (`chapter_x/page`, `.md`, or its book path)."""
    if not page:
        return ""
    prefix = book.display(lang, "x")[:-1]
    rel = page.removeprefix("./").removeprefix(prefix).removesuffix(".md")
    return rel + ".html"


def cmd_preview(book: Book, args: argparse.Namespace) -> int:
    from polybook.cli import frameworks_arg, lang_arg
    from polybook.diagnostics import Severity
    from polybook.preview.rebuild import Previewer, execute_pages
    from polybook.preview.server import PreviewServer, Versions
    from polybook.preview.watch import Watcher

    lang = lang_arg(book, args.lang)
    framework = args.framework or book.config.frameworks_for(lang)[0]
    site = "all" if framework == "all" else frameworks_arg(book, lang, framework)[0]
    executor = None if args.no_execute else partial(execute_pages, book)
    preview = Previewer(book, lang, site, args.mathjax, executor, _say)
    watcher = Watcher(preview.roots())  # before the first build: a save during it counts
    first = preview.rebuild([book.lang_root(lang) / rel for rel in book.page_files(lang)])
    for d in first.site:
        _say(d.format())
    if first.failed:
        for d in first.diagnostics[-1:]:
            print(d.format(), file=sys.stderr)
        return 2
    out = book.layout.html(lang, site)
    versions = Versions()
    try:
        server = PreviewServer(out, versions, args.port)
    except OSError as exc:
        print(f"polybook: preview: cannot serve on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 2
    server.start()
    _say(f"preview: {server.url}{_page_path(book, lang, args.page)} ({lang}/{site}; Ctrl-C stops)")
    stop = threading.Event()

    def interrupted(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, interrupted)
    try:
        while not stop.wait(POLL_SECONDS):
            changed = watcher.changes()
            if not changed:
                continue
            names = ", ".join(sorted(p.relative_to(book.root).as_posix() for p in changed))
            _say(f"changed: {names}")
            done = preview.rebuild(changed)
            errors = sum(1 for d in done.diagnostics if d.severity is Severity.ERROR)
            for d in done.site:
                if d.file in done.pages:
                    _say(d.format())
            version = versions.bump()
            _say(
                f"rebuilt #{version} in {done.seconds:.1f}s: {len(done.pages)} pages saved, "
                f"{len(done.executed)} through execute, {done.read} read by Sphinx, "
                f"{errors} errors, {len(done.site)} site warnings"
            )
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    _say("preview: stopped")
    return 0


def register(subparsers: Any) -> None:
    preview = subparsers.add_parser(
        "preview", help="serve the site on 127.0.0.1 and rebuild what each save changes"
    )
    preview.add_argument("page", nargs="?", help="the page to open (its path, as for execute)")
    preview.add_argument("--lang", help="book language (default: the source language)")
    preview.add_argument("--framework", help="a framework, or all (default: the language's first)")
    preview.add_argument("--port", type=int, default=8000, help="port (0: any free one)")
    preview.add_argument(
        "--no-execute", action="store_true", help="never execute; show the outputs cached so far"
    )
    preview.add_argument("--mathjax", metavar="PATH|URL", help="as for build html")
    preview.set_defaults(func=cmd_preview)
