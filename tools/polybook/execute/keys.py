"""Cache keys: a hash of everything that can change a notebook's outputs.

In the key: the page path (relative to the language root: the same page in
every language), the framework, the code cells in order (after split and
alias rewriting, with their allow-error state; comments left out, so a
translation that only translates comments reuses the source language's run),
the framework environment's fingerprint (it covers installed packages, so a
page's `required_libs` request is not in the key), the hashes of the library
definitions the code uses (transitively), and the execution settings that
reach the kernel (variables, GPU count, allow-errors). Not in the key:
language, prose, markdown cells, timeouts (a successful run's outputs do not
depend on them), paths, mtimes, polybook's version.
"""

from __future__ import annotations

import hashlib
import io
import json
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, replace

from polybook.execute.settings import allows_error
from polybook.split.model import Cell

KEY_FORMAT = 3


def semantic_lines(source: str) -> tuple[list[str], tuple[int, ...]]:
    """The lines of `source` with comments removed, and the 0-based indices of
    those that `semantic_source` keeps (in order).

    Comments are found with the tokenizer, so `#` inside strings stays; code
    the tokenizer rejects (IPython syntax it cannot read) is kept as is.
    """
    lines = source.split("\n")
    if "#" not in source:
        return lines, tuple(range(len(lines)))
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return lines, tuple(range(len(lines)))
    for token in reversed(tokens):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            lines[row - 1] = lines[row - 1][:col].rstrip()
    return lines, tuple(i for i, line in enumerate(lines) if line.strip())


def semantic_source(source: str) -> str:
    """The code without its comments (they cannot change outputs); a cell with
    a comment also loses its blank lines."""
    if "#" not in source:
        return source
    lines, kept = semantic_lines(source)
    return "\n".join(lines[i] for i in kept)


def code_parts(cells: Sequence[Cell]) -> tuple[tuple[str, bool], ...]:
    """The key's view of a notebook's code cells: code without comments, and
    whether the cell may raise."""
    return source_parts([c.source for c in cells])


def source_parts(sources: Sequence[str]) -> tuple[tuple[str, bool], ...]:
    """`code_parts` of code cells given by their sources."""
    return tuple((semantic_source(s), allows_error(s)) for s in sources)


@dataclass(frozen=True, slots=True)
class KeyParts:
    page: str
    framework: str
    code: tuple[tuple[str, bool], ...]
    env: str
    library: tuple[tuple[str, str], ...]
    kernel_vars: tuple[tuple[str, str], ...]
    gpus: int
    allow_errors: bool

    def with_env(self, env: str) -> KeyParts:
        return replace(self, env=env)

    def key(self) -> str:
        document = {"format": KEY_FORMAT, **self.to_json()}
        text = json.dumps(document, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def to_json(self) -> dict[str, object]:
        """Everything the key hashes, kept with the cache entry (`explain.py`
        compares a page's previous parts with its current ones)."""
        return {
            "page": self.page,
            "framework": self.framework,
            "code": [[source, allow] for source, allow in self.code],
            "env": self.env,
            "library": [list(item) for item in self.library],
            "kernel_vars": [list(item) for item in self.kernel_vars],
            "gpus": self.gpus,
            "allow_errors": self.allow_errors,
        }

    @classmethod
    def from_json(cls, data: object) -> KeyParts | None:
        """The parts `to_json` wrote; None for anything else."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                page=str(data["page"]),
                framework=str(data["framework"]),
                code=tuple((str(src), bool(allow)) for src, allow in data["code"]),
                env=str(data["env"]),
                library=tuple((str(n), str(h)) for n, h in data["library"]),
                kernel_vars=tuple((str(n), str(v)) for n, v in data["kernel_vars"]),
                gpus=int(data["gpus"]),
                allow_errors=bool(data["allow_errors"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
