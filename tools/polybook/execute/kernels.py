"""The kernel processes of a run, tracked from their spawn to their end.

A kernel is started by jupyter_client in a session of its own (its process
group: the kernel and whatever its cells start), so Ctrl-C on the terminal
never reaches it; the run stops it. Each kernel process is recorded the
moment it is spawned (`KernelManager` below, before any await, so that no
cancellation falls between the spawn and the record) and its whole process
group is killed with SIGKILL when its notebook ends for any reason: finished,
failed, cancelled while the kernel starts or while a cell runs. `kill_all`
is the backstop of an interrupted run: every kernel still alive goes before
the run exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from functools import cache
from typing import Any

from polybook.interrupt import checkpoint

_lock = threading.Lock()
_live: dict[int, subprocess.Popen[Any]] = {}


def track(process: subprocess.Popen[Any]) -> None:
    with _lock:
        _live[process.pid] = process
    checkpoint("kernel-spawned", f"pid={process.pid}")


def kill(process: subprocess.Popen[Any] | None) -> None:
    """SIGKILL a kernel's process group (it leads its own session) and reap it."""
    if process is None:
        return
    if process.poll() is None:  # not reaped: its pid is still its own
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            process.kill()  # a kernel that is not a group leader after all
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with _lock:
        _live.pop(process.pid, None)


def kill_all() -> list[int]:
    """Kill every tracked kernel still alive; their pids."""
    with _lock:
        processes = list(_live.values())
    for process in processes:
        kill(process)
    return [p.pid for p in processes]


def alive() -> list[int]:
    with _lock:
        return sorted(pid for pid, p in _live.items() if p.poll() is None)


@cache
def manager_class() -> type[Any]:
    """jupyter_client's AsyncKernelManager, recording its kernel at spawn."""
    from jupyter_client.manager import AsyncKernelManager

    class KernelManager(AsyncKernelManager):
        """Records the kernel process as soon as the provisioner has spawned it."""

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            try:
                await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                process = getattr(self.provisioner, "process", None)
                if isinstance(process, subprocess.Popen):
                    self.polybook_process = process
                    track(process)

    return KernelManager


def spawned(km: Any) -> subprocess.Popen[Any] | None:
    """The kernel process a `manager_class()` manager spawned (None: none yet)."""
    process = getattr(km, "polybook_process", None)
    return process if isinstance(process, subprocess.Popen) else None
