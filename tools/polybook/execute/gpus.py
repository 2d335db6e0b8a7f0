"""GPU discovery and assignment.

Discovery, in order: `POLYBOOK_GPUS` (a comma list of device ids, empty for
none: for tests and for pinning a run to some devices), then
`CUDA_VISIBLE_DEVICES` if set, then `nvidia-smi --query-gpu=index`, else none.
A page's request (configuration, never guessed) is clamped to what exists;
every running notebook gets its own disjoint `CUDA_VISIBLE_DEVICES`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping

GPU_VAR = "POLYBOOK_GPUS"
Discover = Callable[[], list[str]]


def _ids(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip() and v.strip() != "-1"]


def discover(environ: Mapping[str, str] = os.environ) -> list[str]:
    if GPU_VAR in environ:
        return _ids(environ[GPU_VAR])
    if "CUDA_VISIBLE_DEVICES" in environ:
        return _ids(environ["CUDA_VISIBLE_DEVICES"])
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return []
    try:
        out = subprocess.run(
            [smi, "--query-gpu=index", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in out.splitlines() if line.strip().isdigit()]


def clamp(requested: int, available: int) -> int:
    return max(0, min(requested, available))


class GpuPool:
    """Free devices; `try_acquire` is non-blocking (local asyncio scheduler),
    `acquire` blocks (threads of a Dask worker)."""

    def __init__(self, devices: list[str]) -> None:
        self.devices = list(devices)
        self._free = list(devices)
        self._cond = threading.Condition()

    @property
    def size(self) -> int:
        return len(self.devices)

    @property
    def free(self) -> int:
        return len(self._free)

    def try_acquire(self, count: int) -> list[str] | None:
        count = clamp(count, self.size)
        with self._cond:
            if count > len(self._free):
                return None
            taken, self._free = self._free[:count], self._free[count:]
            return taken

    def acquire(self, count: int) -> list[str]:
        with self._cond:
            while True:
                taken = self.try_acquire(count)
                if taken is not None:
                    return taken
                self._cond.wait()

    def release(self, devices: list[str]) -> None:
        with self._cond:
            self._free.extend(d for d in devices if d not in self._free)
            self._free.sort(key=self.devices.index)
            self._cond.notify_all()
