"""Writing files: always to a temporary file first, then renamed into place;
and reading the JSON records the stages keep."""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path


def copy_atomic(source: Path, target: Path) -> None:
    """Copy `source` to `target` as `write_atomic` writes (readers, and a copy
    that was interrupted, never leave a part of the file at `target`)."""
    write_atomic(target, source.read_bytes())


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (str as UTF-8) so that readers see the old or the new file,
    never a part; parent folders are created (when missing: a split writes
    hundreds of files into a few folders). An OSError names `path` (never the
    temporary file), with the error's own errno and class."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        try:
            handle = open(tmp, "wb")  # noqa: SIM115 (closed below)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(tmp, "wb")  # noqa: SIM115
    except OSError as exc:
        raise _naming(exc, path) from exc
    try:
        with handle:
            handle.write(raw)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise _naming(exc, path) from exc
        raise


def _naming(exc: OSError, path: Path) -> OSError:
    """`exc` as the same kind of error about `path` (OSError picks the subclass
    of the errno: PermissionError, NotADirectoryError, ...)."""
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


def read_json_object(path: Path) -> dict[str, object]:
    """The JSON object a stage recorded at `path`; empty when the file is
    missing, unreadable, not JSON or not an object (a record is a cache: what
    cannot be read is rebuilt)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
