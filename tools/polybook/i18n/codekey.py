"""What a line of code means for a translation: its text without comments,
with the string literals a translator may translate set aside.

Two code cells are the same code when their code lines (blank and
comment-only lines left out) have equal keys. A key is the line without its
comment (found by Python's tokenizer, so a `#` in a string stays), trailing
space removed; a one-line string literal whose value reads as words (plot
titles, legends: letters, spaces and punctuation, no format fields) is
replaced by a placeholder, so a translated title is not a code change. The
literals that differ are reported separately (`CodeLine.strings`).
IPython lines (`%matplotlib inline`, `!ls`) are read through the split
stage's masker; code the tokenizer cannot read is compared as written.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from enum import StrEnum

from polybook.split.ipython import mask

PLACEHOLDER = "'\x00text\x00'"
_WORDS = re.compile(r"^[^\W\d_][^\n{}%]*$")


class LineKind(StrEnum):
    CODE = "code"
    COMMENT = "comment"  # a comment alone on its line
    BLANK = "blank"


@dataclass(frozen=True, slots=True)
class CodeLine:
    index: int  # 0-based line of the cell's source
    text: str  # as written
    kind: LineKind
    key: str  # the code without comment, text literals as PLACEHOLDER
    strings: tuple[str, ...] = ()  # the text literals set aside, in order


def is_text_literal(token: str) -> bool:
    """A one-line string literal whose value reads as words."""
    if "\n" in token or token[:1] not in "'\"" or token.startswith(("'''", '"""')):
        return False
    try:
        value = ast.literal_eval(token)
    except (ValueError, SyntaxError):
        return False
    return isinstance(value, str) and _WORDS.match(value) is not None


def code_lines(source: str) -> list[CodeLine]:
    """Every line of a cell's source with its kind and key."""
    lines = source.split("\n")
    masked, _ = mask(source)
    comment_at: dict[int, int] = {}  # row -> column where its comment starts
    literals: dict[int, list[tuple[int, int, str]]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(masked).readline):
            row, col = token.start
            if token.type == tokenize.COMMENT:
                comment_at[row - 1] = col
            elif (
                token.type == tokenize.STRING
                and token.start[0] == token.end[0]
                and is_text_literal(token.string)
            ):
                literals.setdefault(row - 1, []).append((col, token.end[1], token.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        comment_at, literals = {}, {}
    out: list[CodeLine] = []
    for i, text in enumerate(lines):
        code = text[: comment_at[i]] if i in comment_at else text
        if not text.strip():
            out.append(CodeLine(i, text, LineKind.BLANK, ""))
            continue
        if not code.strip():
            out.append(CodeLine(i, text, LineKind.COMMENT, ""))
            continue
        strings: list[str] = []
        key = code
        for start, end, literal in sorted(literals.get(i, []), reverse=True):
            key = key[:start] + PLACEHOLDER + key[end:]
            strings.insert(0, literal)
        out.append(CodeLine(i, text, LineKind.CODE, key.rstrip(), tuple(strings)))
    return out


def code_keys(source: str) -> list[str]:
    """The keys of the code lines of `source` (what comparing cells compares)."""
    return [line.key for line in code_lines(source) if line.kind is LineKind.CODE]


def same_code(a: str, b: str) -> bool:
    return code_keys(a) == code_keys(b)
