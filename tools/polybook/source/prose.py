"""Prose analysis: roles, labels, headings and the damage of DIALECT §6-§7."""

from __future__ import annotations

import re

from polybook.diagnostics import Code, Diagnostic
from polybook.source.model import Label, LabelKind, Page, Role
from polybook.source.text import find_mojibake, has_mojibake_candidate

KNOWN_ROLES = frozenset(
    {
        "label",
        "eqlabel",
        "numref",
        "ref",
        "eqref",
        "cite",
        "citet",
        "citep",
        "bibliography",
        "width",
        "height",
    }
)
_ROLE = re.compile(r":(?P<kind>[a-z_]+):`(?P<double>`)?")
_HEADING = re.compile(r"^(?P<lead>\s*)(?P<hashes>#{1,6})(?P<space>\s*)(?P<title>.*)$")
_REF_TARGET = re.compile(r"^[\w\-.:/]+$")
_CITE_KEY = re.compile(r"^[\w\-.:+/']+$")
_IMAGE = re.compile(r"!\s*\[(?P<caption>.*)\]\((?P<src>[^)]*)\)")
_LINK_ROLE = re.compile(r"\]\(\s*:[a-z_]+:`")
_BROKEN_IMAGE = re.compile(r"!\s+\[|\]\(\s*\.\.\s+/")


def _valid_target(kind: str, content: str) -> bool:
    if kind in ("cite", "citet", "citep"):
        keys = [k.strip() for k in content.split(",")]
        return bool(keys) and all(_CITE_KEY.match(k) for k in keys if k) and any(keys)
    if kind in ("width", "height", "bibliography"):
        return bool(content.strip()) and " " not in content.strip()
    return _REF_TARGET.match(content.strip()) is not None


def _scan_roles(page: Page, line: str, lineno: int, in_heading: bool) -> list[Role]:
    found: list[Role] = []
    for match in _ROLE.finditer(line):
        kind = match.group("kind")
        if kind not in KNOWN_ROLES:
            continue
        start = match.end()
        if match.group("double"):
            close = line.find("``", start)
            content = line[start:close] if close >= 0 else line[start:]
            page.diagnostics.append(
                Diagnostic.make(
                    Code.DOUBLE_BACKTICK_ROLE,
                    page.file,
                    lineno,
                    f":{kind}: written with double backticks; use :{kind}:`{content.strip()}`",
                    target=content.strip() or None,
                )
            )
            if content.strip():
                found.append(Role(kind, content.strip(), lineno))
            continue
        close = line.find("`", start)
        content = line[start:close] if close >= 0 else line[start:]
        if close < 0 or not _valid_target(kind, content):
            first = content.strip().split()[0] if content.strip() else ""
            page.diagnostics.append(
                Diagnostic.make(
                    Code.UNCLOSED_ROLE,
                    page.file,
                    lineno,
                    f":{kind}: role is not closed after {first!r}; it runs into the following text",
                    target=first.rstrip(",.;") or None,
                )
            )
            continue
        if in_heading and kind not in ("label",):
            page.diagnostics.append(
                Diagnostic.make(
                    Code.ROLE_IN_HEADING, page.file, lineno, f":{kind}: role inside a heading"
                )
            )
        found.append(Role(kind, content, lineno))
    if _LINK_ROLE.search(line):
        page.diagnostics.append(
            Diagnostic.make(Code.ROLE_IN_LINK, page.file, lineno, "a role used as a link target")
        )
    return found


def _label_kind(prev: str, nxt: str) -> tuple[LabelKind, str]:
    """Kind of a `:label:` from the nearest non-blank lines before and after it."""
    heading = _HEADING.match(prev)
    if heading is not None and heading.group("hashes") and heading.group("title"):
        return LabelKind.SECTION, heading.group("title").strip()
    image = _IMAGE.search(prev)
    if image is not None or prev.startswith(":width:") or prev.startswith(":height:"):
        return LabelKind.FIGURE, image.group("caption") if image else ""
    if prev.startswith("|") or (prev.startswith(":") and not prev.startswith(":label:")):
        return LabelKind.TABLE, prev.lstrip(":").strip() if prev.startswith(":") else ""
    if nxt.startswith("|") or (nxt.startswith(":") and not nxt.startswith(":label:")):
        return LabelKind.TABLE, nxt.lstrip(":").strip() if nxt.startswith(":") else ""
    return LabelKind.OTHER, ""


def analyse_prose(page: Page, lines: list[str], outside: list[int], skip: set[int]) -> None:
    """Fill page.roles, page.labels, page.title and report prose damage."""
    suspicious = has_mojibake_candidate("\n".join(lines))
    for idx, line in enumerate(lines if suspicious else ()):
        for damaged, fixed in find_mojibake(line):
            page.diagnostics.append(
                Diagnostic.make(
                    Code.MOJIBAKE,
                    page.file,
                    idx + 1,
                    f"double-encoded UTF-8 {damaged!r} (meant {fixed!r})",
                )
            )
    prose = [i for i in outside if i not in skip]
    nonblank = [i for i in prose if lines[i].strip()]
    position = {i: n for n, i in enumerate(nonblank)}
    in_math = False
    in_table = False
    for i in prose:
        line = lines[i]
        stripped = line.strip()
        lineno = i + 1
        if not stripped:
            in_table = False
            continue
        if stripped.count("$$") % 2 == 1:
            in_math = not in_math
        if (in_math or "$$" in stripped) and "\t" in line:
            page.diagnostics.append(
                Diagnostic.make(Code.TAB_CHARACTER, page.file, lineno, "TAB character in math")
            )
        heading = _HEADING.match(line) if stripped.startswith("#") else None
        if heading is not None and not in_math:
            if heading.group("lead") or not heading.group("space"):
                page.diagnostics.append(
                    Diagnostic.make(
                        Code.HEADING_SPACING,
                        page.file,
                        lineno,
                        "heading needs '#' at the start of the line and a space after it",
                    )
                )
            if page.title is None and len(heading.group("hashes")) == 1:
                page.title = heading.group("title").strip()
        if stripped.startswith("|"):
            in_table = True
        elif in_table and "|" in stripped and not stripped.startswith(":"):
            page.diagnostics.append(
                Diagnostic.make(
                    Code.TABLE_ROW_PIPE, page.file, lineno, "table row without its leading '|'"
                )
            )
        if _BROKEN_IMAGE.search(line):
            page.diagnostics.append(
                Diagnostic.make(
                    Code.BROKEN_IMAGE, page.file, lineno, "broken image syntax ('! [' or '.. /')"
                )
            )
        if ":" not in line:
            continue
        roles = _scan_roles(page, line, lineno, heading is not None)
        page.roles.extend(roles)
        for role in roles:
            if role.kind == "eqlabel":
                page.labels.append(Label(role.content.strip(), LabelKind.EQUATION, lineno))
            elif role.kind == "label":
                n = position[i]
                before = stripped.split(":label:")[0].strip()
                if before:
                    prev = before
                else:
                    prev = lines[nonblank[n - 1]].strip() if n > 0 else ""
                    if prev.startswith(":width:") and n > 1:
                        prev = lines[nonblank[n - 2]].strip()
                nxt = lines[nonblank[n + 1]].strip() if n + 1 < len(nonblank) else ""
                kind, title = _label_kind(prev, nxt)
                page.labels.append(Label(role.content.strip(), kind, lineno, title))
