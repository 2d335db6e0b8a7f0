"""Per-page work over many pages: in this process, or in worker processes.

Pages are independent until a stage joins their results, so a stage maps one
function over its pages; with many pages (a real book) two worker processes
do it. Below the threshold the start-up of the workers costs more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

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

        with ProcessPoolExecutor(max_workers=count) as pool:
            return list(pool.map(work, jobs, chunksize=16))
    return [work(job) for job in jobs]
