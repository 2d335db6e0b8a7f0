"""Per-page work over many pages: in this process, or in worker processes.

Pages are independent until a stage joins their results, so a stage maps one
function over its pages; with many pages (a real book) two worker processes
do it. Below the threshold the start-up of the workers costs more than it saves.
Ctrl-C is the parent's: workers ignore it, the parent stops the pool.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from polybook.interrupt import checkpoint

PARALLEL_MIN_PAGES = 64
_Job = TypeVar("_Job")
_Result = TypeVar("_Result")


def map_pages(
    work: Callable[[_Job], _Result], jobs: Sequence[_Job], workers: int | None = None
) -> list[_Result]:
    """`work` applied to every job, in order (`workers`: processes; default: two
    when the machine has them)."""
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    if count > 1 and len(jobs) >= PARALLEL_MIN_PAGES:
        # imported here: multiprocessing costs start-up time a small run does not need
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=count, initializer=_ignore_interrupts)
        try:
            with _interrupts_blocked():  # until the workers (forked here) ignore them
                results = pool.map(work, jobs, chunksize=16)
            checkpoint("pages-mapping", f"{len(jobs)} pages, {count} processes")
            return list(results)
        except BaseException:  # Ctrl-C: the pages being worked on finish, no others
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)
    return [work(job) for job in jobs]


@contextlib.contextmanager
def _interrupts_blocked() -> Iterator[None]:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the pool), so a
    worker prints no traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
