"""Inline text -> tokens (DIALECT §6-§7), each with its book line.

A left-to-right scanner over a block's text (its lines joined by newlines).
Code spans and math are taken whole, so roles and marks inside them stay
text; roles, slide marks, slide-only text, bare `<word>` pseudo-tags and
images become tokens. Every token keeps the newlines of its source text
(slide-only text included), so a consumer can map each output line back.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from polybook.source import grammar
from polybook.source.elements import Inline, Token, TokenKind

_SPECIAL = re.compile(r"[\\`$:(\[<!*]")
_TICKS = re.compile(r"`+")


class _Scanner:
    def __init__(self, text: str, lines: Sequence[int]) -> None:
        self.text = text
        self.lines = lines
        self.tokens: list[Token] = []
        self.closers: set[int] = set()
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.plain_from = 0

    def line(self, pos: int) -> int:
        return self.lines[bisect.bisect_right(self.starts, pos) - 1]

    def emit(self, kind: TokenKind, start: int, end: int, **fields: str | bool) -> None:
        self.text_until(start)
        text = self.text[start:end]
        self.tokens.append(Token(kind, text, self.line(start), **fields))  # type: ignore[arg-type]
        self.plain_from = end

    def text_until(self, pos: int) -> None:
        if pos > self.plain_from:
            text = self.text[self.plain_from : pos]
            self.tokens.append(Token(TokenKind.TEXT, text, self.line(self.plain_from)))
        self.plain_from = max(self.plain_from, pos)

    def run(self) -> list[Token]:
        text, n, i = self.text, len(self.text), 0
        while i < n:
            match = _SPECIAL.search(text, i)
            if match is None:
                break
            i = self.step(match.start())
        self.text_until(n)
        return self.tokens

    def step(self, i: int) -> int:
        """Handle the special character at `i`; return the next position."""
        text = self.text
        if i in self.closers:
            self.closers.discard(i)
            self.emit(TokenKind.MARK, i, i + 3)
            return i + 3
        c = text[i]
        if c == "\\":
            self.emit(TokenKind.ESCAPE, i, min(i + 2, len(text)))
            return i + 2
        if c == "`":
            return self.code_span(i)
        if c == "$":
            return self.math(i)
        if c == ":":
            role = grammar.ROLE.match(text, i)
            if role is not None and role.group("kind") in grammar.KNOWN_ROLES:
                return self.role(role)
        if c == "[":
            link = grammar.LINK_ROLE.match(text, i)
            if link is not None and link.group("kind") in grammar.REFERENCE_ROLES:
                label = link.group("text").strip().replace("<", "").replace(">", "")
                fields = {"role": link.group("kind"), "value": link.group("target"), "alt": label}
                self.emit(TokenKind.LINK_ROLE, i, link.end(), **fields)
                return link.end()
        head = text[i : i + 3]
        if head in grammar.SLIDE_MARKS:
            end = text.find(grammar.SLIDE_MARKS[head], i + 3)
            if end >= 0 and "\n\n" not in text[i:end]:
                self.closers.add(end)
                self.emit(TokenKind.MARK, i, i + 3)
                return i + 3
        if head in grammar.DROP_MARKS:
            end = text.find(grammar.DROP_MARKS[head], i + 3)
            if end >= 0 and "\n\n" not in text[i:end]:
                self.emit(TokenKind.DROPPED, i, end + 3)
                return end + 3
        if c == "<":
            tag = grammar.TAG.match(text, i)
            if tag is not None and tag.group("name").lower() not in grammar.HTML_TAGS:
                self.emit(TokenKind.TAG, i, tag.end())
                return tag.end()
        if c == "!":
            image = grammar.IMAGE.match(text, i)
            if image is not None:
                fields = {"value": image.group("src").strip(), "alt": image.group("alt")}
                self.emit(TokenKind.IMAGE, i, image.end(), **fields)
                return image.end()
        return i + 1

    def code_span(self, i: int) -> int:
        text = self.text
        found = _TICKS.match(text, i)
        ticks = found.group(0) if found is not None else "`"
        n = len(ticks)
        close = re.compile(rf"(?<!`){ticks}(?!`)").search(text, i + n)
        if close is None:
            return i + n  # unmatched ticks are text
        self.emit(TokenKind.CODE, i, close.end())
        return close.end()

    def math(self, i: int) -> int:
        text = self.text
        if text.startswith("$$", i):
            end = text.find("$$", i + 2)
            if end < 0:
                return i + 2
            self.emit(TokenKind.MATH, i, end + 2)
            return end + 2
        if i + 1 >= len(text) or text[i + 1].isspace():
            return i + 1
        k = i + 1
        while True:
            k = text.find("$", k)
            if k < 0 or "\n\n" in text[i:k]:
                return i + 1
            before = text[k - 1]
            after = text[k + 1] if k + 1 < len(text) else ""
            if not before.isspace() and before != "\\" and not after.isdigit():
                self.emit(TokenKind.MATH, i, k + 1)
                return k + 1
            k += 1

    def role(self, match: re.Match[str]) -> int:
        text = self.text
        kind, ticks = match.group("kind"), match.group("ticks")
        start = match.end()
        eol = text.find("\n", start)
        eol = len(text) if eol < 0 else eol
        close = text.find(ticks, start, eol)
        content = text[start:close].strip() if close >= 0 else ""
        end = close + len(ticks) if close >= 0 else start
        double = len(ticks) > 1
        if close >= 0 and grammar.valid_target(kind, content):
            if kind in grammar.TARGET_ROLES:
                token = TokenKind.TARGET
            elif kind in grammar.SETTING_ROLES:
                token = TokenKind.SETTING
            else:
                token = TokenKind.ROLE
            self.emit(token, match.start(), end, role=kind, value=content, double=double)
            return end
        # never closed, or not a valid target: the role's text after its ticks stays text
        rest = text[start:eol].strip().split()
        first = rest[0].strip("`,.;") if rest else ""
        self.emit(TokenKind.BAD_ROLE, match.start(), start, role=kind, value=first, double=double)
        return start


def scan(text: str, lines: Sequence[int]) -> tuple[Token, ...]:
    """The tokens of `text` (source lines joined by newlines; `lines`: their book lines)."""
    if _SPECIAL.search(text) is None:  # plain text: one token
        return (Token(TokenKind.TEXT, text, lines[0]),)
    return tuple(_Scanner(text, lines).run())


def tokenize(raw: Sequence[str], lines: Sequence[int]) -> Inline:
    """Consecutive source lines `raw` (book lines `lines`) as inline content."""
    return Inline(tuple(lines), tuple(raw))
