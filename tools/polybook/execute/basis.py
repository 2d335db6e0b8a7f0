"""What a cache entry was computed from, kept with it so that a later run can
say why a page's key changed (`explain.py`): the key's parts, the
environment's package list (the key holds only its hash) and the hashes of
the methods of the library classes the code uses (the key hashes each class
as a whole)."""

from __future__ import annotations

from dataclasses import dataclass

from polybook.execute.envs import EnvManifest
from polybook.execute.keys import KeyParts


@dataclass(frozen=True, slots=True)
class Basis:
    parts: KeyParts
    env: EnvManifest | None = None
    members: tuple[tuple[str, str], ...] = ()  # ("Class.method", hash)

    def to_json(self) -> dict[str, object]:
        return {
            "parts": self.parts.to_json(),
            "env": None if self.env is None else self.env.to_json(),
            "members": [list(item) for item in self.members],
        }

    @classmethod
    def from_json(cls, data: object) -> Basis | None:
        if not isinstance(data, dict):
            return None
        parts = KeyParts.from_json(data.get("parts"))
        if parts is None:
            return None
        members = data.get("members", [])
        if not isinstance(members, list):
            return None
        try:
            pairs = tuple((str(name), str(digest)) for name, digest in members)
        except (TypeError, ValueError):
            return None
        return cls(parts, EnvManifest.from_json(data.get("env")), pairs)
