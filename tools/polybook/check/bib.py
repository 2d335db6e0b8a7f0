"""BibTeX keys, read with a small scanner (entry types and keys only)."""

from __future__ import annotations

import re

_ENTRY = re.compile(r"@(?P<type>[A-Za-z]+)\s*[{(]\s*(?P<key>[^,\s]+)\s*,")


def bib_keys(text: str) -> dict[str, int]:
    """Citation key -> 1-based line of its entry (comments/strings are not entries)."""
    keys: dict[str, int] = {}
    for match in _ENTRY.finditer(text):
        if match.group("type").lower() in ("comment", "string", "preamble"):
            continue
        keys.setdefault(match.group("key"), text.count("\n", 0, match.start()) + 1)
    return keys
