"""The state of one execute run: the reports, the executed notebooks and
their manifest, and what a finished task does to them (`execute_book` in
run.py drives it)."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from polybook.diagnostics import Code, Diagnostic
from polybook.execute import gpus as gpu_mod
from polybook.execute.cache import Cache, Entry
from polybook.execute.model import (
    Failure,
    FailureKind,
    NotebookReport,
    Origin,
    Reason,
    Result,
    Status,
    Task,
)
from polybook.execute.place import relocate
from polybook.execute.plan import MANIFEST, Item, executed_text
from polybook.execute.progress import PlainReporter, Reporter
from polybook.execute.record import Executed, manifest_bytes, read_manifest
from polybook.execute.triage import Frameworks
from polybook.faults import doing
from polybook.files import write_atomic
from polybook.interrupt import checkpoint
from polybook.source.book import Book
from polybook.verified import Verified


@dataclass(slots=True)
class ExecuteOptions:
    lang: str
    frameworks: list[str]
    pages: list[str] = field(default_factory=list)
    jobs: int | None = None
    keep_going: bool = False
    scheduler: Literal["local", "dask"] = "local"
    address: str | None = None
    connect_timeout: float = 30.0
    env_dir: Path | None = None
    cache_dir: Path | None = None
    split_dir: Path | None = None  # default _build/split/<lang>
    out_dir: Path | None = None  # default _build/executed/<lang>
    work_dir: Path | None = None  # kernels' working directories
    discover: gpu_mod.Discover = gpu_mod.discover
    reporter: Reporter | None = None
    force: bool = False  # run every notebook, cached or not
    dry_run: bool = False  # plan and explain; run, write and reuse nothing


class RunState:
    def __init__(self, book: Book, options: ExecuteOptions, cache: Cache, out_dir: Path) -> None:
        self.book, self.options, self.cache, self.out_dir = book, options, cache, out_dir
        self.reporter: Reporter = options.reporter or PlainReporter()
        self.manifest = read_manifest(out_dir / MANIFEST)
        self._read = dict(self.manifest)  # as read (its entries are replaced, never changed)
        # what the executed notebooks and the cache entries were verified to hold
        self.verified = Verified.open(book.layout.verified(out_dir), out_dir)
        self.action = f"execute {options.lang}"
        self.reports: dict[str, NotebookReport] = {}
        self.groups: dict[str, list[Item]] = {}
        self.expected: dict[str, float] = {}
        self.reasons: dict[str, tuple[Reason, ...]] = {}
        self.frameworks = Frameworks()

    def report(
        self,
        item: Item,
        status: Status,
        seconds: float,
        failure: Failure | None = None,
        **extra: Any,
    ) -> NotebookReport:
        report = NotebookReport(
            item.lang,
            item.framework,
            item.page,
            item.file,
            status,
            seconds,
            item.key,
            failure,
            reasons=self.reasons.get(item.label, ()),
            **extra,
        )
        self.reports[item.label] = report
        return report

    def up_to_date(self, item: Item) -> bool:
        """The executed notebook is current and intact (the sha256 the manifest
        recorded), and so is the cache entry it came from. A file whose stat
        is the one recorded when it was last verified is not read again."""
        seen = self.manifest.get(item.manifest_key)
        if seen is None or seen.split != item.split_sha or seen.key != item.key:
            return False
        digest = self.verified.sha256(item.executed_path)
        if digest is None:
            return False
        if digest != seen.executed:
            if seen.executed:
                self.damaged(item, f"executed notebook {item.executed_path}", "written again")
            return False
        if self.cache.intact(item.key, self.verified) is False:
            self.damaged(item, f"cache entry {self.cache.object_path(item.key)}", "executed again")
            return False
        return True

    def damaged(self, item: Item, what: str, done: str) -> None:
        message = f"{what} did not match its checksum (damaged since it was written); {done}"
        print(Diagnostic.make(Code.REGENERATED, item.file, 1, message).format(), file=sys.stderr)

    def materialize(self, item: Item, cells: list[dict[str, Any]], seconds: float) -> bool:
        text = executed_text(item, cells)
        if text is None:
            return False
        data = text.encode()
        digest = hashlib.sha256(data).hexdigest()
        with doing(self.action):
            if not self._holds(item, data, digest):
                checkpoint("outputs-writing", item.label)
                write_atomic(item.executed_path, data)
                self.verified.record(item.executed_path, digest)
            self.cache.set_record(item.lang, item.framework, item.page, item.key, seconds)
        # what running it took, saved by every rerun that reuses it
        self.manifest[item.manifest_key] = Executed(item.split_sha, item.key, digest, seconds)
        return True

    def _holds(self, item: Item, data: bytes, digest: str) -> bool:
        """Whether the executed notebook on disk is `data` already (then it is
        not written again). When the manifest recorded other bytes for it, it
        is not, and is not read to tell (a file a run wrote without recording
        it, then interrupted, is merely written again)."""
        seen = self.manifest.get(item.manifest_key)
        if seen is not None and seen.executed != digest:
            return False
        if self.verified.trusted(item.executed_path) == digest:
            return True
        try:
            return item.executed_path.read_bytes() == data
        except OSError:
            return False

    def forget(self, item: Item) -> None:
        self.manifest.pop(item.manifest_key, None)
        with doing(self.action, "remove"):
            item.executed_path.unlink(missing_ok=True)

    def save_manifest(self) -> None:
        """Write the manifest unless the file holds it already (a manifest
        equal to the one read from a file whose stat did not change since it
        was written or verified is not even serialised); then the state of
        `verified`."""
        checkpoint("manifest-writing")
        path = self.out_dir / MANIFEST
        changed = self.manifest != self._read
        if changed or self.verified.trusted(path) is None:
            data = manifest_bytes(self.manifest)
            digest = hashlib.sha256(data).hexdigest()
            if changed or self.verified.sha256(path) != digest:
                with doing(self.action):
                    write_atomic(path, data)
                self.verified.record(path, digest)
            self._read = dict(self.manifest)
        self.verified.save()

    def finish(self, task: Task, result: Result) -> bool:
        group = self.groups[task.key]
        source = next(i for i in group if i.lang == task.lang)
        expected = self.expected.get(task.key, 0.0)
        ran_here = {
            "cpu_seconds": result.cpu_seconds,
            "gpus": len(result.devices),
            "source_lang": source.lang,
        }
        if result.ok:
            for n, item in enumerate(group):
                ran = item is source and not result.cached
                status = Status.EXECUTED if ran else Status.CACHED
                seconds = result.seconds if ran else 0.0
                if ran:
                    extra: dict[str, Any] = ran_here
                else:
                    origin = Origin.CACHE if result.cached else Origin.SHARED
                    extra = {
                        "origin": origin,
                        "source_lang": source.lang,
                        "saved_seconds": result.seconds,
                    }
                if not self.materialize(item, result.cells, result.seconds):
                    failure = Failure(FailureKind.INTERNAL, "outputs do not fit the notebook")
                    self.forget(item)
                    status, failure_or_none = Status.FAILED, failure
                else:
                    failure_or_none = None
                report = self.report(item, status, seconds, failure_or_none, **extra)
                self.reporter.finished(report, expected if n == 0 else 0.0, n == 0)
            return True
        failure = result.failure or Failure(FailureKind.INTERNAL, "unknown failure")
        for n, item in enumerate(group):
            self.forget(item)
            located = relocate(failure, source.notebook, item.notebook)
            report = self.report(item, Status.FAILED, result.seconds, located, **ran_here)
            self.reporter.finished(report, expected if n == 0 else 0.0, n == 0)
        return self.options.keep_going

    async def produce(self, task: Task, run: Callable[[], Coroutine[Any, Any, Result]]) -> Result:
        """Run a task under its key's lock, unless another run produced it meanwhile."""
        async with self.cache.key_lock(task.key):
            entry = None if self.options.force else self.cache.lookup(task.key, True)
            if entry is not None:
                return Result(task.key, True, entry.seconds, entry.cells, cached=True)
            result = await run()
            if result.ok:
                item = self.groups[task.key][0]
                key = task.key
                basis = self.frameworks.basis(item, result.env_manifest)
                if result.env_fingerprint and result.env_fingerprint != item.parts.env:
                    key = basis.parts.key()
                    print(
                        f"polybook: warning: {result.host} ran {task.framework} in an "
                        f"environment that differs from this machine's; cached as {key[:12]}",
                        file=sys.stderr,
                    )
                checkpoint("cache-storing", f"{task.lang}/{task.framework}/{task.page}")
                with doing(self.action):
                    self.cache.store(
                        Entry(
                            key,
                            task.framework,
                            task.page,
                            task.lang,
                            result.seconds,
                            result.cells,
                            result.env_fingerprint,
                            result.host,
                            basis,
                            result.cpu_seconds,
                        )
                    )
            return result
