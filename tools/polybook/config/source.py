"""Where the configuration came from: its file, the line of each key, and what
reading it noticed (keys not honoured, values that cannot be used)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.globs import has_magic
from polybook.source.contain import escape

_TOML_KEY = re.compile(r"""(?P<key>[A-Za-z0-9_\-]+|"[^"]*")\s*=""")


@dataclass(frozen=True, slots=True)
class ConfigSource:
    file: str  # the configuration file, relative to the book root
    lines: Mapping[str, int] = field(default_factory=dict)  # "section.key" -> its line
    diagnostics: tuple[Diagnostic, ...] = ()

    def line(self, *keys: str) -> int:
        """The line of the first of `keys` the file sets (1 when none)."""
        return self.lines.get(self.key(*keys), 1)

    def key(self, *keys: str) -> str:
        """The first of `keys` (names of one setting in each format) the file sets."""
        return next((key for key in keys if key in self.lines), keys[0])

    def at(self, keys: tuple[str, ...], code: Code, message: str) -> Diagnostic:
        """A diagnostic at the line of the first of `keys` the file sets."""
        key = self.key(*keys)
        return Diagnostic.make(code, self.file, self.line(key), message, target=key)


def toml_lines(text: str) -> dict[str, int]:
    """ "table.key" -> line of every key of a TOML file (top-level keys bare)."""
    lines: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("["):
            table = stripped.strip("[]").strip()
            continue
        match = _TOML_KEY.match(stripped)
        if match is not None:
            key = match.group("key").strip('"')
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def missing_files(
    root: Path,
    source: ConfigSource,
    files: Mapping[tuple[str, ...], tuple[str, ...]],
    folders: bool = False,
) -> list[Diagnostic]:
    """PB104 for each configured file (or, with `folders`, folder) the book lacks.

    `files` maps the key names (ini name first) to the paths (or patterns) they set.
    """
    out: list[Diagnostic] = []
    for keys, paths in files.items():
        for path in paths:
            if has_magic(path):
                continue
            why = escape(root, root, path)
            if why is not None:
                section, _, key = source.key(*keys).partition(".")
                message = f"[{section}] {key}: {path} is outside the book ({why}); left out"
                out.append(source.at(keys, Code.CONFIG_VALUE, message))
                continue
            if not ((root / path).is_file() or (folders and (root / path).is_dir())):
                section, _, key = source.key(*keys).partition(".")
                what = "a file or folder" if folders else "a file"
                message = f"[{section}] {key}: {path} is not {what} of the book; left out"
                out.append(source.at(keys, Code.CONFIG_VALUE, message))
    return out
