"""The execute stage: plan, reuse cached outputs, schedule the rest, record.

It reads the split notebooks as they are (whoever drives the build splits
first, see `polybook.graph`).

`execute_book` is the whole run. The event loop runs in a thread of its own so
that Ctrl-C reaches the main thread, which cancels the loop's work: running
kernels are shut down, finished notebooks are already in the cache (every
write is atomic), and a rerun picks up where this one stopped.
"""

from __future__ import annotations

import contextlib
import fnmatch
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
from polybook.execute.libdeps import load_index
from polybook.execute.loop import run_loop
from polybook.execute.model import (
    ExecuteSummary,
    Failure,
    FailureKind,
    NotebookReport,
    Result,
    Status,
    Task,
)
from polybook.execute.place import relocate
from polybook.execute.plan import (
    MANIFEST,
    Item,
    executed_text,
    library_file,
    library_files,
    make_item,
    page_matcher,
    read_manifest,
    read_split,
    split_notebooks,
)
from polybook.execute.progress import UNKNOWN_SECONDS, PlainReporter, Reporter
from polybook.faults import Fault, doing
from polybook.files import write_atomic
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


class _Run:
    def __init__(self, book: Book, options: ExecuteOptions, cache: Cache, out_dir: Path) -> None:
        self.book, self.options, self.cache, self.out_dir = book, options, cache, out_dir
        self.reporter: Reporter = options.reporter or PlainReporter()
        self.manifest = read_manifest(out_dir / MANIFEST)
        self.action = f"execute {options.lang}"
        self.reports: dict[str, NotebookReport] = {}
        self.groups: dict[str, list[Item]] = {}
        self.expected: dict[str, float] = {}

    def report(
        self, item: Item, status: Status, seconds: float, failure: Failure | None = None
    ) -> NotebookReport:
        report = NotebookReport(
            item.lang, item.framework, item.page, item.file, status, seconds, item.key, failure
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
                write_atomic(item.executed_path, data)
            self.cache.set_record(item.lang, item.framework, item.page, item.key, seconds)
        self.manifest[item.manifest_key] = {
            "split": item.split_sha,
            "key": item.key,
            "executed": hashlib.sha256(data).hexdigest(),
        }
        return True

    def forget(self, item: Item) -> None:
        self.manifest.pop(item.manifest_key, None)
        with doing(self.action, "remove"):
            item.executed_path.unlink(missing_ok=True)

    def save_manifest(self) -> None:
        text = json.dumps(dict(sorted(self.manifest.items())), indent=1, sort_keys=True)
        with doing(self.action):
            write_atomic(self.out_dir / MANIFEST, text.encode() + b"\n")

    def finish(self, task: Task, result: Result) -> bool:
        group = self.groups[task.key]
        source = next(i for i in group if i.lang == task.lang)
        expected = self.expected.get(task.key, 0.0)
        if result.ok:
            for n, item in enumerate(group):
                ran = item is source and not result.cached
                status = Status.EXECUTED if ran else Status.CACHED
                seconds = result.seconds if ran else 0.0
                if not self.materialize(item, result.cells, result.seconds):
                    failure = Failure(FailureKind.INTERNAL, "outputs do not fit the notebook")
                    self.forget(item)
                    status, failure_or_none = Status.FAILED, failure
                else:
                    failure_or_none = None
                report = self.report(item, status, seconds, failure_or_none)
                self.reporter.finished(report, expected if n == 0 else 0.0, n == 0)
            return True
        failure = result.failure or Failure(FailureKind.INTERNAL, "unknown failure")
        for n, item in enumerate(group):
            self.forget(item)
            located = relocate(failure, source.notebook, item.notebook)
            report = self.report(item, Status.FAILED, result.seconds, located)
            self.reporter.finished(report, expected if n == 0 else 0.0, n == 0)
        return self.options.keep_going

    async def produce(self, task: Task, run: Callable[[], Coroutine[Any, Any, Result]]) -> Result:
        """Run a task under its key's lock, unless another run produced it meanwhile."""
        async with self.cache.key_lock(task.key):
            entry = self.cache.lookup(task.key, remove_corrupt=True)
            if entry is not None:
                return Result(task.key, True, entry.seconds, entry.cells, cached=True)
            result = await run()
            if result.ok:
                item = self.groups[task.key][0]
                key = task.key
                if result.env_fingerprint and result.env_fingerprint != item.parts.env:
                    key = item.parts.with_env(result.env_fingerprint).key()
                    print(
                        f"polybook: warning: {result.host} ran {task.framework} in an "
                        f"environment that differs from this machine's; cached as {key[:12]}",
                        file=sys.stderr,
                    )
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
    lang = options.lang
    split_dir = options.split_dir or book.layout.split(lang)
    out_dir = options.out_dir or book.layout.executed(lang)
    patterns = page_matcher(book, lang, options.pages)
    items: list[Item] = []
    for fw in options.frameworks:
        fingerprint = envs[fw].fingerprint()
        library = load_index(library_file(book, fw), book.config.library_dir, cache.root)
        for page, path in split_notebooks(split_dir, fw):
            if patterns and not any(fnmatch.fnmatchcase(page, p) for p in patterns):
                continue
            notebook, sha = read_split(path, lang)
            items.append(
                make_item(
                    book, lang, fw, page, notebook, sha, out_dir, fingerprint, library, gpu_count
                )
            )
    return items


def execute_book(book: Book, options: ExecuteOptions) -> ExecuteSummary:
    start = time.perf_counter()
    lang, conf, layout = options.lang, book.config.execute, book.layout
    out_dir = options.out_dir or layout.executed(lang)
    work_root = options.work_dir or layout.work
    env_dir = options.env_dir or book.root / conf.env_dir
    cache = Cache(options.cache_dir or layout.cache)
    with doing(f"execute {lang}"):
        cache.acquire_shared()
    state = _Run(book, options, cache, out_dir)
    summary = ExecuteSummary()
    try:
        local = options.scheduler == "local"
        devices = options.discover() if local else []
        envs: dict[str, FrameworkEnv] = {fw: resolve_env(fw, env_dir) for fw in options.frameworks}
        items = plan_items(book, options, envs, cache, len(devices) if local else None)
        todo = 0
        for item in items:
            if state.up_to_date(item):
                state.report(item, Status.CACHED, 0.0)
                continue
            entry = cache.lookup(item.key)
            if entry is not None and state.materialize(item, entry.cells, entry.seconds):
                state.report(item, Status.CACHED, 0.0)
                continue
            state.groups.setdefault(item.key, []).append(item)
            todo += 1
        tasks = _tasks(book, state, envs, local, work_root)
        expected = sum(state.expected.values())
        state.reporter.begin(len(items), todo, expected)
        if tasks:
            summary.interrupted = run_loop(
                lambda: _schedule(state, tasks, options, devices, work_root, envs)
            )
    except BaseException:
        with contextlib.suppress(Fault):  # keep what was done; report the first fault
            state.save_manifest()
        raise
    else:
        state.save_manifest()
    finally:
        cache.release_shared()
    for item in items:
        report = state.reports.get(item.label)
        if report is not None:
            summary.reports.append(report)
    summary.seconds = time.perf_counter() - start
    state.reporter.end(summary)
    return summary


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
