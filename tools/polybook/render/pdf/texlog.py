"""The LaTeX log -> problems at positions of the generated pages.

The .tex holds a `%pb:<page>:<line>:<lines>` comment line before each block
(`sphinx_latex.MarkedTranslator`). A log line that names a line of the .tex
(errors, undefined references, overfull boxes) is placed at the last marker
before it; inside a paragraph, at the paragraph's line that the .tex line
corresponds to. A missing character is placed where the .tex first uses it.
Problems keep the generated page's line (`Issue`); the caller maps them to the
book through the pages' position maps, as for Sphinx's warnings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from polybook.diagnostics import Code

MARKER = "%pb:"  # %pb:<page>:<line>:<number of lines>, written by sphinx_latex

_ERROR = re.compile(
    r"^(?P<file>[^\s:][^:]*\.(?:tex|sty|cls|def|ldf|cfg|aux|toc)):(?P<line>\d+): (?P<msg>.*)$"
)
_BANG = re.compile(r"^! (?P<msg>.*)$")
_MISSING = re.compile(
    r"^Missing character: There is no (?P<char>.+?) (?:\((?P<code>U\+[0-9A-Fa-f]+)\) )?"
    r"in font (?P<font>.*?)!$"
)
_UNDEFINED = re.compile(
    r"^LaTeX Warning: (?P<kind>Reference|Citation) [`'](?P<target>[^']*)' on page \S+ "
    r"undefined on input line (?P<line>\d+)\.$"
)
_OVERFULL = re.compile(
    r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\) (?:in paragraph|in alignment|detected) "
    r"at lines? (?P<first>\d+)(?:--(?P<last>\d+))?"
)
_PACKAGE = re.compile(r"^Package (?P<package>polyglossia|babel) Warning: (?P<msg>.*)$")
_CONTINUED = re.compile(r"^\((?P<package>[\w-]+)\)\s+(?P<msg>.*)$")
_VERBATIM_BEGIN = re.compile(r"\\begin\{sphinxVerbatim")
_VERBATIM_END = re.compile(r"\\end\{sphinxVerbatim")
_AFTER_ERROR = ("Emergency stop", "==> Fatal error occurred")
OVERFULL_MIN_PT = 1.0  # below this a box is not reported (invisible)


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem the log shows, at a generated page's line (None: not traceable)."""

    code: str  # a Code's name
    message: str
    docname: str | None = None
    line: int | None = None
    target: str | None = None

    @property
    def kind(self) -> Code:
        return Code[self.code]

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Issue:
        line = data.get("line")
        return cls(
            str(data["code"]),
            str(data["message"]),
            None if data.get("docname") is None else str(data["docname"]),
            line if isinstance(line, int) else None,
            None if data.get("target") is None else str(data["target"]),
        )


@dataclass(frozen=True, slots=True)
class _Marker:
    tex_line: int
    docname: str
    line: int
    count: int


class TexIndex:
    """The markers and code blocks of a .tex file, by line."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.markers: list[_Marker] = []
        self.code: list[tuple[int, int]] = []
        begin = 0
        for number, line in enumerate(self.lines, 1):
            if line.startswith(MARKER):
                parts = line[len(MARKER) :].rsplit(":", 2)
                if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                    self.markers.append(_Marker(number, parts[0], int(parts[1]), int(parts[2])))
            elif _VERBATIM_BEGIN.search(line):
                begin = number
            elif begin and _VERBATIM_END.search(line):
                self.code.append((begin, number))
                begin = 0
        self._starts = [m.tex_line for m in self.markers]

    def position(self, tex_line: int) -> tuple[str, int] | None:
        """(page, line) of a .tex line: its block's, or its paragraph line's."""
        index = bisect.bisect_right(self._starts, tex_line) - 1
        if index < 0:
            return None
        marker = self.markers[index]
        # a paragraph's marker is followed by its lines, one per source line
        offset = min(max(tex_line - marker.tex_line - 1, 0), marker.count - 1)
        return marker.docname, marker.line + offset

    def first_use(self, char: str) -> int | None:
        for number, line in enumerate(self.lines, 1):
            if char in line and not line.startswith(MARKER):
                return number
        return None

    def in_code(self, first: int, last: int) -> bool:
        index = bisect.bisect_right(self.code, (first, 10**9)) - 1
        return index >= 0 and self.code[index][1] >= last


def _logical_lines(text: str) -> list[str]:
    """The log's lines, with package continuation lines joined."""
    out: list[str] = []
    for raw in text.splitlines():
        more = _CONTINUED.match(raw)
        if more is not None and out and out[-1].startswith(f"Package {more.group('package')}"):
            out[-1] = f"{out[-1]} {more.group('msg')}"
        else:
            out.append(raw)
    return out


def _context(following: list[str], tex_line: int) -> str:
    """`: <the input TeX was reading>` from an error's `l.<n> ...` line."""
    prefix = f"l.{tex_line} "
    for line in following:
        if line.startswith(prefix):
            return f": {line[len(prefix) :].strip()}"
    return ""


def _at(
    index: TexIndex, code: Code, message: str, tex_line: int | None, target: str | None = None
) -> Issue:
    where = index.position(tex_line) if tex_line is not None else None
    docname, line = where if where is not None else (None, None)
    return Issue(code.name, message, docname, line, target)


def read_log(
    log: str, tex: str, tex_name: str, hyphenation: bool = True, package: str = ""
) -> list[Issue]:
    """The problems of one LaTeX run (the last pass's log) and where they are.

    `hyphenation`: TeX has patterns for the book's language (else their absence
    is expected); `package`: the Debian package that has them."""
    index = TexIndex(tex)
    issues: list[Issue] = []
    missing: dict[tuple[str, str], int] = {}
    lines = _logical_lines(log)
    for number, line in enumerate(lines):
        if match := _ERROR.match(line):
            ours = Path(match.group("file")).name == tex_name
            tex_line = int(match.group("line"))
            where = f"{tex_name}:{tex_line}" if ours else f"{match.group('file')}:{tex_line}"
            context = _context(lines[number + 1 : number + 8], tex_line)
            message = f"LaTeX error: {match.group('msg')} ({where}{context})"
            issues.append(_at(index, Code.PDF_LATEX_ERROR, message, tex_line if ours else None))
        elif match := _BANG.match(line):
            text = match.group("msg")
            if not (issues and text.startswith(_AFTER_ERROR)):
                issues.append(_at(index, Code.PDF_LATEX_ERROR, f"LaTeX error: {text}", None))
        elif match := _MISSING.match(line):
            font = match.group("font").split("/OT:")[0].split(":")[0].strip()
            key = (match.group("char"), font)
            missing[key] = missing.get(key, 0) + 1
        elif match := _UNDEFINED.match(line):
            target = match.group("target").rpartition(":")[2]
            kind = match.group("kind").lower()
            message = f"LaTeX: undefined {kind} {target!r}"
            issues.append(
                _at(index, Code.PDF_UNRESOLVED_REFERENCE, message, int(match.group("line")), target)
            )
        elif match := _OVERFULL.match(line):
            points = float(match.group("pt"))
            if points < OVERFULL_MIN_PT:
                continue
            first = int(match.group("first"))
            last = int(match.group("last") or first)
            code = Code.PDF_OVERFULL_CODE if index.in_code(first, last) else Code.PDF_OVERFULL_TEXT
            what = "a code line" if code is Code.PDF_OVERFULL_CODE else "a line"
            issues.append(_at(index, code, f"{what} is {points:.1f}pt wider than the page", first))
        elif match := _PACKAGE.match(line):
            text = match.group("msg")
            if text.startswith("No hyphenation patterns") and not hyphenation:
                continue  # a language TeX has no patterns for (Vietnamese)
            if "hyphenation patterns" in text or "gloss-" in text or "nil" in text:
                message = f"{match.group('package')}: {text}"
                if package and text.startswith("No hyphenation patterns"):
                    message += f" (the patterns are in the Debian package {package})"
                issues.append(_at(index, Code.PDF_LANGUAGE, message, None))
    for (char, font), count in missing.items():
        times = "" if count == 1 else f" ({count} times)"
        message = f"the font {font} has no {char!r}; it is missing from the PDF{times}"
        issues.append(_at(index, Code.PDF_MISSING_CHARACTER, message, index.first_use(char), char))
    return issues
