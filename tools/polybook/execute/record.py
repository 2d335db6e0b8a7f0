"""The execute manifest (`_build/executed/<lang>/.polybook-execute.json`,
`plan.MANIFEST`): per executed notebook, what it was made from and
what it holds, so that a rerun can tell an up-to-date notebook without
reading it.

    {"<lang>/<framework>/<page>": {"split": sha256, "key": cache key,
                                   "executed": sha256, "seconds": 1.234}}

`seconds` (what running it took, saved by every rerun that reuses it) is
written as a number; a manifest of an earlier version wrote it as a string,
which is read as well. An entry that does not parse is dropped (its notebook
is then materialized again).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from polybook.files import read_json_object


@dataclass(frozen=True, slots=True)
class Executed:
    """What the manifest records of one executed notebook."""

    split: str  # the sha256 of the split notebook it was made from
    key: str  # the cache key of its outputs
    executed: str = ""  # the sha256 of its bytes ("": not recorded)
    seconds: float | None = None  # what running it took (None: not recorded)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"split": self.split, "key": self.key}
        if self.executed:
            data["executed"] = self.executed
        if self.seconds is not None:
            data["seconds"] = round(self.seconds, 3)
        return data

    @classmethod
    def from_json(cls, data: object) -> Executed | None:
        if not isinstance(data, dict):
            return None
        split, key, executed = data.get("split"), data.get("key"), data.get("executed", "")
        if not (isinstance(split, str) and isinstance(key, str) and isinstance(executed, str)):
            return None
        return cls(split, key, executed, _seconds(data.get("seconds")))


def _seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def read_manifest(path: Path) -> dict[str, Executed]:
    """The manifest at `path` (empty when missing or unreadable)."""
    found = {name: Executed.from_json(entry) for name, entry in read_json_object(path).items()}
    return {name: entry for name, entry in found.items() if entry is not None}


def manifest_bytes(manifest: dict[str, Executed]) -> bytes:
    """The manifest as written: sorted, one key per line, deterministic."""
    data = {name: manifest[name].to_json() for name in sorted(manifest)}
    return json.dumps(data, indent=1, sort_keys=True).encode() + b"\n"
