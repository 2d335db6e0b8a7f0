"""Prose lines -> block elements (DIALECT §6-§7), each with its book lines.

A line scanner over one run of prose (a `TextBlock`): headings and the labels
under them, figures with their `:width:`/`:label:` lines, tables with their
caption and label (before or after), display equations with their
`:eqlabel:` (every placement of §6, slide-marked ones too), `:bibliography:`,
floating labels, and paragraphs. Inline content is tokenized by
`source.inline`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from polybook.source import grammar
from polybook.source.elements import (
    Bibliography,
    Blank,
    Element,
    Equation,
    Figure,
    Heading,
    Inline,
    LabelLine,
    Paragraph,
    Table,
    Target,
)
from polybook.source.inline import tokenize

_EQLABEL = grammar.role_named("eqlabel")
_FIGURE_ROLE = grammar.role_named("label", "width", "height")
_SLIDE_EQUATION = re.compile(r"^(?P<indent>\s*)[(\[]\*\*(?=\$\$)")


class _Scanner:
    def __init__(self, raw: Sequence[str], lines: Sequence[int]) -> None:
        self.raw = list(raw)
        self.lines = list(lines)
        self.out: list[Element] = []
        self.para: list[int] = []  # indices of the paragraph being gathered
        # text to prepend to the paragraph: (index, text) that follows a figure/equation
        self.lead: tuple[int, str] | None = None

    def text(self, i: int) -> str:
        return self.raw[i] if 0 <= i < len(self.raw) else ""

    def next_nonblank(self, i: int) -> int:
        while i < len(self.raw) and not self.raw[i].strip():
            i += 1
        return i

    def role_line(self, i: int, *kinds: str) -> tuple[str, str] | None:
        return grammar.line_role(self.text(i), *kinds)

    def target(self, i: int, *kinds: str) -> Target | None:
        found = self.role_line(i, *kinds)
        return None if found is None else Target(found[1], self.lines[i])

    def is_table_start(self, i: int) -> bool:
        head, delim = self.text(i), self.text(i + 1)
        return "|" in head and "|" in delim + head and bool(grammar.TABLE_DELIMITER.match(delim))

    def inline(self, indices: Sequence[int], texts: Sequence[str] | None = None) -> Inline:
        raw = texts if texts is not None else [self.raw[k] for k in indices]
        return tokenize(raw, [self.lines[k] for k in indices])

    def flush(self) -> None:
        if self.para or self.lead is not None:
            indices = list(self.para)
            texts = [self.raw[k] for k in indices]
            if self.lead is not None:
                indices.insert(0, self.lead[0])
                texts.insert(0, self.lead[1])
            self.out.append(Paragraph(self.inline(indices, texts)))
        self.para = []
        self.lead = None

    def add(self, element: Element) -> None:
        self.flush()
        self.out.append(element)

    def run(self) -> list[Element]:
        i = 0
        while i < len(self.raw):
            i = self.line(i)
        self.flush()
        return self.out

    def line(self, i: int) -> int:
        text = self.raw[i]
        stripped = text.strip()
        if not stripped:
            self.add(Blank(self.lines[i]))
            return i + 1
        first = stripped[0]
        if "$$" in stripped and (stripped.startswith("$$") or _SLIDE_EQUATION.match(text)):
            end = self.display_math(i)
            if end is not None:
                return end
        if first == "#":
            heading = grammar.HEADING.match(text)
            if (
                heading is not None
                and len(heading.group("lead")) <= 3
                and heading.group("title").strip()
                and (heading.group("space") or not heading.group("title").startswith("#"))
            ):
                return self.heading(i, heading)
        if first == "!":
            image = grammar.IMAGE_LINE.match(text)
            if image is not None:
                return self.figure(i, image)
        if first == ":":
            role = self.role_line(i, "label", "eqlabel", "width", "height", "bibliography")
            if role is not None:
                return self.role(i, role)
        if (first == ":" and grammar.CAPTION.match(stripped)) or (
            "|" in text and self.is_table_start(i)
        ):
            end = self.table(i)
            if end is not None:
                return end
        self.para.append(i)
        return i + 1

    def role(self, i: int, role: tuple[str, str]) -> int:
        kind, value = role
        if kind == "bibliography":
            self.add(Bibliography(value, self.lines[i]))
            return i + 1
        if kind in ("width", "height"):
            return i + 1  # a size with no image before it: nothing to size
        if kind == "label":
            after = self.next_nonblank(i + 1)
            if grammar.CAPTION.match(self.text(after).strip()) or self.is_table_start(after):
                end = self.table(i)
                if end is not None:
                    return end
        self.add(LabelLine(Target(value, self.lines[i])))
        return i + 1

    def display_math(self, i: int) -> int | None:
        first = self.raw[i]
        slide = _SLIDE_EQUATION.match(first)
        indent = first[: len(first) - len(first.lstrip())]
        opened = first.strip()[3:] if slide else first.strip()
        opened = opened[2:]
        body: list[tuple[str, int]] = []
        if "$$" in opened:
            content, after = opened.split("$$", 1)
            body.append((content, self.lines[i]))
            end = i
        else:
            body.append((opened, self.lines[i]))
            end = i + 1
            while end < len(self.raw) and "$$" not in self.raw[end]:
                body.append((self.raw[end], self.lines[end]))
                end += 1
            if end >= len(self.raw):
                return None  # never closed: plain text
            content, after = self.raw[end].split("$$", 1)
            body.append((content, self.lines[end]))
        close = end
        if slide is not None:
            after = after.lstrip()
            after = after[3:] if after.startswith(("**)", "**]")) else after
        label: Target | None = None
        found = _EQLABEL.search(after)
        if found is not None:
            label = Target(found.group("v").strip(), self.lines[close])
            after = after[: found.start()] + after[found.end() :]
        else:
            nxt = self.next_nonblank(end + 1)
            role = self.role_line(nxt, "eqlabel")
            if role is not None and nxt - end <= 2:
                label, end = Target(role[1], self.lines[nxt]), nxt
        kept = tuple((t.strip(), line) for t, line in body if t.strip())
        self.add(Equation(indent, kept, label, self.lines[i]))
        if after.strip():
            self.lead = (close, indent + after.strip())
        return end + 1

    def heading(self, i: int, match: re.Match[str]) -> int:
        title = re.sub(r"\s+#+\s*$", "", match.group("title").strip())
        labels: list[Target] = []
        end = i + 1
        nxt = self.next_nonblank(end)
        found = self.target(nxt, "label")
        while found is not None:
            labels.append(found)
            end = nxt + 1
            nxt = self.next_nonblank(end)
            found = self.target(nxt, "label")
        damaged = bool(match.group("lead")) or not match.group("space")
        level = len(match.group("hashes"))
        self.add(Heading(level, self.inline([i], [title]), tuple(labels), self.lines[i], damaged))
        return end

    def figure(self, i: int, match: re.Match[str]) -> int:
        options: dict[str, Target] = {}
        rest_text = match.group("rest")
        for found in _FIGURE_ROLE.finditer(rest_text):
            options[found.group("kind")] = Target(found.group("v").strip(), self.lines[i])
        rest = _FIGURE_ROLE.sub("", rest_text).strip()
        end = i + 1
        nxt = self.next_nonblank(end)
        role = self.role_line(nxt, "label", "width", "height")
        while role is not None:
            options[role[0]] = Target(role[1], self.lines[nxt])
            end = nxt + 1
            nxt = self.next_nonblank(end)
            role = self.role_line(nxt, "label", "width", "height")
        caption = match.group("caption")
        width, height = options.get("width"), options.get("height")
        self.add(
            Figure(
                re.sub(r"\s+", "", match.group("src")),
                self.inline([i], [caption]) if caption else None,
                options.get("label"),
                width.name if width else None,
                height.name if height else None,
                self.lines[i],
            )
        )
        if rest:
            self.lead = (i, rest)
        return end

    def table(self, i: int) -> int | None:
        caption: int | None = None
        label: Target | None = None
        j = i
        found = self.target(j, "label")
        if found is not None:
            label, j = found, self.next_nonblank(j + 1)
        cap = grammar.CAPTION.match(self.text(j).strip())
        if cap is not None:
            caption = j
            j = self.next_nonblank(j + 1)
        found = self.target(j, "label")
        if found is not None and label is None:
            label, j = found, self.next_nonblank(j + 1)
        if not self.is_table_start(j):
            return None
        rows: list[int] = []
        k = j
        while k < len(self.raw) and "|" in self.text(k) and self.text(k).strip():
            rows.append(k)
            k += 1
        end = k
        found = self.target(self.next_nonblank(k), "label")
        if found is not None and label is None:
            label, end = found, self.next_nonblank(k) + 1
        texts = [self.raw[r].strip() for r in rows]
        texts = [t if t.startswith("|") else "| " + t for t in texts]
        caption_inline = None
        if caption is not None:
            matched = grammar.CAPTION.match(self.raw[caption].strip())
            text = matched.group("caption").strip() if matched else ""
            caption_inline = self.inline([caption], [text])
        first = self.lines[caption] if caption is not None else self.lines[rows[0]]
        self.add(Table(caption_inline, label, self.inline(rows, texts), first, self.lines[end - 1]))
        return end


def parse_blocks(raw: Sequence[str], lines: Sequence[int]) -> tuple[Element, ...]:
    """The elements of consecutive prose lines `raw` (book lines `lines`)."""
    return tuple(_Scanner(raw, lines).run())
