"""Schedulers: where and when each task runs.

Local: at most `jobs` notebooks at once on this machine, longest first (by
recorded durations; unknown ones first), each with its own disjoint set of
GPUs from the pool; a task whose GPUs are not free lets the next one that fits
start (no GPU is ever shared). Dask: every task is submitted to the cluster
with worker resources `{"GPU": n}` (none for CPU-only pages); the worker runs
it in its local environment (see remote.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from polybook.execute.errors import SchedulerError
from polybook.execute.gpus import GpuPool
from polybook.execute.model import Result, Task

# runs a task on a set of devices
Runner = Callable[[Task, list[str]], Awaitable[Result]]
# called when a task starts / when its result is in; the latter returns False
# to stop starting new tasks (a failure without --keep-going)
OnStart = Callable[[Task, list[str]], None]
OnDone = Callable[[Task, Result], bool]


def order(tasks: list[Task]) -> list[Task]:
    """Longest first; tasks never seen first of all (they may be the longest)."""
    return sorted(
        tasks,
        key=lambda t: (t.expected_seconds is not None, -(t.expected_seconds or 0.0)),
    )


@dataclass(slots=True)
class LocalScheduler:
    jobs: int
    pool: GpuPool

    async def run(
        self, tasks: list[Task], runner: Runner, on_start: OnStart, on_done: OnDone
    ) -> None:
        pending = order(tasks)
        running: dict[asyncio.Task[Result], tuple[Task, list[str]]] = {}
        accepting = True
        try:
            while pending or running:
                while accepting and pending and len(running) < max(1, self.jobs):
                    pick = None
                    for i, task in enumerate(pending):
                        devices = self.pool.try_acquire(task.gpus)
                        if devices is not None:
                            pick = (i, devices)
                            break
                    if pick is None:
                        break  # wait for GPUs to be released
                    task = pending.pop(pick[0])
                    on_start(task, pick[1])
                    future = asyncio.ensure_future(runner(task, pick[1]))
                    running[future] = (task, pick[1])
                if not running:
                    break
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for future in done:
                    task, devices = running.pop(future)
                    self.pool.release(devices)
                    if not on_done(task, future.result()):
                        accepting = False
                if not accepting:
                    pending.clear()
        finally:
            for future in running:
                future.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)


@dataclass(slots=True)
class DaskScheduler:
    """Submits everything at once: the cluster queues by worker resources."""

    async def run(
        self, tasks: list[Task], runner: Runner, on_start: OnStart, on_done: OnDone
    ) -> None:
        # `runner` wraps the submission (cache lock, lookup); see run.py
        pending = order(tasks)
        running: dict[asyncio.Task[Result], Task] = {}
        for task in pending:
            on_start(task, [])
            running[asyncio.ensure_future(runner(task, []))] = task
        accepting = True
        try:
            while running:
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    if not on_done(task, future.result()) and accepting:
                        accepting = False
                        for other in running:
                            other.cancel()
        finally:
            for future in running:
                future.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)


class DaskSession:
    """An asynchronous Dask client; `submit` runs a task on a worker."""

    def __init__(self, address: str, timeout: float = 30.0) -> None:
        self.address = address
        self.timeout = timeout
        self.client: Any = None

    async def __aenter__(self) -> DaskSession:
        from distributed import Client

        try:
            self.client = await Client(  # type: ignore[no-untyped-call]
                self.address, asynchronous=True, timeout=self.timeout, set_as_default=False
            )
        except (OSError, TimeoutError) as exc:
            message = f"cannot reach the Dask scheduler at {self.address}: {exc}"
            raise SchedulerError(message) from exc
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.client is not None:
            await self.client.close()

    async def submit(self, task: Task) -> Result:
        from polybook.execute.remote import run_remote

        resources = {"GPU": task.gpus} if task.gpus > 0 else None
        future = self.client.submit(
            run_remote,
            task,
            key=f"polybook-{task.framework}-{task.key[:16]}",
            resources=resources,
            pure=False,
        )
        try:
            result: Result = await future
        except asyncio.CancelledError:
            await self.client.cancel([future])
            raise
        return result
