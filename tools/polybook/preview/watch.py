"""Which files changed: a snapshot of modification times and sizes, compared
with the previous one (polling: no dependency, no inotify limits)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from polybook.layout import BUILD_DIR

Stat = tuple[int, int]  # (mtime_ns, size)


def snapshot(roots: Iterable[Path]) -> dict[Path, Stat]:
    """Every file below `roots` (a root may be a file), hidden ones left out."""
    found: dict[Path, Stat] = {}
    for root in roots:
        if root.is_file():
            st = root.stat()
            found[root] = (st.st_mtime_ns, st.st_size)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != BUILD_DIR]
            for name in files:
                if name.startswith("."):
                    continue
                path = Path(folder) / name
                try:
                    st = path.stat()
                except OSError:
                    continue  # removed while listing
                found[path] = (st.st_mtime_ns, st.st_size)
    return found


@dataclass(slots=True)
class Watcher:
    roots: tuple[Path, ...]
    state: dict[Path, Stat] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.state = snapshot(self.roots)

    def changes(self) -> set[Path]:
        """Files added, modified or removed since the last call."""
        now = snapshot(self.roots)
        changed = {p for p, s in now.items() if self.state.get(p) != s}
        changed |= set(self.state) - set(now)
        self.state = now
        return changed
