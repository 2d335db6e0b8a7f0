"""Reading page bytes: UTF-8 decoding and double-encoding (mojibake) detection."""

from __future__ import annotations

import re

from polybook.diagnostics import Code, Diagnostic

# A lead byte of a 2-4 byte UTF-8 sequence read as cp1252/latin-1 (Â..ô),
# followed by one or more continuation bytes read the same way.
_CP1252_CONT = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122"
)
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CP1252_CONT}]+")


def _repair(fragment: str) -> str | None:
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = fragment.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != fragment:
            return fixed
    return None


def has_mojibake_candidate(text: str) -> bool:
    """Cheap pre-check over a whole page before the per-line search (an
    ASCII page, most English ones, holds none)."""
    return not text.isascii() and _MOJIBAKE.search(text) is not None


def find_mojibake(line: str) -> list[tuple[str, str]]:
    """(damaged, repaired) pairs found in one line of text."""
    found = []
    for match in _MOJIBAKE.finditer(line):
        fixed = _repair(match.group(0))
        if fixed is not None:
            found.append((match.group(0), fixed))
    return found


def decode(data: bytes, file: str, diagnostics: list[Diagnostic]) -> str:
    """Decode a page; bad bytes are reported (with their line) and replaced."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diagnostics.append(
            Diagnostic.make(
                Code.NOT_UTF8,
                file,
                line,
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); bad bytes replaced",
            )
        )
        text = data.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
