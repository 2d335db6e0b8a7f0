"""Writing files: always to a temporary file first, then renamed into place."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (str as UTF-8) so that readers see the old or the new file,
    never a part; parent folders are created."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(raw)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
