"""Running Sphinx on a generated source tree, incrementally, in this process.

Sphinx re-reads the pages whose files changed and re-writes those and the
pages whose toctree numbering changed. Two things it does not track are
added here: a page that references a label (numref, ref, eq) whose target
or number changed in a re-read page is re-written too; and the warnings are
recorded with the phase they belong to (read or write) and the pages each
phase touched, so that warnings of untouched pages can be kept.
"""

from __future__ import annotations

import gc
import io
import sys
import time
from collections.abc import Iterator, Mapping, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from polybook.files import write_atomic
from polybook.interrupt import checkpoint
from polybook.render.project import SitePaths

_GC_THRESHOLD = 20_000  # allocations between collections of the youngest generation
SPHINX_PENDING = "sphinx.pending"


class PhaseStream(io.StringIO):
    """The warning stream: text collected separately for the read and write phases."""

    def __init__(self) -> None:
        super().__init__()
        self.phase = "read"
        self.text: dict[str, list[str]] = {"read": [], "write": []}

    def write(self, s: str) -> int:
        self.text[self.phase].append(s)
        return len(s)


@dataclass(slots=True)
class SphinxRun:
    read: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    warnings: dict[str, str] = field(default_factory=dict)  # phase -> stream text
    all_docs: set[str] = field(default_factory=set)
    status: str = ""


@dataclass(frozen=True, slots=True)
class _Snapshot:
    labels: dict[str, tuple[str, str]]  # label -> (its page, what a reference to it shows)
    numbers: dict[str, str]  # page -> its section and figure numbers


def _snapshot(env: Any, docs: Set[str]) -> _Snapshot:
    labels: dict[str, tuple[str, str]] = {}
    std = env.domaindata.get("std", {})
    tables = [std.get("labels", {}), std.get("anonlabels", {})]
    tables.append(env.domaindata.get("math", {}).get("objects", {}))
    for table in tables:
        for name, info in table.items():
            if info and info[0] in docs:
                labels[name] = (str(info[0]), repr(info))
    numbers = {
        doc: repr((env.toc_secnumbers.get(doc), env.toc_fignumbers.get(doc)))
        for doc in env.found_docs
    }
    return _Snapshot(labels, numbers)


def _changed(before: _Snapshot, after: _Snapshot) -> set[str]:
    """Labels whose target or number differs between two snapshots."""
    names = {
        name
        for name in before.labels.keys() | after.labels.keys()
        if before.labels.get(name) != after.labels.get(name)
    }
    renumbered = {
        doc
        for doc in before.numbers.keys() | after.numbers.keys()
        if before.numbers.get(doc) != after.numbers.get(doc)
    }
    names |= {name for name, (doc, _) in after.labels.items() if doc in renumbered}
    return names


@contextmanager
def _collector_for_large_trees() -> Iterator[None]:
    """Python's cyclic garbage collector, tuned for a Sphinx build.

    A build allocates millions of long-lived docutils nodes; with the default
    thresholds the collector scans them again and again (a third of a large
    book's build). Objects alive before the build are frozen out of the scans,
    and younger generations are collected less often.
    """
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextmanager
def sphinx_app(
    paths: SitePaths,
    builder: str,
    stream: PhaseStream,
    status: IO[str],
    jobs: int,
    fresh: bool = False,
) -> Iterator[Any]:
    """A Sphinx application over the generated project at `paths` (the site's or
    the PDF's), its warnings in `stream`, split by phase when writing starts;
    `fresh`: from a new environment (every page read and written again)."""
    from sphinx import locale
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    nocolor()
    # Sphinx keeps its message catalogues for the process and adds a new
    # language's behind the first one's: each site starts from none
    locale.translators.clear()

    def write_started(app: Any, builder: Any) -> None:
        stream.phase = "write"
        checkpoint("sphinx-writing")

    with patch_docutils(paths.src), docutils_namespace():
        app = Sphinx(
            srcdir=paths.src,
            confdir=paths.src,
            outdir=paths.out,
            doctreedir=paths.doctrees,
            buildername=builder,
            status=status,
            warning=stream,
            freshenv=fresh,
            parallel=jobs,
        )
        app.connect("write-started", write_started)
        yield app


def run_sphinx(
    paths: SitePaths,
    refs: Mapping[str, set[str]],
    jobs: int = 1,
    verbose: bool = False,
    fresh: bool = False,
) -> SphinxRun:
    run = SphinxRun()
    stream = PhaseStream()
    status = io.StringIO()
    before: list[_Snapshot] = []

    def before_read(app: Any, env: Any, docnames: list[str]) -> None:
        run.read.update(docnames)
        before.append(_snapshot(env, set(docnames)))
        checkpoint("sphinx-reading", str(len(docnames)))

    def page_context(app: Any, pagename: str, *args: Any) -> None:
        checkpoint("sphinx-page", pagename)

    def get_updated(app: Any, env: Any) -> list[str]:
        # after the toctree collector has renumbered sections and figures
        if not before:
            return []
        changed = _changed(before[0], _snapshot(env, run.read))
        return sorted(
            doc
            for doc, targets in refs.items()
            if doc not in run.read and doc in env.found_docs and targets & changed
        )

    # There while Sphinx runs and until the build has recorded its warnings
    # (`sphinx_recorded`): a build that stopped in between (Ctrl-C, a crash) may
    # have left a page half written, or pages written whose warnings were never
    # recorded, so the next one starts Sphinx afresh (every page read and written).
    pending = paths.work / SPHINX_PENDING
    fresh = fresh or pending.is_file()
    write_atomic(pending, "")
    out = sys.stdout if verbose else status
    with sphinx_app(paths, "html", stream, out, jobs, fresh) as app:
        app.connect("env-before-read-docs", before_read)
        app.connect("html-page-context", page_context)
        app.connect("env-get-updated", get_updated, priority=900)
        started = time.time()
        with _collector_for_large_trees():
            app.build()
        run.all_docs = set(app.env.found_docs)
    # pages written in this build (parallel writes happen in other processes)
    for doc in run.all_docs:
        try:
            if (paths.out / f"{doc}.html").stat().st_mtime >= started:
                run.written.add(doc)
        except OSError:
            pass
    run.warnings = {phase: "".join(parts) for phase, parts in stream.text.items()}
    run.status = status.getvalue()
    return run


def sphinx_recorded(paths: SitePaths) -> None:
    """The build has recorded what Sphinx did (its warnings): the next build
    may be incremental again."""
    (paths.work / SPHINX_PENDING).unlink(missing_ok=True)
