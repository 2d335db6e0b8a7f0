"""An INI file read the way Python's configparser reads d2lbook's `config.ini`,
keeping the line of every key and of every line of its value.

Sections are `[name]` lines; a key line is `key = value` or `key: value` (the
first `=` or `:` separates; keys are lower-cased); a more indented line
continues the value of the key above; lines starting with `#` or `;` are
comments; `%%` stands for `%`. A repeated section or key is an error, as it is
for configparser (and so for d2lbook).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SECTION = re.compile(r"\[(?P<name>.+)\]")
_OPTION = re.compile(r"(?P<key>.*?)\s*[=:]\s*(?P<value>.*)$")


class IniSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class IniValue:
    section: str
    key: str
    line: int  # the key's line
    parts: tuple[tuple[int, str], ...]  # (line, text) of each line of the value

    @property
    def text(self) -> str:
        """The value as configparser gives it (lines joined, ends stripped)."""
        return "\n".join(text for _, text in self.parts).strip()

    def items(self) -> list[tuple[int, str]]:
        """(line, text) of the value's non-empty lines, stripped."""
        return [(line, text.strip()) for line, text in self.parts if text.strip()]

    def words(self) -> tuple[str, ...]:
        """The whitespace-separated items of the value (d2lbook's pattern lists)."""
        return tuple(self.text.split())


def parse_ini(text: str) -> dict[str, dict[str, IniValue]]:
    """Sections -> keys -> values, in file order."""
    sections: dict[str, dict[str, IniValue]] = {}
    current: dict[str, IniValue] | None = None
    section = ""
    key: str | None = None
    key_line = 0
    key_indent = 0
    parts: list[tuple[int, str]] = []

    def close() -> None:
        nonlocal key, parts
        if current is not None and key is not None:
            current[key] = IniValue(section, key, key_line, tuple(parts))
        key, parts = None, []

    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith(("#", ";")):
            continue
        indent = len(raw) - len(raw.lstrip())
        if not stripped:
            if key is not None:
                parts.append((number, ""))
            continue
        if key is not None and indent > key_indent:
            parts.append((number, stripped.replace("%%", "%")))
            continue
        close()
        header = _SECTION.match(stripped)
        if header is not None:
            section = header.group("name")
            if section in sections:
                raise IniSyntaxError(number, f"section [{section}] already exists")
            current = sections[section] = {}
            continue
        option = _OPTION.match(stripped)
        if current is None:
            raise IniSyntaxError(number, "a key before the first [section]")
        if option is None or not option.group("key"):
            raise IniSyntaxError(number, f"not a key = value line: {stripped!r}")
        name = option.group("key").strip().lower()
        if name in current:
            raise IniSyntaxError(number, f"key {name!r} already set in [{section}]")
        key, key_line, key_indent = name, number, indent
        parts = [(number, option.group("value").replace("%%", "%"))]
    close()
    return sections
