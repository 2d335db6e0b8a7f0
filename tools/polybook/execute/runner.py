"""Run one notebook with nbclient in its framework's kernel.

The kernel spec is looked up only in the environment's own
`share/jupyter/kernels/` (a `KernelSpecManager` restricted to it), so the
kernel is the environment's python whatever Jupyter finds elsewhere. The task
carries the typed split notebook; nbclient gets a notebook built from it (no
JSON is parsed here). Cells run one by one so that a failure names its cell;
every failure is returned as a `Failure` placed through that cell's line map
(`place.py`), never raised.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import math
import os
import re
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from polybook.execute import kernels
from polybook.execute.envs import FrameworkEnv, env_manifest, kernel_environ
from polybook.execute.model import CellOutputs, Failure, FailureKind, Result, Task
from polybook.execute.place import failing_line, place
from polybook.execute.settings import ALLOW_ERROR_TAG, allows_error
from polybook.faults import doing
from polybook.interrupt import checkpoint
from polybook.split.model import CellKind, Notebook

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
STARTUP_TIMEOUT = 120


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def nbformat_notebook(notebook: Notebook, allow_errors: bool = False) -> Any:
    """An nbformat notebook of `notebook`'s cells, index for index; the code
    cells that may raise carry nbclient's `raises-exception` tag."""
    import nbformat

    cells: list[dict[str, Any]] = []
    for cell in notebook.cells:
        entry: dict[str, Any] = {
            "cell_type": cell.kind.value,
            "id": cell.id,
            "metadata": {},
            "source": cell.source,
        }
        if cell.kind is CellKind.CODE:
            entry.update(outputs=[], execution_count=None)
            if allow_errors or allows_error(cell.source):
                entry["metadata"]["tags"] = [ALLOW_ERROR_TAG]
        cells.append(entry)
    document = {
        "cells": cells,
        "metadata": {"kernelspec": dict(notebook.kernelspec), "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return nbformat.from_dict(document)  # type: ignore[no-untyped-call]


def _failure(
    task: Task, kind: FailureKind, message: str, index: int | None = None, **kw: Any
) -> Failure:
    """A failure of cell `index` (None: of no cell), placed in the task's notebook."""
    return place(Failure(kind, message, cell_index=index, **kw), task.notebook)


def collect_outputs(nb: Any) -> list[CellOutputs]:
    out: list[CellOutputs] = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            outputs = json.loads(json.dumps(cell.get("outputs", [])))
            out.append({"outputs": outputs, "execution_count": cell.get("execution_count")})
    return out


async def run_notebook(
    task: Task,
    devices: list[str],
    work_root: Path,
    env: FrameworkEnv,
) -> Result:
    """Execute `task` with `devices` as its CUDA_VISIBLE_DEVICES; never raises
    for a notebook problem. Cancellation (Ctrl-C) propagates, wherever it
    falls (the kernel starting, a cell running), after the kernel's process
    group is killed: no kernel outlives its notebook."""
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    start = time.perf_counter()
    host = socket.gethostname()
    manifest = env_manifest(env.root, env.framework)
    fingerprint = manifest.fingerprint()
    cpu: list[float] = []

    def result(ok: bool, cells: list[CellOutputs], failure: Failure | None = None) -> Result:
        if not ok and _cancelling():  # nbclient reports a cancelled cell as a dead kernel
            raise asyncio.CancelledError
        seconds = time.perf_counter() - start
        return Result(
            task.key,
            ok,
            seconds,
            cells,
            failure,
            fingerprint,
            tuple(devices),
            host,
            env_manifest=manifest,
            cpu_seconds=cpu[0] if cpu else None,
        )

    problem = env.problem()
    if problem is not None:
        return result(False, [], _failure(task, FailureKind.ENVIRONMENT, problem))

    nb = nbformat_notebook(task.notebook, task.settings.allow_errors)
    if not any(c.cell_type == "code" and c.source.strip() for c in nb.cells):
        return result(True, collect_outputs(nb))

    workdir = work_root / task.workdir
    log_path = work_root / ".logs" / f"{task.key}.{os.getpid()}.log"
    # the kernel's temporary files (TMPDIR), removed with the kernel: a
    # framework's scratch files (TensorFlow's autograph sources, say) stay
    # inside the build and do not outlive the run
    scratch = work_root / ".scratch" / f"{task.key}.{os.getpid()}"
    with doing(f"execute {task.lang}/{task.framework}"):
        workdir.mkdir(parents=True, exist_ok=True)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        scratch.mkdir(parents=True, exist_ok=True)
        log = open(log_path, "wb")  # noqa: SIM115 - closed in finally
    ksm = KernelSpecManager(kernel_dirs=[str(env.kernels_dir)], ensure_native_kernel=False)
    km = kernels.manager_class()(kernel_name=task.kernel_name, kernel_spec_manager=ksm)
    client = NotebookClient(
        nb,
        km=km,
        kernel_name=task.kernel_name,
        timeout=task.settings.cell_timeout,
        startup_timeout=STARTUP_TIMEOUT,
        interrupt_on_timeout=False,
        record_timing=False,
        shutdown_kernel="immediate",
        allow_errors=False,
        resources={"metadata": {"path": str(workdir)}},
    )
    deadline = time.monotonic() + task.settings.notebook_timeout

    def cell_timeout(cell: Any) -> int:
        # the notebook's budget caps each cell's own timeout
        return max(1, min(task.settings.cell_timeout, math.ceil(deadline - time.monotonic())))

    client.timeout_func = cell_timeout
    environ = kernel_environ(devices, task.pythonpath, task.env_vars)
    environ.update(TMPDIR=str(scratch), TEMP=str(scratch), TMP=str(scratch))
    current: int | None = None  # the index of the cell running
    try:
        checkpoint("kernel-starting", task.page)
        # backstop: a kernel that never starts or a cell that ignores its timeout
        async with asyncio.timeout(task.settings.notebook_timeout + STARTUP_TIMEOUT):
            async with client.async_setup_kernel(
                env=environ, cwd=str(workdir), cleanup_kc=True, stdout=log, stderr=log
            ):
                kernel = kernels.spawned(km)
                checkpoint("kernel-ready", f"pid={kernel.pid if kernel else '-'} {task.page}")
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    current = index
                    await client.async_execute_cell(
                        cell, index, execution_count=client.code_cells_executed + 1
                    )
                current = None
                cpu.extend(await _kernel_cpu(client))
    except CellExecutionError as exc:
        assert current is not None
        tb = _traceback_of(nb.cells[current]) or strip_ansi(str(exc.traceback or exc))
        line = failing_line(tb)
        where = f" (line {line} of the cell)" if line is not None else ""
        message = f"{exc.ename}: {exc.evalue}{where}"
        failure = _failure(
            task,
            FailureKind.CELL_ERROR,
            message,
            current,
            ename=exc.ename,
            evalue=exc.evalue,
            traceback=tb,
            cell_line=line,
        )
        return result(False, collect_outputs(nb), failure)
    except CellTimeoutError:
        assert current is not None
        if time.monotonic() >= deadline - 1:
            message = f"notebook timed out after {task.settings.notebook_timeout}s"
            failure = _failure(task, FailureKind.NOTEBOOK_TIMEOUT, message, current)
        else:
            message = f"cell timed out after {task.settings.cell_timeout}s"
            failure = _failure(task, FailureKind.CELL_TIMEOUT, message, current)
        return result(False, collect_outputs(nb), failure)
    except TimeoutError:
        message = f"notebook timed out after {task.settings.notebook_timeout}s"
        failure = _failure(task, FailureKind.NOTEBOOK_TIMEOUT, message, current)
        return result(False, collect_outputs(nb), failure)
    except DeadKernelError as exc:
        log.flush()
        message = f"the kernel died ({exc})"
        failure = _failure(
            task, FailureKind.KERNEL_DIED, message, current, traceback=_tail(log_path)
        )
        return result(False, collect_outputs(nb), failure)
    except (RuntimeError, OSError, ValueError) as exc:
        if current is not None:
            failure = _failure(task, FailureKind.INTERNAL, str(exc), current)
        elif (problem := env.problem()) is not None:  # e.g. removed since the run began
            failure = _failure(task, FailureKind.ENVIRONMENT, problem)
        else:
            failure = _failure(task, FailureKind.INTERNAL, f"kernel start failed: {exc}")
        return result(False, collect_outputs(nb), failure)
    finally:
        kernels.kill(kernels.spawned(km))  # whatever happened, the kernel is gone
        _forget_client(client, km)
        log.close()
        log_path.unlink(missing_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)
    return result(True, collect_outputs(nb))


def _cancelling() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _forget_client(client: Any, km: Any) -> None:
    """What nbclient leaves behind when cancelled while its kernel starts: the
    client's channels, the connection file, and an exit hook that would start
    an event loop to shut the (killed) kernel down."""
    atexit.unregister(client._cleanup_kernel)
    kc, client.kc = client.kc, None
    with contextlib.suppress(Exception):
        if kc is not None:
            kc.stop_channels()
        km.cleanup_connection_file()


# the kernel process's CPU time, its own and its waited-for children's
_CPU_EXPRESSION = "sum(__import__('os').times()[:4])"


async def _kernel_cpu(client: Any) -> list[float]:
    """The kernel's CPU seconds, asked silently (no history, no output, no
    execution count); empty when the kernel does not answer."""
    try:
        msg_id = client.kc.execute(
            "", silent=True, store_history=False, user_expressions={"cpu": _CPU_EXPRESSION}
        )
        reply = await client.async_wait_for_reply(msg_id)
        value = reply["content"]["user_expressions"]["cpu"]["data"]["text/plain"]
        return [float(value)]
    except Exception:  # a measurement, never a failure
        return []


def _tail(path: Path, lines: int = 20) -> str:
    """The end of a kernel's own output (its last words before dying)."""
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return ""
    kept = [line for line in text.splitlines() if "running over TCP without encryption" not in line]
    return "\n".join(kept[-lines:])


def _traceback_of(cell: Any) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return strip_ansi("\n".join(output.get("traceback", [])))
    return ""
