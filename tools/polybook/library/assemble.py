"""Class assembly: `@d2l.add_to_class(C)` methods go inside `class C` (`d2l`:
the book's library, as its code names it).

A saved block whose first line starts with `class` registers that class (a
later definition of the same name replaces the registration). A block that
contains `@d2l.add_to_class(...)` lines is cut at each of them; each piece,
decorator dropped, is appended to the registered class's block, indented by
four spaces. `d2l.C` and `C` name the same class.

Compat mode keeps three defects of the existing files: a method re-added to a
class appears twice in its body (the later one wins at run time); a method
added to a class whose saved block goes on after the class body lands after
that trailing code (nested in it); and `@d2l.add_to_class` methods saved in
the same block as their class stay top-level decorated functions. Clean mode
replaces an earlier definition in place, puts new methods at the end of the
class body (top-level code saved after a method stays top-level), and merges
methods saved together with their class.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from polybook.diagnostics import Code, Diagnostic, Severity
from polybook.library.model import Mode, SavedBlock
from polybook.library.notes import split_before

_CLASS = re.compile(r"class +(\w+)")
_DEF = re.compile(r"^(?:async +)?def +(\w+)")


def _method_name(lines: list[str]) -> str | None:
    for line in lines:
        found = _DEF.match(line)
        if found is not None:
            return found.group(1)
    return None


def _split_method(lines: list[str]) -> tuple[list[str], str]:
    """A method (decorators, `def` line, body) and the top-level code after it."""
    start = next((i for i, line in enumerate(lines) if _DEF.match(line)), len(lines))
    for i in range(start + 1, len(lines)):
        if lines[i].strip() and not lines[i].startswith((" ", "\t")):
            return lines[:i], "\n".join(lines[i:]).strip()
    return lines, ""


def _defines(class_text: str, method: str) -> bool:
    return re.search(rf"^    (?:async +)?def +{re.escape(method)}\(", class_text, re.M) is not None


def _merge_clean(class_text: str, name: str, method: list[str]) -> str | None:
    """`class_text` with `method` put in class `name`: in place of an earlier
    definition of the same method, else at the end of the class body. None if
    the class block does not parse."""
    try:
        tree = ast.parse(class_text)
    except SyntaxError:
        return None
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
    if node is None:
        return None
    body = [("    " + line) if line.strip() else "" for line in method]
    while body and not body[-1]:
        body.pop()
    lines = class_text.split("\n")
    method_name = _method_name(method)
    same = [
        n
        for n in node.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == method_name
    ]
    if not same:
        end = node.end_lineno or node.lineno
        lines[end:end] = ["", *body]
        return "\n".join(lines)
    for old in reversed(same):
        start = min([old.lineno] + [d.lineno for d in old.decorator_list]) - 1
        end = old.end_lineno or old.lineno
        lines[start:end] = body if old is same[0] else []
        if old is not same[0] and start < len(lines) and not lines[start - 1].strip():
            del lines[start - 1]  # the blank line before a removed duplicate
    return "\n".join(lines)


@dataclass(slots=True)
class _Assembler:
    mode: Mode
    library: str
    out: list[str] = field(default_factory=list)
    classes: dict[str, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, text: str, block: SavedBlock, offset: int = 0) -> None:
        """Add `text`, the lines of `block.text` from line `offset` on."""
        lines = text.split("\n")
        starts_class = lines[0].startswith("class")
        add = f"@{self.library}.add_to_class"
        if add not in text or (starts_class and self.mode is Mode.COMPAT):
            self.out.append(text)
            found = _CLASS.search(lines[0]) if starts_class else None
            if found is not None:
                self.classes[found.group(1)] = len(self.out) - 1
            return
        parts = split_before(lines, lambda line: line.startswith(add))
        head = "\n".join(parts[0]).rstrip()
        if head:
            self.add(head, block, offset)
        at = offset + len(parts[0])
        for part in parts[1:]:
            self._method(part, block, block.book_line(at))
            at += len(part)

    def _method(self, part: list[str], block: SavedBlock, line: int) -> None:
        """Add a method (`part`: decorator, `def`, body; `line`: the decorator's
        page line)."""
        target = re.search(rf"@{re.escape(self.library)}\.add_to_class\(([.\w]+)\)", part[0])
        name = target.group(1).split(".")[-1] if target is not None else None
        index = self.classes.get(name) if name is not None else None
        if index is None or name is None:
            self.diagnostics.append(_unknown(block.file, line, part[0], name, self.mode))
            if name is not None or self.mode is Mode.CLEAN:
                self.out.append("\n".join(part))
            return
        method = part[1:]
        if self.mode is Mode.CLEAN:
            method, rest = _split_method(method)
            merged = _merge_clean(self.out[index], name, method)
            if merged is not None:
                self.out[index] = merged
                if rest:
                    self.out.append(rest)
                return
            method = part[1:]
        method_name = _method_name(method)
        if method_name is not None and _defines(self.out[index], method_name):
            self.diagnostics.append(
                Diagnostic.make(
                    Code.LIBRARY_DUPLICATE_METHOD,
                    block.file,
                    line,
                    f"method {name}.{method_name} is already in the class body: the "
                    "library defines it twice, the later one wins (--clean keeps one)",
                )
            )
        self.out[index] += "\n\n" + "\n".join("    " + line for line in method)


def assemble(
    blocks: list[tuple[str, SavedBlock]], mode: Mode, library: str
) -> tuple[list[str], list[Diagnostic]]:
    """Blocks (text with notes, origin) -> the top-level chunks of a module of
    `library` (the name its code uses for the library)."""
    assembler = _Assembler(mode, library)
    for text, block in blocks:
        assembler.add(text, block)
    return assembler.out, assembler.diagnostics


def _unknown(file: str, line: int, decorator: str, name: str | None, mode: Mode) -> Diagnostic:
    if name is None:
        kept = "kept as written" if mode is Mode.CLEAN else "dropped, as d2lbook does"
        return Diagnostic.make(
            Code.LIBRARY_ADD_TO_CLASS,
            file,
            line,
            f"{decorator.strip()!r} does not name a class: the method is {kept}",
            severity=Severity.WARNING,
        )
    return Diagnostic.make(
        Code.LIBRARY_ADD_TO_CLASS,
        file,
        line,
        f"{decorator.strip()!r}: no class {name} is saved earlier in this library (a saved "
        "block must start with `class`): the method is kept as written",
    )
