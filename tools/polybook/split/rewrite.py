"""Rewriting `d2l.xxx` aliases in notebook code into native calls (`d2l`: the
book's library, `BookConfig.library_dir`).

Readers of a framework's page see what the alias stands for: `d2l.exp(x)`
becomes `torch.exp(x)`, `d2l.numpy(t)` becomes `t.detach().numpy()`. The
rewrite works on the syntax tree (libcst), so `d2l.log` never matches the
start of `d2l.logsumexp`, and string literals and comments stay as written.
`reverse_alias` entries are regular expressions applied to the code outside
string literals and comments, each match within one line. A cell is parsed
only when it names an alias (parsing costs ~2 ms a cell); its IPython lines
(`%time`, `!ls`, `files = !ls`) are masked for the parse (`split.ipython`) and
put back as written.

Every line of a rewritten cell keeps its book line: the regular expressions
leave lines where they are, and the syntax-tree part, which can join the
lines of a call (`d2l.clip(x,\n low=0)` -> `torch.clamp(x, min=0)`), traces
each line to the line of its first token.
"""

from __future__ import annotations

import re
from dataclasses import replace

from polybook.split.aliases import AliasTable
from polybook.split.ipython import mask, unmask
from polybook.split.model import CellKind, Notebook

_STRING_OR_COMMENT = re.compile(
    r"#[^\n]*"
    r"|(?<!\w)[rRbBuUfF]{0,2}"
    r"(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\""
    r"|'(?:\\.|[^\\'\n])*'|\"(?:\\.|[^\\\"\n])*\")",
    re.DOTALL,
)
_HOLE = re.compile("\x00(\\d+)\x00")
_MENTIONS: dict[tuple[str, frozenset[str]], re.Pattern[str]] = {}


def _mentions(table: AliasTable) -> re.Pattern[str] | None:
    names = table.names
    if not names:
        return None
    pattern = _MENTIONS.get((table.library, names))
    if pattern is None:
        alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
        library = re.escape(table.library)
        pattern = re.compile(rf"\b{library}\s*\.\s*(?:{alternatives})\b")
        _MENTIONS[table.library, names] = pattern
    return pattern


def _reverse(source: str, table: AliasTable) -> str:
    """Apply the regular-expression aliases outside strings and comments, each
    match within one line (so that every line stays where it was)."""
    if not any(regex.search(source) for regex, _ in table.reverse):
        return source
    holes: list[str] = []

    def hide(match: re.Match[str]) -> str:
        holes.append(match.group(0))
        return f"\x00{len(holes) - 1}\x00"

    def restore(text: str) -> str:
        return _HOLE.sub(lambda m: holes[int(m.group(1))], text)

    masked = _STRING_OR_COMMENT.sub(hide, source)
    for regex, replacement in table.reverse:

        def substitute(match: re.Match[str], replacement: str = replacement) -> str:
            expanded = match.expand(replacement)
            if "\n" in restore(match.group(0)) or "\n" in restore(expanded):
                return match.group(0)
            return expanded

        masked = regex.sub(substitute, masked)
    return restore(masked)


def _rewrite(source: str, table: AliasTable) -> tuple[str, tuple[int, ...] | None, str | None]:
    """`source` with its aliases rewritten; for each of its lines the 0-based
    line of `source` it comes from (None: line for line); and why the
    syntax-tree part was skipped (the cell does not parse), or None."""
    if table.library not in source:
        return source, None, None
    if table.reverse:
        source = _reverse(source, table)
    mentions = _mentions(table)
    if mentions is None or mentions.search(source) is None:
        return source, None, None
    from polybook.split.astalias import rewrite_fast

    masked, originals = mask(source)
    fast = rewrite_fast(masked, table)
    if fast is not None:
        return unmask(fast[0], originals), fast[1], None
    from polybook.split.cstalias import rewrite_tree

    result = rewrite_tree(masked, table)
    if result is None:
        return source, None, "the cell does not parse as Python"
    text, origin = result
    return unmask(text, originals), origin, None


def rewrite_source(source: str, table: AliasTable) -> tuple[str, str | None]:
    """`source` with its aliases rewritten, and why the syntax-tree part was
    skipped (the cell does not parse), or None."""
    text, _, error = _rewrite(source, table)
    return text, error


def rewrite_notebook(notebook: Notebook, table: AliasTable) -> tuple[Notebook, list[int]]:
    """`notebook` with the aliases of its code cells rewritten (cell magics such
    as `%%bash` excepted), and the source lines of the cells left as they are
    because they do not parse."""
    if table.empty:
        return notebook, []
    failed: list[int] = []
    cells = list(notebook.cells)
    for i, cell in enumerate(cells):
        if cell.kind is not CellKind.CODE or cell.source.startswith("%%"):
            continue
        source, origin, error = _rewrite(cell.source, table)
        if error is not None:
            failed.append(cell.line)
        if source != cell.source:
            lines = None if origin is None else [cell.book_line(k) for k in origin]
            cells[i] = cell.with_source(source, lines)
    return replace(notebook, cells=tuple(cells)), failed
