"""Setup and I/O faults: what stops a command outside the book's own problems.

A fault is reported as one line that names the path, what polybook was doing
and what to do about it, e.g.

    polybook: error PB001: split en: cannot write /b/_build/split/en/x.ipynb:
    permission denied (make /b/_build/split/en writable, then run again)

and the command exits with status 2 (`cli.main`). Faults are raised where the
problem is met (the stage knows the path and the action); `cli.main` turns
any OSError that no stage named into the same kind of line, as a last resort.
"""

from __future__ import annotations

import contextlib
import errno
import json
from collections.abc import Iterator
from pathlib import Path

from polybook.diagnostics import Code

# exit statuses of every command (README "Exit status")
EXIT_OK = 0
EXIT_BOOK_ERRORS = 1
EXIT_SETUP = 2
EXIT_INTERRUPTED = 130


class Fault(Exception):
    """A setup or I/O fault: one line, exit status 2. Picklable (worker processes)."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def line(self) -> str:
        return f"polybook: {self.code.severity.value} {self.code.id}: {self.message}"


def _blocker(path: Path) -> Path | None:
    """The file that stands where a folder of `path` is expected (itself included)."""
    for candidate in (*reversed(path.parents), path):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None


def _existing_folder(path: Path) -> Path:
    """The nearest folder of `path` (itself included) that exists."""
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return candidate
    return path


_WRITING = ("write", "remove")


def os_fault(exc: OSError, action: str, verb: str = "write", path: Path | None = None) -> Fault:
    """The fault of an OSError met while doing `action` (e.g. "split en") to
    `path` (default: the error's own file name); `verb`: "write", "remove",
    "read", or "access" (not known which)."""
    named = path if path is not None else (Path(exc.filename) if exc.filename else None)
    target = f" {named}" if named is not None else ""
    head = f"{action}: cannot {verb}{target}"
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return Fault(
            Code.DISK_FULL, f"{head}: no space left on the device (free some, then run again)"
        )
    blocker = _blocker(named) if named is not None else None
    if code in (errno.ENOTDIR, errno.EEXIST) and blocker is not None:
        return Fault(
            Code.NOT_A_FOLDER,
            f"{head}: {blocker} is a file where a folder is needed (move it away, then run again)",
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) and named is not None:
        why = "read-only file system" if code == errno.EROFS else "permission denied"
        writing = verb in _WRITING
        folder = _existing_folder(named.parent)
        fix = f"make {folder} writable" if writing else f"make {named} readable"
        kind = Code.WRITE_FAILED if writing else Code.READ_FAILED
        return Fault(kind, f"{head}: {why} ({fix}, then run again)")
    reason = exc.strerror or str(exc)
    kind = Code.WRITE_FAILED if verb in _WRITING else Code.READ_FAILED
    return Fault(kind, f"{head}: {reason[:1].lower()}{reason[1:]}")


@contextlib.contextmanager
def doing(action: str, verb: str = "write", path: Path | None = None) -> Iterator[None]:
    """Turn an OSError raised in the block into the `Fault` of `action`."""
    try:
        yield
    except Fault:
        raise
    except OSError as exc:
        raise os_fault(exc, action, verb, path) from None


def corrupt(path: Path, action: str, what: str, exc: Exception, fix: str) -> Fault:
    """A generated file that cannot be parsed (truncated, overwritten)."""
    if isinstance(exc, json.JSONDecodeError):
        why = f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    else:
        why = f"not a {what} ({type(exc).__name__}: {exc})"
    return Fault(Code.GENERATED_UNREADABLE, f"{action}: cannot read {what} {path}: {why}; {fix}")
