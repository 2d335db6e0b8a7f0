"""Helpers of the tests of `polybook.verified`: counting the files it hashes,
and making a state file newer than the files it records, as a state written
a clock tick later would be."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from polybook import verified

SECOND = 1_000_000_000


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Hashed:
    """The files `polybook.verified` reads and hashes while installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = verified.steady_read

        def counting(path: str | os.PathLike[str]) -> tuple[bytes, verified.Stamp | None] | None:
            self.paths.append(os.fspath(path))
            return real(path)

        monkeypatch.setattr(verified, "steady_read", counting)


def settle(state: Path, files: Iterable[Path]) -> None:
    """Touch `state` until its mtime is strictly later than every file's mtime
    and ctime (whole seconds: two seconds later), so that no record of them is
    racy. It waits for the file system's clock to pass theirs, at most one
    timestamp tick; nothing here sleeps."""
    latest = 0
    for path in files:
        st = path.stat()
        for ns in (st.st_mtime_ns, st.st_ctime_ns):
            latest = max(latest, ns + 2 * SECOND if ns % SECOND == 0 else ns)
    while True:
        os.utime(state)
        if state.stat().st_mtime_ns > latest:
            return


def same_size_damage(path: Path) -> os.stat_result:
    """Change one byte of `path` in place (same size, same inode), then set
    its mtime back: only its ctime tells. Returns its stat from before."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    with open(path, "r+b") as handle:  # in place: the inode stays
        handle.write(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    return before
