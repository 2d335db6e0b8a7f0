"""What the last complete PDF build was made from, to skip a build that would change nothing.

The generated Sphinx project (a few hundred kB) says everything the PDF is
made of, so a digest of its files' names and contents says whether anything
changed since the last complete build. The state also remembers the
published PDF (size and modification time: it is still that build's) and the
problems its LaTeX log showed, which a skipped build reports again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from polybook.files import write_atomic
from polybook.render.pdf.texlog import Issue


def source_digest(files: Iterable[Path], root: Path, extra: str) -> str:
    """A digest of the project's files (path and content) and `extra`."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for path in sorted(files):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        digest.update(f"\0{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class State:
    source: str  # source_digest of the project the PDF was built from
    pdf: tuple[int, int]  # size and modification time of the published PDF
    issues: tuple[Issue, ...]  # the problems its LaTeX log showed

    @staticmethod
    def stamp(path: Path) -> tuple[int, int]:
        try:
            info = path.stat()
        except OSError:
            return (-1, -1)
        return (info.st_size, info.st_mtime_ns)

    def complete(self, source: str, pdf: Path) -> bool:
        """Whether the published PDF is this build's: same sources, PDF untouched."""
        return bool(self.source) and self.source == source and self.stamp(pdf) == self.pdf

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            data = json.loads(path.read_text("utf-8"))
            size, mtime = data["pdf"]
            issues = tuple(Issue.from_json(item) for item in data["issues"])
            return cls(str(data["source"]), (int(size), int(mtime)), issues)
        except (OSError, ValueError, KeyError, TypeError):
            return cls("", (-1, -1), ())

    def save(self, path: Path) -> None:
        data = {
            "source": self.source,
            "pdf": list(self.pdf),
            "issues": [issue.to_json() for issue in self.issues],
        }
        write_atomic(path, json.dumps(data, indent=1, sort_keys=True) + "\n")
