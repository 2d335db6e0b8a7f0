"""The task function that Dask workers run.

A worker executes with its own framework environments: `POLYBOOK_ENV_DIR` on
the worker (default: the directory planned on the submitting machine), a work
root `POLYBOOK_WORK_DIR` (default: a `polybook-work` temporary directory), and
the library files shipped with the task (so the definitions hashed into the
key are the ones imported). GPUs come from the worker's own discovery and are
handed out disjointly to the tasks that run at once on that worker.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from polybook.execute.envs import resolve_env
from polybook.execute.gpus import GpuPool, discover
from polybook.execute.model import Result, Task
from polybook.execute.runner import run_notebook

WORK_DIR_VAR = "POLYBOOK_WORK_DIR"
_pool: GpuPool | None = None
_pool_lock = threading.Lock()


def worker_pool() -> GpuPool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = GpuPool(discover())
        return _pool


def run_remote(task: Task) -> Result:
    pool = worker_pool()
    devices = pool.acquire(task.gpus)
    work_root = Path(os.environ.get(WORK_DIR_VAR) or Path(tempfile.gettempdir()) / "polybook-work")
    env = resolve_env(task.framework, Path(task.env_root).parent)
    try:
        with tempfile.TemporaryDirectory(prefix="polybook-lib-") as lib:
            for rel, text in task.library:
                path = Path(lib) / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            local = replace(task, pythonpath=(lib,) if task.library else task.pythonpath)
            return asyncio.run(run_notebook(local, devices, work_root, env))
    finally:
        pool.release(devices)
