"""IPython-only lines (magics, shell escapes) inside Python cells.

`%matplotlib inline`, `!pip list` or `files = !ls` are valid in a notebook but
not Python: tools that parse Python (libcst, ast) see masked lines instead.
This is the one masker of the package: the alias rewrite, `tab.selected`
resolution and the Python validity check all parse `mask(source)[0]`.
"""

from __future__ import annotations

import re

IPYTHON_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:[%!]|[\w.]+\s*=\s*[%!])")
_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)__polybook_ipython_(?P<n>\d+)__$")


def mask(source: str) -> tuple[str, list[str]]:
    """Replace IPython-only lines with unique placeholder expressions (one line
    each: line numbers are kept), and the lines they replace."""
    originals: list[str] = []
    out = []
    for line in source.split("\n"):
        match = IPYTHON_LINE.match(line)
        if match is None:
            out.append(line)
            continue
        out.append(f"{match.group('indent')}__polybook_ipython_{len(originals)}__")
        originals.append(line[len(match.group("indent")) :])
    return "\n".join(out), originals


def unmask(source: str, originals: list[str]) -> str:
    """Put masked lines back, at the indentation their placeholder has now."""
    if not originals:
        return source
    out = []
    for line in source.split("\n"):
        match = _PLACEHOLDER.match(line)
        if match is None:
            out.append(line)
        else:
            out.append(match.group("indent") + originals[int(match.group("n"))])
    return "\n".join(out)
