"""Path patterns with the meaning `glob.glob(root/pattern, recursive=True)` gives
them, as d2lbook's `config.ini` lists use them (`notebooks = *.md */*.md`).

`*`, `?` and `[...]` stay inside one path component; a `**` component matches
any number of directories (none included); a pattern naming a directory
(`img/`, `static/latex_style`) stands for everything below it. Paths are
posix paths relative to the book root; hidden files and folders are never
matched (the walk that lists candidates skips them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


def _component(part: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(part):
        char = part[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = part.find("]", i + 2 if part[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end < 0:
                out.append(re.escape(char))
            else:
                inner = part[i + 1 : end]
                if inner.startswith("!"):
                    inner = "^" + inner[1:]
                out.append("[" + inner.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def translate(pattern: str) -> str:
    """The regular expression (full match) of one pattern over relative posix paths."""
    parts = [p for p in pattern.strip().split("/") if p and p != "."]
    if not parts:
        return r"(?!)"
    out: list[str] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
        else:
            out.append(_component(part) + ("" if last else "/"))
    return "".join(out)


@dataclass(frozen=True)
class PathPatterns:
    """A list of patterns; `matches(path)` when any of them matches."""

    patterns: tuple[str, ...] = ()
    root: Path | None = None  # where directory patterns are recognised

    @cached_property
    def _regex(self) -> re.Pattern[str] | None:
        alternatives: list[str] = []
        for pattern in self.patterns:
            alternatives.append(translate(pattern))
            bare = pattern.strip().rstrip("/")
            is_dir = pattern.strip().endswith("/") or (
                self.root is not None and bare and (self.root / bare).is_dir()
            )
            if is_dir and "**" not in bare:
                alternatives.append(translate(bare + "/**"))
        if not alternatives:
            return None
        return re.compile("|".join(f"(?:{a})" for a in alternatives))

    def matches(self, path: str) -> bool:
        regex = self._regex
        return regex is not None and regex.fullmatch(path) is not None

    def select(self, paths: Iterable[str]) -> list[str]:
        return [p for p in paths if self.matches(p)]


def has_magic(pattern: str) -> bool:
    """Whether a pattern has wildcards (else it names one path)."""
    return any(char in pattern for char in "*?[")
