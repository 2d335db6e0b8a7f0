"""Sphinx warnings -> diagnostics at book positions.

Sphinx reports positions in the generated notebooks' virtual line numbering;
the position map of each page translates them to the book page's lines. A
warning naming a target (a label, a citation key, an image) is moved to the
source line that really mentions it, when that line is near.

Sphinx only re-emits the warnings of the pages it re-reads or re-writes, so
warnings are kept per page and phase (read / write) between builds: a page
untouched by an incremental build keeps reporting its problems.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.files import write_atomic

_WARNING = re.compile(
    r"^(?:(?P<loc>.*?):(?:(?P<line>\d+):)? )?(?P<level>WARNING|ERROR|CRITICAL): (?P<msg>.*)$"
)
_TYPE = re.compile(r"\s*\[(?P<type>[\w.-]+)\]\s*$")
_QUOTED = re.compile(r"""['"](?P<target>[^'"]+)['"]""")
_IMAGE = re.compile(r"image file not readable: (?P<target>\S+)")
_SUFFIXES = (".ipynb", ".md", ".rst")
_MYST_OFFSET = 1


@dataclass(frozen=True, slots=True)
class SphinxWarning:
    docname: str | None
    line: int | None
    level: str
    message: str
    type: str | None

    @classmethod
    def load(cls, data: Mapping[str, object]) -> SphinxWarning:
        line = data.get("line")
        docname = data.get("docname")
        kind = data.get("type")
        return cls(
            None if docname is None else str(docname),
            line if isinstance(line, int) else None,
            str(data.get("level", "WARNING")),
            str(data.get("message", "")),
            None if kind is None else str(kind),
        )


def _docname(location: str, srcdir: Path) -> str | None:
    path = Path(location)
    try:
        rel = path.resolve().relative_to(srcdir.resolve()).as_posix()
    except (ValueError, OSError):
        return None
    for suffix in _SUFFIXES:
        if rel.endswith(suffix):
            return rel[: -len(suffix)]
    return rel


def parse(text: str, srcdir: Path) -> list[SphinxWarning]:
    """The warnings in Sphinx's warning stream text (continuation lines joined)."""
    out: list[SphinxWarning] = []
    for raw in text.splitlines():
        match = _WARNING.match(raw)
        if match is None:
            if out and raw.strip():
                last = out[-1]
                out[-1] = SphinxWarning(
                    last.docname, last.line, last.level, f"{last.message} {raw.strip()}", last.type
                )
            continue
        message = match.group("msg")
        kind = None
        typed = _TYPE.search(message)
        if typed is not None:
            kind, message = typed.group("type"), message[: typed.start()]
        loc = match.group("loc")
        line = match.group("line")
        out.append(
            SphinxWarning(
                _docname(loc, srcdir) if loc else None,
                int(line) if line else None,
                match.group("level"),
                message.strip(),
                kind,
            )
        )
    return out


def classify(warning: SphinxWarning) -> tuple[Code, str | None]:
    """The diagnostic code of a warning and the target it names (if any)."""
    kind, message = warning.type or "", warning.message
    quoted = _QUOTED.search(message)
    target = quoted.group("target") if quoted else None
    if kind == "image.not_readable" or message.startswith("image file not readable"):
        image = _IMAGE.search(message)
        return Code.RENDER_MISSING_IMAGE, image.group("target") if image else target
    if kind.startswith("bibtex") or "bibtex key" in message:
        return Code.RENDER_UNRESOLVED_CITATION, target
    if (
        kind.startswith("ref.")
        or kind.startswith("toc.")
        or message.startswith(("undefined label", "Failed to create a cross reference"))
        or "equation not found" in message
        or "nonexisting document" in message
    ):
        if target is None and ": " in message:
            target = message.rsplit(": ", 1)[1].strip()
        return Code.RENDER_UNRESOLVED_REFERENCE, target
    return Code.RENDER_WARNING, target


class Locator:
    """Virtual lines of generated pages -> (book file, book line)."""

    def __init__(self, positions: Mapping[str, tuple[str, Sequence[int]]]) -> None:
        self.positions = positions

    def locate(self, docname: str | None, line: int | None) -> tuple[str, int]:
        """The book position of a generated page's line (every generated line
        has exactly one; `sphinx_ext.InlineLines` gives inline nodes theirs)."""
        if docname is None or docname not in self.positions:
            return (docname or "(site)", line or 0)
        file, lines = self.positions[docname]
        src = 0
        if lines:
            # myst-nb numbers a cell's lines from (its source_map base + 1) and
            # MyST adds one more: virtual line v is reported as v + 1
            index = min(max((line or 2) - 1 - _MYST_OFFSET, 0), len(lines) - 1)
            src = lines[index]
        return file, src


def to_diagnostics(
    warnings: Iterable[SphinxWarning], locator: Locator, lang: str, site: str
) -> list[Diagnostic]:
    seen: set[tuple[str, str, int, str]] = set()
    out: list[Diagnostic] = []
    for warning in warnings:
        code, target = classify(warning)
        file, line = locator.locate(warning.docname, warning.line)
        key = (code.id, file, line, target or warning.message)
        if key in seen:
            continue
        seen.add(key)
        message = f"{warning.message} ({lang}, {site})"
        out.append(Diagnostic.make(code, file, line, message, target))
    return out


@dataclass(slots=True)
class WarningCache:
    """Warnings per page and phase, kept between incremental builds."""

    read: dict[str, list[SphinxWarning]]
    write: dict[str, list[SphinxWarning]]

    @classmethod
    def load(cls, path: Path) -> WarningCache:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return cls({}, {})
        phases: list[dict[str, list[SphinxWarning]]] = []
        for phase in ("read", "write"):
            raw = data.get(phase, {}) if isinstance(data, dict) else {}
            phases.append(
                {doc: [SphinxWarning.load(w) for w in items] for doc, items in raw.items()}
            )
        return cls(phases[0], phases[1])

    def save(self, path: Path) -> None:
        data = {
            phase: {doc: [asdict(w) for w in items] for doc, items in sorted(table.items())}
            for phase, table in (("read", self.read), ("write", self.write))
        }
        write_atomic(path, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def update(
        self,
        phase: str,
        docs: Iterable[str],
        warnings: Iterable[SphinxWarning],
        existing: Iterable[str],
    ) -> list[SphinxWarning]:
        """Replace the warnings of `docs` in `phase`; return the warnings of no page."""
        table = self.read if phase == "read" else self.write
        for doc in docs:
            table[doc] = []
        loose: list[SphinxWarning] = []
        for warning in warnings:
            if warning.docname is None:
                loose.append(warning)
            else:
                items = table.setdefault(warning.docname, [])
                if warning not in items:
                    items.append(warning)
        alive = set(existing)
        for kept in (self.read, self.write):
            for doc in [d for d in kept if d not in alive]:
                del kept[doc]
        return loose

    def all(self) -> list[SphinxWarning]:
        return [w for table in (self.read, self.write) for items in table.values() for w in items]
