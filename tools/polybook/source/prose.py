"""Prose analysis: roles, labels, the title and the damage of DIALECT §6-§7.

Roles and labels are read from the parsed elements (`source.blocks`,
`source.inline`); the line checks below only look for damage that has no
element of its own (heading spacing, a table row without its `|`, broken
image syntax, TAB characters in math, double-encoded UTF-8).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from polybook.diagnostics import Code, Diagnostic
from polybook.source import grammar
from polybook.source.elements import (
    Element,
    Equation,
    Figure,
    Heading,
    Inline,
    LabelLine,
    Table,
    Token,
    TokenKind,
    inlines,
)
from polybook.source.model import (
    Block,
    Label,
    LabelKind,
    ProseFacts,
    Role,
    TextBlock,
    TextKind,
)


@dataclass(slots=True)
class _Facts:
    roles: list[Role] = field(default_factory=list)
    title: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _token_role(token: Token) -> Role:
    return Role(token.role, token.value, token.line)


def _inline_facts(content: Inline, file: str, in_heading: bool, facts: _Facts) -> None:
    for token in content.tokens:
        if token.kind is TokenKind.BAD_ROLE:
            facts.diagnostics.append(
                Diagnostic.make(
                    Code.UNCLOSED_ROLE,
                    file,
                    token.line,
                    f":{token.role}: role is not closed after {token.value!r}; "
                    "it runs into the following text",
                    target=token.value or None,
                )
            )
            continue
        if token.kind is TokenKind.LINK_ROLE:
            facts.diagnostics.append(
                Diagnostic.make(Code.ROLE_IN_LINK, file, token.line, "a role used as a link target")
            )
            facts.roles.append(_token_role(token))
            continue
        if token.kind not in (TokenKind.ROLE, TokenKind.TARGET, TokenKind.SETTING):
            continue
        if token.double:
            facts.diagnostics.append(
                Diagnostic.make(
                    Code.DOUBLE_BACKTICK_ROLE,
                    file,
                    token.line,
                    f":{token.role}: written with double backticks; "
                    f"use :{token.role}:`{token.value}`",
                    target=token.value or None,
                )
            )
        if in_heading and token.role != "label":
            facts.diagnostics.append(
                Diagnostic.make(
                    Code.ROLE_IN_HEADING, file, token.line, f":{token.role}: role inside a heading"
                )
            )
        facts.roles.append(_token_role(token))


def _label(facts: _Facts, kind: LabelKind, name: str, line: int, title: str = "") -> None:
    facts.roles.append(Role("eqlabel" if kind is LabelKind.EQUATION else "label", name, line))


def _inline_labels(content: Inline, in_heading: bool) -> list[Label]:
    """Labels written inside text (`... :label:`x``); only text that holds a
    target role is scanned."""
    if "label:`" not in content.text:
        return []
    found: list[Label] = []
    for token in content.tokens:
        if token.kind is TokenKind.TARGET:
            kind = LabelKind.EQUATION if token.role == "eqlabel" else LabelKind.OTHER
            if in_heading and kind is LabelKind.OTHER:
                kind = LabelKind.SECTION
            found.append(Label(token.value, kind, token.line))
    return found


def _element_labels(element: Element) -> list[Label]:
    """The labels an element carries (a heading's, a figure's, ...)."""
    if isinstance(element, Heading):
        title = element.title.text.strip()
        return [Label(t.name, LabelKind.SECTION, t.line, title) for t in element.labels]
    if isinstance(element, LabelLine):
        return [Label(element.target.name, LabelKind.OTHER, element.target.line)]
    if isinstance(element, Figure | Table) and element.label is not None:
        kind = LabelKind.FIGURE if isinstance(element, Figure) else LabelKind.TABLE
        caption = element.caption.text if element.caption is not None else ""
        return [Label(element.label.name, kind, element.label.line, caption)]
    if isinstance(element, Equation) and element.label is not None:
        return [Label(element.label.name, LabelKind.EQUATION, element.label.line)]
    return []


def labels_of(blocks: Iterable[Block]) -> tuple[Label, ...]:
    """Every label of a page's prose, in line order, with its kind and title."""
    found: list[Label] = []
    for block in blocks:
        if not isinstance(block, TextBlock) or block.kind is not TextKind.PROSE:
            continue
        if "label:`" not in block.text:  # every label is a `:label:` or `:eqlabel:` role
            continue
        for element in block.elements:
            heading = isinstance(element, Heading)
            for content in inlines(element):
                found.extend(_inline_labels(content, heading))
            found.extend(_element_labels(element))
    return tuple(sorted(found, key=lambda label: label.line))


def element_facts(elements: Iterable[Element], file: str, facts: _Facts) -> None:
    """Roles and labels of parsed elements, and their role damage."""
    for element in elements:
        for content in inlines(element):
            _inline_facts(content, file, isinstance(element, Heading), facts)
        if isinstance(element, Heading):
            title = element.title.text.strip()
            if facts.title is None and element.level == 1:
                facts.title = title
            for target in element.labels:
                _label(facts, LabelKind.SECTION, target.name, target.line, title)
            if element.damaged:
                facts.diagnostics.append(
                    Diagnostic.make(
                        Code.HEADING_SPACING,
                        file,
                        element.line,
                        "heading needs '#' at the start of the line and a space after it",
                    )
                )
        elif isinstance(element, Figure) and element.label is not None:
            caption = element.caption.text if element.caption is not None else ""
            _label(facts, LabelKind.FIGURE, element.label.name, element.label.line, caption)
        elif isinstance(element, Table) and element.label is not None:
            caption = element.caption.text if element.caption is not None else ""
            _label(facts, LabelKind.TABLE, element.label.name, element.label.line, caption)
        elif isinstance(element, Equation) and element.label is not None:
            _label(facts, LabelKind.EQUATION, element.label.name, element.label.line)
        elif isinstance(element, LabelLine):
            _label(facts, LabelKind.OTHER, element.target.name, element.target.line)


def analyse(blocks: Iterable[Block], file: str) -> ProseFacts:
    """Roles, title and prose damage of a page's blocks."""
    facts = _Facts()
    prose = [b for b in blocks if isinstance(b, TextBlock) and b.kind is TextKind.PROSE]
    for block in prose:
        element_facts(block.elements, file, facts)
    lines = [(line, n) for b in prose for n, line in enumerate(b.text.split("\n"), b.line)]
    line_damage(lines, file, facts)
    return ProseFacts(
        roles=tuple(sorted(facts.roles, key=lambda r: r.line)),
        title=facts.title,
        diagnostics=tuple(facts.diagnostics),
    )


def line_damage(lines: Sequence[tuple[str, int]], file: str, facts: _Facts) -> None:
    """Damage found line by line in the prose lines ((text, book line), in order)."""
    in_math = False
    in_table = False
    for line, lineno in lines:
        stripped = line.strip()
        if not stripped:
            in_table = False
            continue
        if stripped.count("$$") % 2 == 1:
            in_math = not in_math
        if (in_math or "$$" in stripped) and "\t" in line:
            facts.diagnostics.append(
                Diagnostic.make(Code.TAB_CHARACTER, file, lineno, "TAB character in math")
            )
        if stripped.startswith("|"):
            in_table = True
        elif in_table and "|" in stripped and not stripped.startswith(":"):
            facts.diagnostics.append(
                Diagnostic.make(
                    Code.TABLE_ROW_PIPE, file, lineno, "table row without its leading '|'"
                )
            )
        if grammar.BROKEN_IMAGE.search(line):
            facts.diagnostics.append(
                Diagnostic.make(
                    Code.BROKEN_IMAGE, file, lineno, "broken image syntax ('! [' or '.. /')"
                )
            )
