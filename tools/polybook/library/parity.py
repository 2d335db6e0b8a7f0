"""Which framework modules define which names (`polybook lib --parity`).

Names are the top-level functions, classes and assigned names of each module
(imports excluded), and the methods of its classes as ``Class.method``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping


def assigned_names(node: ast.expr) -> Iterator[str]:
    """The names an assignment target binds (`a`, `a, (b, c)`)."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from assigned_names(element)


def defined_names(text: str) -> set[str] | None:
    """The names a module defines; None when it does not parse."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}.{member.name}")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(assigned_names(target))
        elif isinstance(node, ast.AnnAssign):
            names.update(assigned_names(node.target))
    return names


def parity(modules: Mapping[str, str]) -> tuple[dict[str, list[str]], list[str]]:
    """name -> the frameworks defining it (configuration order), and the
    frameworks whose module does not parse."""
    table: dict[str, list[str]] = {}
    broken: list[str] = []
    for fw, text in modules.items():
        names = defined_names(text)
        if names is None:
            broken.append(fw)
            continue
        for name in names:
            table.setdefault(name, []).append(fw)
    return dict(sorted(table.items(), key=lambda item: item[0].lower())), broken


def format_parity(modules: Mapping[str, str]) -> str:
    """A table: one row per name, one column per framework module."""
    frameworks = list(modules)
    table, broken = parity(modules)
    width = max([len(n) for n in table] + [4])
    head = "name".ljust(width) + "  " + "  ".join(frameworks)
    rows = [head, "-" * len(head)]
    for name, present in table.items():
        marks = ["x".center(len(fw)) if fw in present else ".".center(len(fw)) for fw in frameworks]
        rows.append(name.ljust(width) + "  " + "  ".join(marks))
    everywhere = sum(1 for present in table.values() if len(present) == len(frameworks))
    rows.append(f"{len(table)} names, {everywhere} in every module")
    rows.extend(f"{fw}: module does not parse, not counted" for fw in broken)
    return "\n".join(rows)
