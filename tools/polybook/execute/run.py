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
import time
from pathlib import Path

from polybook.execute.cache import Cache
from polybook.execute.envs import FrameworkEnv, resolve_env
from polybook.execute.gpus import GpuPool
from polybook.execute.model import (
    ExecuteSummary,
    Origin,
    Reason,
    ReasonKind,
    Result,
    Status,
    Task,
)
from polybook.execute.plan import Item, library_files
from polybook.execute.progress import UNKNOWN_SECONDS
from polybook.execute.state import ExecuteOptions, RunState
from polybook.execute.triage import plan_run, triage
from polybook.faults import Fault, doing
from polybook.interrupt import checkpoint
from polybook.source.book import Book

__all__ = ["ExecuteOptions", "execute_book", "plan_items"]  # ExecuteOptions: state.py's


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
    state = RunState(book, options, cache, out_dir)
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
            seen = state.manifest.get(item.manifest_key)
            if seen is not None and seen.seconds is not None:
                saved = seen.seconds
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
                from polybook.execute.loop import run_loop  # asyncio: only to run something

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


def _report_dry_run(state: RunState) -> None:
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
    book: Book, state: RunState, envs: dict[str, FrameworkEnv], local: bool, work_root: Path
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
    state: RunState,
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
