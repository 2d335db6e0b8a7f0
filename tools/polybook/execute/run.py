"""The execute stage: plan, reuse cached outputs, schedule the rest, record.

It reads the split notebooks as they are (whoever drives the build splits
first, see `polybook.graph`).

`execute_book` is the whole run. The event loop runs in a thread of its own so
that Ctrl-C reaches the main thread, which cancels the loop's work (loop.py):
every kernel the run started is killed, finished notebooks are already in the
cache (every write is atomic), and a rerun picks up where this one stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from polybook.diagnostics import Code, Diagnostic
from polybook.execute import gpus as gpu_mod
from polybook.execute.cache import Cache, Entry
from polybook.execute.envs import FrameworkEnv, resolve_env
from polybook.execute.gpus import GpuPool
from polybook.execute.loop import run_loop
from polybook.execute.model import (
    ExecuteSummary,
    Failure,
    FailureKind,
    NotebookReport,
    Origin,
    Reason,
    ReasonKind,
    Result,
    Status,
    Task,
)
from polybook.execute.place import relocate
from polybook.execute.plan import (
    MANIFEST,
    Item,
    executed_text,
    library_files,
    read_manifest,
)
from polybook.execute.progress import UNKNOWN_SECONDS, PlainReporter, Reporter
from polybook.execute.triage import Frameworks, plan_run, triage
from polybook.faults import Fault, doing
from polybook.files import write_atomic
from polybook.interrupt import checkpoint
from polybook.source.book import Book


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


class _Run:
    def __init__(self, book: Book, options: ExecuteOptions, cache: Cache, out_dir: Path) -> None:
        self.book, self.options, self.cache, self.out_dir = book, options, cache, out_dir
        self.reporter: Reporter = options.reporter or PlainReporter()
        self.manifest = read_manifest(out_dir / MANIFEST)
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
        recorded), and so is the cache entry it came from."""
        seen = self.manifest.get(item.manifest_key)
        if seen is None or seen.get("split") != item.split_sha or seen.get("key") != item.key:
            return False
        try:
            digest = hashlib.sha256(item.executed_path.read_bytes()).hexdigest()
        except OSError:
            return False
        if digest != seen.get("executed"):
            if "executed" in seen:
                self.damaged(item, f"executed notebook {item.executed_path}", "written again")
            return False
        if self.cache.intact(item.key) is False:
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
        try:
            same = item.executed_path.read_bytes() == data
        except OSError:
            same = False
        with doing(self.action):
            if not same:
                checkpoint("outputs-writing", item.label)
                write_atomic(item.executed_path, data)
            self.cache.set_record(item.lang, item.framework, item.page, item.key, seconds)
        self.manifest[item.manifest_key] = {
            "split": item.split_sha,
            "key": item.key,
            "executed": hashlib.sha256(data).hexdigest(),
            "seconds": f"{seconds:.3f}",  # what running it took (saved by a rerun)
        }
        return True

    def forget(self, item: Item) -> None:
        self.manifest.pop(item.manifest_key, None)
        with doing(self.action, "remove"):
            item.executed_path.unlink(missing_ok=True)

    def save_manifest(self) -> None:
        checkpoint("manifest-writing")
        text = json.dumps(dict(sorted(self.manifest.items())), indent=1, sort_keys=True)
        with doing(self.action):
            write_atomic(self.out_dir / MANIFEST, text.encode() + b"\n")

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


def plan_items(
    book: Book,
    options: ExecuteOptions,
    envs: dict[str, FrameworkEnv],
    cache: Cache,
    gpu_count: int | None,
) -> list[Item]:
    """Every split notebook of the run with its key (`gpu_count` None: as requested)."""
    return plan_run(
        book,
        options.lang,
        options.frameworks,
        options.pages,
        envs,
        cache,
        gpu_count,
        options.split_dir,
        options.out_dir,
    )[0]


def execute_book(book: Book, options: ExecuteOptions) -> ExecuteSummary:
    start = time.perf_counter()
    lang, conf, layout = options.lang, book.config.execute, book.layout
    out_dir = options.out_dir or layout.executed(lang)
    work_root = options.work_dir or layout.work
    env_dir = options.env_dir or book.root / conf.env_dir
    cache = Cache(options.cache_dir or layout.cache)
    if not options.dry_run:
        with doing(f"execute {lang}"):
            cache.acquire_shared()
    state = _Run(book, options, cache, out_dir)
    summary = ExecuteSummary(dry_run=options.dry_run)
    items: list[Item] = []
    try:
        local = options.scheduler == "local"
        devices = options.discover() if local else []
        envs: dict[str, FrameworkEnv] = {fw: resolve_env(fw, env_dir) for fw in options.frameworks}
        items, state.frameworks = plan_run(
            book,
            lang,
            options.frameworks,
            options.pages,
            envs,
            cache,
            len(devices) if local else None,
            options.split_dir,
            out_dir,
        )
        sorted_items = triage(book, items, state.frameworks, cache, state.up_to_date, options.force)
        state.reasons = sorted_items.reasons
        for item in sorted_items.up_to_date:
            seen = state.manifest.get(item.manifest_key, {})
            if "seconds" in seen:
                saved = _float(seen["seconds"])
            else:  # a manifest written before it kept the time
                record = cache.record(item.lang, item.framework, item.page) or {}
                saved = _float(record.get("seconds"))
            state.report(item, Status.CACHED, 0.0, origin=Origin.UP_TO_DATE, saved_seconds=saved)
        for item, entry in sorted_items.cached:
            if options.dry_run or state.materialize(item, entry.cells, entry.seconds):
                state.report(
                    item,
                    Status.CACHED,
                    0.0,
                    origin=Origin.CACHE,
                    source_lang=entry.lang,
                    saved_seconds=entry.seconds,
                )
                continue
            state.reasons[item.label] = (Reason(ReasonKind.OUTPUTS_MISSING, note=_MISFIT),)
            sorted_items.groups.setdefault(item.key, []).append(item)
        state.groups = sorted_items.groups
        todo = sorted_items.todo
        tasks = _tasks(book, state, envs, local, work_root)
        if options.dry_run:
            _report_dry_run(state)
        else:
            state.reporter.begin(len(items), todo, sum(state.expected.values()))
            checkpoint("notebooks-planned", f"{todo} to run")
            if tasks:
                summary.interrupted = run_loop(
                    lambda: _schedule(state, tasks, options, devices, work_root, envs)
                )
    except BaseException:
        if not options.dry_run:
            with contextlib.suppress(Fault):  # keep what was done; report the first fault
                state.save_manifest()
        raise
    else:
        if not options.dry_run:
            state.save_manifest()
    finally:
        if not options.dry_run:
            cache.release_shared()
    for item in items:
        report = state.reports.get(item.label)
        if report is not None:
            summary.reports.append(report)
    summary.seconds = time.perf_counter() - start
    if not options.dry_run:
        state.reporter.end(summary)
    return summary


_MISFIT = "the cached outputs do not fit the notebook"


def _float(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else 0.0
    except ValueError:
        return 0.0


def _report_dry_run(state: _Run) -> None:
    """What the run would do: each group's first item runs, the others (the
    same code in other languages) would take its outputs."""
    for key, group in state.groups.items():
        expected = state.expected.get(key, 0.0)
        source = group[0]
        for n, item in enumerate(group):
            if n == 0:
                state.report(item, Status.WOULD_RUN, 0.0, saved_seconds=0.0)
            else:
                state.report(
                    item,
                    Status.CACHED,
                    0.0,
                    origin=Origin.SHARED,
                    source_lang=source.lang,
                    saved_seconds=expected,
                )


def _tasks(
    book: Book, state: _Run, envs: dict[str, FrameworkEnv], local: bool, work_root: Path
) -> list[Task]:
    source_lang = book.config.source_language
    library = () if local else library_files(book)
    tasks: list[Task] = []
    for key, group in state.groups.items():
        group.sort(key=lambda i: i.lang != source_lang)
        rep = group[0]
        duration = state.cache.duration(rep.lang, rep.framework, rep.page)
        state.expected[key] = UNKNOWN_SECONDS if duration is None else max(duration, 0.01)
        chapter = rep.page.rsplit("/", 1)[0] if "/" in rep.page else ""
        tasks.append(
            Task(
                key=key,
                lang=rep.lang,
                framework=rep.framework,
                page=rep.page,
                notebook=rep.notebook,
                kernel_name=envs[rep.framework].kernel_name,
                env_root=str(envs[rep.framework].root.resolve()),
                workdir=f"{rep.framework}/{chapter}".rstrip("/"),
                settings=rep.settings,
                gpus=rep.gpus,
                pythonpath=(str(book.root),) if local else (),
                library=library,
                expected_seconds=duration,
            )
        )
    return tasks


async def _schedule(
    state: _Run,
    tasks: list[Task],
    options: ExecuteOptions,
    devices: list[str],
    work_root: Path,
    envs: dict[str, FrameworkEnv],
) -> None:
    from polybook.execute.schedule import DaskScheduler, DaskSession, LocalScheduler

    def on_start(task: Task, assigned: list[str]) -> None:
        state.reporter.started(f"{task.lang}/{task.framework}/{task.page}")

    if options.scheduler == "dask":
        if not options.address:
            from polybook.execute.errors import SchedulerError

            raise SchedulerError("--scheduler dask needs --address tcp://HOST:PORT")
        async with DaskSession(options.address, options.connect_timeout) as session:

            async def remote(task: Task, assigned: list[str]) -> Result:
                return await state.produce(task, lambda: session.submit(task))

            await DaskScheduler().run(tasks, remote, on_start, state.finish)
        return

    from polybook.execute.runner import run_notebook

    async def local(task: Task, assigned: list[str]) -> Result:
        env = envs[task.framework]
        return await state.produce(task, lambda: run_notebook(task, assigned, work_root, env))

    jobs = options.jobs or state.book.config.execute.jobs
    await LocalScheduler(jobs, GpuPool(devices)).run(tasks, local, on_start, state.finish)
