"""Code cell headers: fence attributes and framework markers (DIALECT §2, §3)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from polybook.diagnostics import Code, Diagnostic
from polybook.source import grammar
from polybook.source.model import ALL, Marker, Syntax

# the first cell of a page, an editing aid (polybook.tab serves both names)
_INTERACT = ("%load_ext d2lbook.tab", "%load_ext polybook.tab")
_REQUIRED = re.compile(r"""#\s*required_libs\s*\((?P<args>.*)\)""")
_STRING = re.compile(r"""(["'])(.*?)\1""")


@dataclass(frozen=True, slots=True)
class FenceInfo:
    classes: tuple[str, ...]
    n: str | None

    @property
    def is_input(self) -> bool:
        return ".input" in self.classes

    @property
    def language(self) -> str:
        return "bash" if ".bash" in self.classes else "python"


def parse_fence_info(info: str) -> FenceInfo:
    """`{.python .input  n=3}` -> classes and `n`; a bare word is a class too."""
    body = info.strip()
    if body.startswith("{") and body.endswith("}"):
        body = body[1:-1]
    classes: list[str] = []
    n: str | None = None
    for token in body.split():
        if token.startswith("."):
            classes.append(token)
        elif token.startswith("n="):
            n = token[2:]
        elif "=" not in token and not token.startswith("#"):
            classes.append("." + token)
    return FenceInfo(tuple(classes), n)


def is_marker_line(line: str) -> bool:
    # every marker holds "tab" (`%%tab`, `#@tab`): most lines are settled without the pattern
    return "tab" in line and grammar.TAB_MARKER.match(line.strip()) is not None


def parse_marker(
    line: str,
    lineno: int,
    file: str,
    known: Collection[str],
    diagnostics: list[Diagnostic],
) -> Marker | None:
    """The marker on a code cell's first line, or None when it has none."""
    match = grammar.TAB_MARKER.match(line.strip())
    if match is None:
        return None
    syntax = Syntax.NEW if match.group("kind") == "%%tab" else Syntax.LEGACY
    commented = match.group("comment") is not None
    if commented:
        diagnostics.append(
            Diagnostic.make(
                Code.COMMENTED_MARKER,
                file,
                lineno,
                f"commented tab marker {line.strip()!r} is honoured as a marker; "
                "remove the leading '#'",
            )
        )
    names = [n.strip() for n in match.group("rest").split(",") if n.strip()]
    if not names:
        diagnostics.append(
            Diagnostic.make(Code.EMPTY_MARKER, file, lineno, "tab marker names no framework")
        )
        return Marker(frozenset(), syntax, lineno, commented)
    kept: set[str] = set()
    for name in names:
        if name == ALL or name in known:
            kept.add(name)
        else:
            diagnostics.append(
                Diagnostic.make(
                    Code.UNKNOWN_FRAMEWORK,
                    file,
                    lineno,
                    f"unknown framework {name!r} in tab marker (known: {', '.join(known)})",
                    target=name,
                )
            )
    return Marker(frozenset(kept), syntax, lineno, commented)


def is_interact_cell(source: str) -> bool:
    return any(line in source for line in _INTERACT)


def required_libs(source: str) -> tuple[str, ...]:
    """Packages named by `#required_libs("a==1", "b")` in the interact cell."""
    libs: list[str] = []
    for match in _REQUIRED.finditer(source):
        libs.extend(m.group(2) for m in _STRING.finditer(match.group("args")))
    return tuple(libs)
