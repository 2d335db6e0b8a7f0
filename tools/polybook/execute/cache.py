"""The content-addressed cache of executed outputs (`_build/cache/` by default).

Layout (no mtimes anywhere: the directory is portable between machines and
CI runs as is):

    objects/<k[:2]>/<key>.json   "<sha256 of payload>\\n<payload JSON>"
    index/<lang>/<fw>/<page>.json  {"key", "seconds", "used"}: the page's last key

An entry's payload holds the outputs, the run's duration and CPU time, and
its basis (`basis.py`): the key's parts and the environment's package list,
which `explain.py` compares with a page's current parts.
    locks/<k[:2]>/<key>.lock     fcntl lock held while a key is being produced
    lib/<sha>.json               memoised library indexes (see libdeps.load_index)
    cache.lock                   shared by runs, exclusive for `cache prune`

Every write goes to a temporary file and `os.replace`s into place; an entry
whose digest does not match its payload is treated as absent (and removed
under its key lock), so its notebook is executed again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from polybook.execute.basis import Basis
from polybook.execute.errors import CacheError
from polybook.execute.model import CellOutputs
from polybook.files import write_atomic
from polybook.verified import Verified, steady_read

ENTRY_FORMAT = 1
_USED_REFRESH = 86400.0


@dataclass(slots=True)
class Entry:
    key: str
    framework: str
    page: str
    lang: str  # the language whose notebook produced the outputs
    seconds: float
    cells: list[CellOutputs]
    env_fingerprint: str = ""
    host: str = ""
    basis: Basis | None = None  # what the key was computed from (explanations)
    cpu_seconds: float | None = None

    def payload(self) -> str:
        return json.dumps(
            {
                "format": ENTRY_FORMAT,
                "key": self.key,
                "framework": self.framework,
                "page": self.page,
                "lang": self.lang,
                "seconds": round(self.seconds, 3),
                "cells": self.cells,
                "env_fingerprint": self.env_fingerprint,
                "host": self.host,
                "basis": None if self.basis is None else self.basis.to_json(),
                "cpu_seconds": None if self.cpu_seconds is None else round(self.cpu_seconds, 3),
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Entry:
        return cls(
            str(data["key"]),
            str(data["framework"]),
            str(data["page"]),
            str(data["lang"]),
            float(data["seconds"]),
            list(data["cells"]),
            str(data.get("env_fingerprint", "")),
            str(data.get("host", "")),
            Basis.from_json(data.get("basis")),
            _optional_float(data.get("cpu_seconds")),
        )


def _optional_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


@dataclass(slots=True)
class CacheStats:
    entries: int = 0
    bytes: int = 0
    index_records: int = 0
    unreferenced: int = 0
    temporary: int = 0


@dataclass(slots=True)
class VerifyResult:
    checked: int = 0
    corrupt: list[Path] = field(default_factory=list)


@dataclass(slots=True)
class PruneResult:
    removed_entries: int = 0
    removed_records: int = 0
    removed_other: int = 0
    freed_bytes: int = 0


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.corrupt: list[str] = []  # keys found corrupt during this process
        self._global: IO[bytes] | None = None

    # ---- paths
    def object_path(self, key: str) -> Path:
        return Path(self._object_name(key))

    def _object_name(self, key: str) -> str:
        """`object_path` as a string, built without pathlib (600 a rerun)."""
        return f"{self.root}/objects/{key[:2]}/{key}.json"

    def index_path(self, lang: str, framework: str, page: str) -> Path:
        return self.root / "index" / lang / framework / f"{page}.json"

    def lock_path(self, key: str) -> Path:
        return self.root / "locks" / key[:2] / f"{key}.lock"

    # ---- entries
    def intact(self, key: str, verified: Verified | None = None) -> bool | None:
        """Whether the entry of `key` matches its checksum (None: there is none).
        With `verified`, an entry found intact before whose stat did not change
        is not read again (and one found intact now is recorded there)."""
        path = self._object_name(key)
        if verified is not None and verified.trusted(path) is not None:
            return True
        read = steady_read(path)
        if read is None:
            return None
        raw, steady = read
        digest, _, payload = raw.partition(b"\n")
        if hashlib.sha256(payload).hexdigest().encode() == digest:
            if verified is not None and steady is not None:
                verified.record(path, digest.decode("ascii"), steady)
            return True
        self.corrupt.append(key)
        return False

    def lookup(self, key: str, remove_corrupt: bool = False) -> Entry | None:
        path = self.object_path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        digest, _, payload = raw.partition(b"\n")
        entry: Entry | None = None
        if hashlib.sha256(payload).hexdigest().encode() == digest:
            try:
                entry = Entry.from_payload(json.loads(payload))
            except (ValueError, KeyError, TypeError):
                entry = None
        if entry is None or entry.key != key:
            self.corrupt.append(key)
            if remove_corrupt:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            return None
        return entry

    def store(self, entry: Entry) -> None:
        payload = entry.payload().encode()
        digest = hashlib.sha256(payload).hexdigest().encode()
        write_atomic(self.object_path(entry.key), digest + b"\n" + payload)

    # ---- index: the last key and duration of each page
    def record(self, lang: str, framework: str, page: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self.index_path(lang, framework, page).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def set_record(self, lang: str, framework: str, page: str, key: str, seconds: float) -> None:
        old = self.record(lang, framework, page)
        now = time.time()
        if (
            old is not None
            and old.get("key") == key
            and now - float(old.get("used", 0)) < _USED_REFRESH
        ):
            return
        data = {"key": key, "seconds": round(seconds, 3), "used": int(now)}
        write_atomic(
            self.index_path(lang, framework, page), json.dumps(data, sort_keys=True).encode()
        )

    def duration(self, lang: str, framework: str, page: str) -> float | None:
        """The recorded duration of a page (this language, else any language)."""
        rec = self.record(lang, framework, page)
        if rec is None:
            index = self.root / "index"
            for other in sorted(index.glob(f"*/{framework}/{page}.json")):
                rec = self.record(other.relative_to(index).parts[0], framework, page)
                if rec is not None:
                    break
        try:
            return float(rec["seconds"]) if rec is not None else None
        except (KeyError, TypeError, ValueError):
            return None

    # ---- locks
    def _open_lock(self, path: Path) -> IO[bytes]:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "ab")

    @contextlib.asynccontextmanager
    async def key_lock(self, key: str, poll: float = 0.05) -> AsyncIterator[None]:
        """Exclusive, cross-process lock of one key (another run producing the
        same key waits, then finds it cached)."""
        import asyncio  # 13 ms of start-up that a run with nothing to execute never needs

        fh = self._open_lock(self.lock_path(key))
        try:
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    await asyncio.sleep(poll)
            yield
        finally:
            fh.close()  # releases the lock

    def acquire_shared(self) -> None:
        """Held by a run for its duration: `cache prune` waits for runs to end."""
        if self._global is None:
            fh = self._open_lock(self.root / "cache.lock")
            fcntl.flock(fh, fcntl.LOCK_SH)
            self._global = fh

    def release_shared(self) -> None:
        if self._global is not None:
            self._global.close()
            self._global = None

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        fh = self._open_lock(self.root / "cache.lock")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CacheError(f"{self.root} is in use by a running execution") from None
            yield
        finally:
            fh.close()

    # ---- maintenance
    def _objects(self) -> Iterator[Path]:
        yield from sorted((self.root / "objects").glob("*/*.json"))

    def _records(self) -> Iterator[Path]:
        yield from sorted((self.root / "index").rglob("*.json"))

    def _referenced(self) -> set[str]:
        keys: set[str] = set()
        for path in self._records():
            try:
                keys.add(str(json.loads(path.read_text("utf-8"))["key"]))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return keys

    def _temporary(self) -> list[Path]:
        return sorted(p for p in self.root.rglob(".*.tmp") if p.is_file())

    def stats(self) -> CacheStats:
        result = CacheStats()
        referenced = self._referenced()
        for path in self._objects():
            result.entries += 1
            result.bytes += path.stat().st_size
            if path.stem not in referenced:
                result.unreferenced += 1
        result.index_records = sum(1 for _ in self._records())
        result.temporary = len(self._temporary())
        return result

    def verify(self, delete: bool = False) -> VerifyResult:
        result = VerifyResult()
        for path in self._objects():
            result.checked += 1
            if self.lookup(path.stem, remove_corrupt=delete) is None:
                result.corrupt.append(path)
        return result

    def prune(self, older_than_days: float | None = None) -> PruneResult:
        """Remove entries no index record points to (and records not used for
        `older_than_days`), corrupt entries, temporary files and idle locks."""
        result = PruneResult()
        with self.exclusive():
            now = time.time()
            for path in self._records():
                try:
                    data = json.loads(path.read_text("utf-8"))
                    used = float(data["used"])
                    key = str(data["key"])
                except (OSError, ValueError, KeyError, TypeError):
                    used, key = 0.0, ""
                stale = older_than_days is not None and now - used >= older_than_days * 86400
                if not key or stale or not self.object_path(key).is_file():
                    path.unlink()
                    result.removed_records += 1
            referenced = self._referenced()
            for path in self._objects():
                if path.stem not in referenced or self.lookup(path.stem) is None:
                    result.freed_bytes += path.stat().st_size
                    path.unlink()
                    result.removed_entries += 1
            for path in [*self._temporary(), *sorted((self.root / "locks").glob("*/*.lock"))]:
                path.unlink()
                result.removed_other += 1
        return result
