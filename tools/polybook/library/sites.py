"""Where each library definition is saved in the book: `name` (a function,
class or assigned name) or `Class.method` -> the page file and line of the
`#@save` code that defines it last (later definitions win, as at import).

Positions come from the saved blocks' line maps (`SavedBlock.lines`), never
from searching the pages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from polybook.library.model import SavedBlock
from polybook.library.parity import assigned_names

Site = tuple[str, int]


def _start(node: ast.stmt) -> int:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return node.lineno


def _added_to(node: ast.FunctionDef | ast.AsyncFunctionDef, library: str) -> str | None:
    """The class of an `@<library>.add_to_class(C)` (or `@add_to_class(C)`) method."""
    for deco in node.decorator_list:
        if not isinstance(deco, ast.Call) or len(deco.args) != 1:
            continue
        func, arg = deco.func, deco.args[0]
        named = (isinstance(func, ast.Name) and func.id == "add_to_class") or (
            isinstance(func, ast.Attribute)
            and func.attr == "add_to_class"
            and isinstance(func.value, ast.Name)
            and func.value.id == library
        )
        if not named:
            continue
        if isinstance(arg, ast.Name):
            return arg.id
        if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name):
            return arg.attr
    return None


def _names(node: ast.stmt, library: str) -> Iterator[tuple[str, ast.stmt]]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        owner = _added_to(node, library)
        yield (f"{owner}.{node.name}" if owner else node.name), node
    elif isinstance(node, ast.ClassDef):
        yield node.name, node
        for member in node.body:
            if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                yield f"{node.name}.{member.name}", member
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            for name in assigned_names(target):
                yield name, node
    elif isinstance(node, ast.AnnAssign):
        for name in assigned_names(node.target):
            yield name, node


def definition_sites(blocks: Sequence[SavedBlock], library: str) -> dict[str, Site]:
    """name -> (page file, page line) of its last definition in `blocks`."""
    sites: dict[str, Site] = {}
    for block in blocks:
        try:
            tree = ast.parse(block.text)
        except SyntaxError:
            continue
        for node in tree.body:
            for name, where in _names(node, library):
                sites[name] = (block.file, block.book_line(_start(where) - 1))
    return sites
