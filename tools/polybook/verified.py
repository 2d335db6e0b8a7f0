"""Stat-gated checksums of generated files, as git's index keeps them.

A rerun must not trust a generated file (a split notebook, an executed
notebook, a cache entry) whose bytes changed since it was written, yet reading
and hashing every file on every rerun costs more than the rest of the rerun.
`Verified` remembers, per file, the stat it had when its digest was last
verified -- (size, mtime_ns, ctime_ns, inode) -- and that digest. A file whose
stat is the one recorded is trusted without being read; any other is hashed.
Restoring a file's size and mtime (`os.utime`) still changes its ctime, which
no process can set back.

Racy entries: a file changed in the same timestamp tick as its record would
keep its mtime and ctime (file systems with coarse timestamps: one or two
seconds). So an entry whose mtime or ctime is not strictly older than the
state file itself (its mtime, a timestamp of the same clock) is not trusted,
and a run that verifies such an entry again writes the state again, so that
the entry is older than the new state. Whole-second timestamps (a coarse file
system, maybe another than the state file's) count as two seconds late.

The state is a cache of its own, one file per output folder (keyed by the
folder's absolute path, `BuildLayout.verified`), never written into an output
folder or a manifest, which stay deterministic. A missing, unreadable,
corrupt or foreign state means "hash everything"; it is written (atomically)
only when it changed, and a state that cannot be written is left as it was:
the build does not depend on it.

The digest is the one the caller verified: the sha256 of the file's bytes
(split and executed notebooks), or the payload digest a cache entry's first
line names (recorded only for entries found intact).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path

FORMAT = 1
_SECOND = 1_000_000_000
_COARSE_LATE = 2 * _SECOND  # FAT keeps mtimes in two-second steps

# (size, mtime_ns, ctime_ns, inode)
Stamp = tuple[int, int, int, int]


def stamp(path: str | os.PathLike[str]) -> Stamp | None:
    """The stat a record is compared with; None when the file is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def steady_read(path: str | os.PathLike[str]) -> tuple[bytes, Stamp | None] | None:
    """A file's bytes, and its stat when it did not change while it was read
    (what a record of a digest of these bytes may be taken with); None when
    it cannot be read."""
    before = stamp(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return data, (before if before is not None and stamp(path) == before else None)


def _late(ns: int) -> int:
    """A timestamp as late as the moment it may stand for (whole seconds: a
    coarse file system rounds down)."""
    return ns + _COARSE_LATE if ns % _SECOND == 0 else ns


class Verified:
    """The verified digests of the files a stage generates or reads back."""

    def __init__(self, state: Path, root: Path) -> None:
        self.state = state
        self.root = os.path.abspath(root)
        self._prefix = self.root.rstrip("/") + "/"
        self._entries: dict[str, list[object]] = {}
        self._written_ns = 0  # the state file's mtime: entries not older are racy
        self._changed = False
        self._seen: set[str] = set()  # the keys consulted or recorded by this run

    @classmethod
    def open(cls, state: Path, root: Path) -> Verified:
        """The state at `state` of the files of the output folder `root` (empty
        when there is none, or it is unreadable, corrupt or another's)."""
        verified = cls(state, root)
        try:
            with open(state, "rb") as handle:
                written = os.fstat(handle.fileno()).st_mtime_ns
                data = json.loads(handle.read())
        except (OSError, ValueError):
            return verified
        if (
            isinstance(data, dict)
            and data.get("format") == FORMAT
            and data.get("root") == verified.root
            and isinstance(data.get("files"), dict)
        ):
            verified._entries = data["files"]
            verified._written_ns = written
        return verified

    def _key(self, path: str | os.PathLike[str]) -> str:
        name = os.fspath(path)
        if not name.startswith("/"):
            name = os.path.abspath(name)
        return name[len(self._prefix) :] if name.startswith(self._prefix) else name

    def trusted(self, path: str | os.PathLike[str]) -> str | None:
        """The digest recorded for `path` if its stat is the one recorded and
        the record is not racy; None otherwise (the file is not read)."""
        key = self._key(path)
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._seen.add(key)
        now = stamp(path)
        if now is None:
            del self._entries[key]
            self._changed = True
            return None
        try:
            size, mtime, ctime, inode, digest = entry
        except (TypeError, ValueError):
            return None
        if (size, mtime, ctime, inode) != now or not isinstance(digest, str):
            return None
        written = self._written_ns
        if not isinstance(mtime, int) or not isinstance(ctime, int):
            return None
        if _late(mtime) >= written or _late(ctime) >= written:
            return None
        return digest

    def record(self, path: str | os.PathLike[str], digest: str, now: Stamp | None = None) -> None:
        """`path`, as it is now (or as `now`, its stat taken right after it
        was written), has `digest`."""
        now = now or stamp(path)
        key = self._key(path)
        if now is None:
            self.forget(path)
            return
        self._seen.add(key)
        entry = [*now, digest]
        if self._entries.get(key) != entry:
            self._entries[key] = entry
            self._changed = True
        elif max(_late(now[1]), _late(now[2])) >= self._written_ns:
            self._changed = True  # verified again while racy: a newer state makes it trusted

    def forget(self, path: str | os.PathLike[str]) -> None:
        if self._entries.pop(self._key(path), None) is not None:
            self._changed = True

    def sha256(self, path: str | os.PathLike[str]) -> str | None:
        """The sha256 of the bytes of `path`: the recorded one when trusted,
        else the file is read and hashed (and recorded); None when it cannot
        be read."""
        digest = self.trusted(path)
        if digest is not None:
            return digest
        read = steady_read(path)
        if read is None:
            return None
        data, steady = read
        digest = hashlib.sha256(data).hexdigest()
        if steady is not None:
            self.record(path, digest, steady)  # not changed while it was read
        return digest

    def save(self) -> None:
        """Write the state if it changed (leaving out the records of files
        that are gone); a state that cannot be written is left as it was (it
        is a cache: the next run hashes more)."""
        if not self._changed:
            return
        from polybook.files import write_atomic

        files = {
            key: entry
            for key, entry in sorted(self._entries.items())
            if key in self._seen or os.path.exists(os.path.join(self._prefix, key))
        }
        data = {"format": FORMAT, "root": self.root, "files": files}
        with contextlib.suppress(OSError):
            write_atomic(self.state, json.dumps(data, separators=(",", ":")) + "\n")
            self._changed = False
            _remove_orphans(self.state)


_HEAD = re.compile(rb'\{"format":\d+,"root":("(?:[^"\\]|\\.)*")')


def _remove_orphans(state: Path) -> None:
    """Remove the other states beside `state` whose output folder is gone
    (`split --out` into folders made and removed, e.g. by tests)."""
    for other in state.parent.glob("*.json"):
        if other == state:
            continue
        with contextlib.suppress(OSError, ValueError):
            with open(other, "rb") as handle:
                head = _HEAD.match(handle.read(8192))
            if head is not None and not os.path.isdir(json.loads(head.group(1))):
                other.unlink()
