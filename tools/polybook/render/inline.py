"""Inline conversion of one block of prose: DIALECT roles and marks -> MyST.

A left-to-right scanner over the block's text (its lines joined), which skips
code spans and math, rewrites roles (`:numref:` -> `{numref}`, `:cite:` ->
`{cite:p}`, ...), removes slide marks, drops slide-only text, escapes bare
`<word>` that are not HTML and rewrites inline image paths. Newlines are
never removed, so every output line keeps the source line of its input line.
Labels met inline are returned: the block converter places their targets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from polybook.diagnostics import Code
from polybook.render.model import ConvertOptions, Line, Problem
from polybook.source.prose import KNOWN_ROLES

MYST_ROLES = {
    "numref": "numref",
    "ref": "ref",
    "eqref": "eq",
    "cite": "cite:p",
    "citep": "cite:p",
    "citet": "cite:t",
}
REFERENCE_ROLES = frozenset({"numref", "ref", "eqref"})
CITE_ROLES = frozenset({"cite", "citep", "citet"})
# HTML tags that book prose may really use; any other bare `<word>` is text.
_TAG_NAMES = """a abbr b big blockquote br center cite code dd del details div dl dt em
    figcaption figure font h1 h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark ol p pre samp
    script small source span strike strong style sub summary sup svg table tbody td th
    thead tr tt ul var video"""
HTML_TAGS = frozenset(_TAG_NAMES.split())

_SPECIAL = re.compile(r"[\\`$:(\[<!*~]")
_TICKS = re.compile(r"`+")
_ROLE = re.compile(r":(?P<kind>[a-z_]+):(?P<ticks>`+)")
_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9_-]*)>")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\n]*)\)")
_LINK_ROLE = re.compile(
    r"\[(?P<text>[^\]\n]*)\]\(\s*:(?P<kind>numref|ref|eqref):`+(?P<target>[^`\s]+)`+\s*\)"
)
REF_TARGET = re.compile(r"^[\w\-.:/]+$")
_TITLED_TARGET = re.compile(r"^[^`<>]*<[\w\-.:/]+>$")
CITE_KEY = re.compile(r"^[\w\-.:+/']+$")
_DROP_MARKS = {"(~~": "~~)", "[~~": "~~]"}
_SLIDE_MARKS = {"(**": "**)", "[**": "**]"}


@dataclass(frozen=True, slots=True)
class Target:
    """A `:label:`/`:eqlabel:` met inside prose; its MyST target goes before the block."""

    name: str
    kind: str
    line: int


@dataclass(slots=True)
class InlineResult:
    lines: list[Line] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)


def cite_keys(content: str) -> list[str] | None:
    keys = [k.strip() for k in content.split(",") if k.strip()]
    if not keys or not all(CITE_KEY.match(k) for k in keys):
        return None
    return keys


def convert_role(kind: str, content: str) -> str | None:
    """The MyST form of a reference or citation role, None when its content is invalid."""
    content = content.strip()
    if kind in CITE_ROLES:
        keys = cite_keys(content)
        return None if keys is None else f"{{{MYST_ROLES[kind]}}}`{','.join(keys)}`"
    if REF_TARGET.match(content) or _TITLED_TARGET.match(content):
        return f"{{{MYST_ROLES[kind]}}}`{content}`"
    return None


class _Scanner:
    def __init__(self, text: str, srcs: Sequence[int], opts: ConvertOptions) -> None:
        self.text = text
        self.srcs = srcs
        self.opts = opts
        self.out: list[str] = []
        self.closers: dict[int, int] = {}
        self.targets: list[Target] = []
        self.problems: list[Problem] = []
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def src(self, pos: int) -> int:
        return self.srcs[bisect.bisect_right(self.starts, pos) - 1]

    def run(self) -> str:
        text, n, i = self.text, len(self.text), 0
        while i < n:
            match = _SPECIAL.search(text, i)
            if match is None:
                self.out.append(text[i:])
                break
            j = match.start()
            if j > i:
                self.out.append(text[i:j])
            i = self.step(j)
        return "".join(self.out)

    def step(self, i: int) -> int:
        """Handle the special character at `i`; return the next position."""
        text = self.text
        closer = self.closers.pop(i, None)
        if closer is not None:
            return i + closer
        c = text[i]
        if c == "\\":
            self.out.append(text[i : i + 2])
            return i + 2
        if c == "`":
            return self.code_span(i)
        if c == "$":
            return self.math(i)
        if c == ":":
            role = _ROLE.match(text, i)
            if role is not None and role.group("kind") in KNOWN_ROLES:
                return self.role(role)
        head = text[i : i + 3]
        if head in _SLIDE_MARKS:
            end = text.find(_SLIDE_MARKS[head], i + 3)
            if end >= 0 and "\n\n" not in text[i:end]:
                self.closers[end] = 3
                return i + 3
        if head in _DROP_MARKS:
            end = text.find(_DROP_MARKS[head], i + 3)
            if end >= 0 and "\n\n" not in text[i:end]:
                self.out.append("\n" * text.count("\n", i, end))
                return end + 3
        if c == "<":
            tag = _TAG.match(text, i)
            if tag is not None and tag.group("name").lower() not in HTML_TAGS:
                self.out.append("\\" + tag.group(0))
                return tag.end()
        if c == "!":
            image = _IMAGE.match(text, i)
            if image is not None:
                return self.image(image)
        self.out.append(c)
        return i + 1

    def code_span(self, i: int) -> int:
        text = self.text
        found = _TICKS.match(text, i)
        ticks = found.group(0) if found is not None else "`"
        n = len(ticks)
        close = re.compile(rf"(?<!`){ticks}(?!`)").search(text, i + n)
        if close is None:
            self.out.append(ticks)
            return i + n
        self.out.append(text[i : close.end()])
        return close.end()

    def math(self, i: int) -> int:
        text = self.text
        if text.startswith("$$", i):
            end = text.find("$$", i + 2)
            if end < 0:
                self.out.append("$$")
                return i + 2
            self.out.append(text[i : end + 2].replace("\t", " "))
            return end + 2
        if i + 1 >= len(text) or text[i + 1].isspace():
            self.out.append("$")
            return i + 1
        k = i + 1
        while True:
            k = text.find("$", k)
            if k < 0 or "\n\n" in text[i:k]:
                self.out.append("$")
                return i + 1
            before = text[k - 1]
            after = text[k + 1] if k + 1 < len(text) else ""
            if not before.isspace() and before != "\\" and not after.isdigit():
                self.out.append(text[i : k + 1].replace("\t", " "))
                return k + 1
            k += 1

    def role(self, match: re.Match[str]) -> int:
        text = self.text
        kind, ticks = match.group("kind"), match.group("ticks")
        start = match.end()
        eol = text.find("\n", start)
        eol = len(text) if eol < 0 else eol
        close = text.find(ticks, start, eol)
        content = text[start:close] if close >= 0 else ""
        end = close + len(ticks) if close >= 0 else start
        if kind in ("label", "eqlabel"):
            name = content.strip()
            if close >= 0 and REF_TARGET.match(name):
                self.targets.append(Target(name, kind, self.src(match.start())))
                return end
        elif kind in ("width", "height", "bibliography"):
            if close >= 0:
                return end
        elif kind in MYST_ROLES:
            converted = convert_role(kind, content) if close >= 0 else None
            if converted is not None:
                self.out.append(converted)
                return end
        self.malformed(kind, text[start:eol], match.start())
        return start  # the role's text stays, as plain text

    def malformed(self, kind: str, rest: str, pos: int) -> None:
        first = rest.strip().split()[0].strip("`,.;") if rest.strip() else ""
        code = Code.RENDER_MALFORMED_ROLE
        if kind in REFERENCE_ROLES:
            code = Code.RENDER_UNRESOLVED_REFERENCE
        elif kind in CITE_ROLES:
            code = Code.RENDER_UNRESOLVED_CITATION
        self.problems.append(
            Problem(
                code,
                self.src(pos),
                f":{kind}: role is not closed or its target is not valid; shown as text",
                first or None,
            )
        )

    def image(self, match: re.Match[str]) -> int:
        path = match.group("src").strip()
        resolved = self.opts.resolve_image(path)
        if resolved is None:
            self.problems.append(
                Problem(
                    Code.RENDER_MISSING_IMAGE,
                    self.src(match.start()),
                    f"image {path!r} not found",
                    path,
                )
            )
            resolved = path
        self.out.append(f"![{match.group('alt')}]({resolved})")
        return match.end()


def _link_role(match: re.Match[str]) -> str:
    label = match.group("text").strip().replace("<", "").replace(">", "")
    return f"{{ref}}`{label} <{match.group('target')}>`"


def convert_inline(
    lines: Sequence[Line], opts: ConvertOptions, problems: list[Problem]
) -> InlineResult:
    """Convert the inline syntax of a block of lines (a paragraph, a caption, a row)."""
    if not lines:
        return InlineResult()
    text = _LINK_ROLE.sub(_link_role, "\n".join(line.text for line in lines))
    scanner = _Scanner(text, [line.src for line in lines], opts)
    out = scanner.run().split("\n")
    problems.extend(scanner.problems)
    result = InlineResult(targets=scanner.targets if opts.keep_targets else [])
    for new, old in zip(out, lines, strict=True):
        if new.strip() or not old.text.strip():
            result.lines.append(Line(new, old.src))
    return result
