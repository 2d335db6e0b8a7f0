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
from dataclasses import dataclass, replace
from typing import Any

from polybook.execute.settings import allows_error

KEY_FORMAT = 3


def semantic_source(source: str) -> str:
    """The code without its comments (they cannot change outputs).

    Comments are found with the tokenizer, so `#` inside strings stays; code
    the tokenizer rejects (IPython syntax it cannot read) is kept as is.
    """
    if "#" not in source:
        return source
    lines = source.split("\n")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    for token in reversed(tokens):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            lines[row - 1] = lines[row - 1][:col].rstrip()
    return "\n".join(line for line in lines if line.strip())


@dataclass(frozen=True, slots=True)
class CodeCell:
    index: int  # position in the notebook's cell list
    source: str
    allow_error: bool
    file: str
    line: int


def code_cells(notebook: dict[str, Any]) -> list[CodeCell]:
    out: list[CodeCell] = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        meta = cell.get("metadata", {})
        tags = meta.get("tags", [])
        position = meta.get("polybook", {})
        out.append(
            CodeCell(
                index,
                source,
                allows_error(source, list(tags) if isinstance(tags, list) else []),
                str(position.get("file", "")),
                int(position.get("line", 0) or 0),
            )
        )
    return out


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
        document = {
            "format": KEY_FORMAT,
            "page": self.page,
            "framework": self.framework,
            "code": [[source, allow] for source, allow in self.code],
            "env": self.env,
            "library": [list(item) for item in self.library],
            "kernel_vars": [list(item) for item in self.kernel_vars],
            "gpus": self.gpus,
            "allow_errors": self.allow_errors,
        }
        text = json.dumps(document, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()
