"""Import normalisation of saved blocks, as the existing library files expect.

The old toolchain passes every saved block that contains ``import `` through
isort with all sections run together (no blank line between them). This
module reproduces that result for the import forms real books save:

* each top-level run of `import`/`from ... import` statements (blank lines
  between them allowed) is sorted into sections: `__future__`, standard
  library, third party, first party (a package or module at the book root),
  relative; within a section plain imports come before `from` imports;
  modules compare case-insensitively in natural order; names imported from a
  module are ordered constants, classes, then the rest; duplicates go;
* a run followed by code gets one blank line after it, two before a
  `def`/`class`/decorator.

Runs in other forms (comments between the imports, a statement over several
lines, several statements on a line, a star import, a line longer than 79
characters) and imports nested in blocks are left as written and reported.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

_LINE_LENGTH = 79
_STDLIB = frozenset(sys.stdlib_module_names)
_FUTURE, _STDLIB_SECTION, _THIRD, _FIRST, _LOCAL = range(5)
_DEFINITION = ("def ", "class ", "@", "async def ")
_Line = tuple[str, int]  # an output line and the 0-based input line it comes from


@dataclass(slots=True)
class _Section:
    straight: dict[str, list[str | None]] = field(default_factory=dict)  # module -> as-names
    froms: dict[str, dict[str, list[str | None]]] = field(default_factory=dict)
    # (module, name or "", as-name) -> 0-based line of the first statement importing it
    first: dict[tuple[str, str, str | None], int] = field(default_factory=dict)

    def note(self, key: tuple[str, str, str | None], line: int) -> None:
        self.first.setdefault(key, line)


class Normalised(NamedTuple):
    """A block with its import runs normalised."""

    text: str
    skipped: list[int]  # 0-based lines (of the input) of the runs left as written
    origin: tuple[int, ...]  # for each line of `text`, the 0-based input line it comes from


def _natural(text: str) -> list[int | str]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.lower())]


def _module_key(module: str) -> list[int | str]:
    dots = re.match(r"^(\.+)(.*)$", module)
    if dots is not None:
        module = f"{dots.group(1)}_{dots.group(2)}"
    return _natural(module)


def _name_key(name: str) -> list[int | str]:
    if name.isupper() and len(name) > 1:
        kind = "A"
    elif name[:1].isupper():
        kind = "B"
    else:
        kind = "C"
    return [kind, *_natural(name)]


def _section_of(module: str, first_party: frozenset[str]) -> int:
    if module.startswith("."):
        return _LOCAL
    root = module.split(".", 1)[0]
    if root == "__future__":
        return _FUTURE
    if root in _STDLIB:
        return _STDLIB_SECTION
    if root in first_party:
        return _FIRST
    return _THIRD


def _add(bucket: list[str | None], alias: str | None) -> None:
    if alias not in bucket:
        bucket.append(alias)


def _sorted_lines(statements: Iterable[ast.stmt], first_party: frozenset[str]) -> list[_Line]:
    """The import lines of a run, each with the 0-based line of the first
    statement that imports (one of) its names."""
    sections: dict[int, _Section] = {}
    for node in statements:
        line = node.lineno - 1
        if isinstance(node, ast.Import):
            for alias in node.names:
                section = sections.setdefault(_section_of(alias.name, first_party), _Section())
                _add(section.straight.setdefault(alias.name, []), alias.asname)
                section.note((alias.name, "", alias.asname), line)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            section = sections.setdefault(_section_of(module, first_party), _Section())
            names = section.froms.setdefault(module, {})
            for alias in node.names:
                _add(names.setdefault(alias.name, []), alias.asname)
                section.note((module, alias.name, alias.asname), line)
    out: list[_Line] = []
    for number in sorted(sections):
        section = sections[number]
        for module in sorted(section.straight, key=_module_key):
            aliases = section.straight[module]
            if None in aliases:
                out.append((f"import {module}", section.first[(module, "", None)]))
            out.extend(
                (f"import {module} as {a}", section.first[(module, "", a)])
                for a in aliases
                if a is not None
            )
        for module in sorted(section.froms, key=_module_key):
            out.extend(_from_lines(module, section.froms[module], section.first))
    return out


def _from_lines(
    module: str,
    names: dict[str, list[str | None]],
    first: dict[tuple[str, str, str | None], int],
) -> list[_Line]:
    out: list[_Line] = []
    group: list[str] = []

    def flush() -> None:
        if group:
            line = min(first[(module, name, None)] for name in group)
            out.append((f"from {module} import {', '.join(group)}", line))
            group.clear()

    for name in sorted(names, key=_name_key):
        aliases = names[name]
        if all(a is None for a in aliases):
            group.append(name)
            continue
        flush()
        if None in aliases:
            out.append((f"from {module} import {name}", first[(module, name, None)]))
        for alias in sorted((a for a in aliases if a is not None), key=_natural):
            out.append((f"from {module} import {name} as {alias}", first[(module, name, alias)]))
    flush()
    return out


def _simple(node: ast.stmt, lines: list[str]) -> bool:
    """One import statement alone on one line, without a comment."""
    if node.lineno != node.end_lineno or node.col_offset != 0 or node.end_col_offset is None:
        return False
    if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
        return False
    if isinstance(node, ast.Import) and len(node.names) > 1 and any(a.asname for a in node.names):
        return False  # isort drops names of such statements in ways not reproduced here
    return not lines[node.lineno - 1][node.end_col_offset :].strip()


def _runs(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """Consecutive top-level import statements (only blank or comment lines between)."""
    runs: list[list[ast.stmt]] = []
    current: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            current.append(node)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def normalise_imports(block: str, first_party: frozenset[str]) -> Normalised:
    """`block` with its top-level import runs normalised."""
    unchanged = Normalised(block, [], tuple(range(block.count("\n") + 1)))
    if "import " not in block:
        return unchanged
    try:
        tree = ast.parse(block)
    except SyntaxError:
        return unchanged
    lines = block.split("\n")
    origin = list(unchanged.origin)
    skipped: list[int] = []
    # Work bottom-up so that earlier line numbers stay valid.
    for run in reversed(_runs(tree.body)):
        start, end = run[0].lineno - 1, (run[-1].end_lineno or run[-1].lineno) - 1
        inner = lines[start : end + 1]
        if not all(_simple(node, lines) for node in run) or any(
            line.strip().startswith("#") for line in inner
        ):
            skipped.append(start)
            continue
        new = _sorted_lines(run, first_party)
        if any(len(text) > _LINE_LENGTH for text, _ in new):
            skipped.append(start)
            continue
        after = end + 1
        while after < len(lines) and not lines[after].strip():
            after += 1
        following: list[_Line] = []
        if after < len(lines):
            code = next((ln for ln in lines[after:] if ln.strip() and not ln.startswith("#")), "")
            # blank lines stand for those they replace (or for the run's last line)
            following = [("", min(end + 1 + k, after - 1)) for k in range(2)]
            following = following[: 2 if code.startswith(_DEFINITION) else 1]
        lines[start:after] = [text for text, _ in new + following]
        origin[start:after] = [line for _, line in new + following]
    return Normalised("\n".join(lines), sorted(skipped), tuple(origin))
