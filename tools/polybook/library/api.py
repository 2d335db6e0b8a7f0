"""The public API of the generated library modules, read with `ast` (never
imported), compared between frameworks and with an earlier release.

Public names: top-level functions, classes and assigned names that do not
start with `_` (imports are not API), and the methods of public classes that
do not start with `_` except `__init__` (the constructor's signature). A
function's signature is its parameter list as `ast.unparse` writes it
(annotations and defaults included, so formatting never counts); a class's
is its base list.

Between frameworks: a name some modules define and others lack is a gap; a
name whose signature differs between modules is a difference. Against an
earlier release (the same module's text then): a name gone is removed,
unless a new name of the same kind has the same body (then renamed); a name
whose signature changed is changed.
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from polybook.library.parity import assigned_names


class Kind(StrEnum):
    FUNCTION = "function"
    CLASS = "class"
    METHOD = "method"
    VALUE = "value"


@dataclass(frozen=True, slots=True)
class ApiName:
    name: str  # `f`, `C`, `C.m`, `X`
    kind: Kind
    signature: str  # `(x, y=1)`; a class: `(Base)`; a value: ""
    line: int  # in the module
    body: str  # hash of the definition less its name (renames keep it)

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind.value, "signature": self.signature, "line": self.line}


def _public(name: str, method: bool = False) -> bool:
    return not name.startswith("_") or (method and name == "__init__")


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    text = f"({ast.unparse(node.args)})"
    return f"{text} -> {ast.unparse(node.returns)}" if node.returns is not None else text


def _start(node: ast.stmt) -> int:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return node.lineno


def _body_hash(node: ast.AST) -> str:
    body = getattr(node, "body", None)
    parts = [ast.dump(s) for s in body] if isinstance(body, list) else [ast.dump(node)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _entries(node: ast.stmt) -> Iterator[ApiName]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        if _public(node.name):
            sig = _signature(node)
            yield ApiName(node.name, Kind.FUNCTION, sig, _start(node), _body_hash(node))
    elif isinstance(node, ast.ClassDef):
        if not _public(node.name):
            return
        bases = ", ".join(ast.unparse(b) for b in [*node.bases, *node.keywords])
        yield ApiName(node.name, Kind.CLASS, f"({bases})", _start(node), _body_hash(node))
        for member in node.body:
            if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef) and _public(
                member.name, method=True
            ):
                yield ApiName(
                    f"{node.name}.{member.name}",
                    Kind.METHOD,
                    _signature(member),
                    _start(member),
                    _body_hash(member),
                )
    elif isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            for name in assigned_names(target):
                if _public(name):
                    value = node.value if node.value is not None else node
                    yield ApiName(name, Kind.VALUE, "", node.lineno, _body_hash(value))


def module_api(text: str) -> dict[str, ApiName] | None:
    """The public names of one module (later definitions win); None when it
    does not parse."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    names: dict[str, ApiName] = {}
    for node in tree.body:
        for entry in _entries(node):
            names[entry.name] = entry
    return dict(sorted(names.items(), key=lambda item: (item[0].lower(), item[0])))


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Intended differences (`[api]` in the configuration): fnmatch patterns."""

    gaps: Mapping[str, Sequence[str]] = field(default_factory=dict)  # framework -> names
    removed: Sequence[str] = ()
    signatures: Sequence[str] = ()

    @staticmethod
    def _match(name: str, patterns: Sequence[str]) -> bool:
        return any(fnmatch.fnmatchcase(name, p) for p in patterns)

    def gap(self, framework: str, name: str) -> bool:
        return self._match(name, [*self.gaps.get(framework, ()), *self.gaps.get("*", ())])

    def removal(self, name: str) -> bool:
        return self._match(name, self.removed)

    def signature(self, name: str) -> bool:
        return self._match(name, self.signatures)


@dataclass(frozen=True, slots=True)
class Gap:
    name: str
    kind: Kind
    missing: tuple[str, ...]  # frameworks
    present: tuple[str, ...]
    declared: bool  # every missing framework is allowlisted


@dataclass(frozen=True, slots=True)
class Difference:
    name: str
    signatures: tuple[tuple[str, str], ...]  # (framework, signature), config order
    declared: bool


class ReleaseChange(StrEnum):
    REMOVED = "removed"
    RENAMED = "renamed"
    CHANGED = "changed"
    ADDED = "added"


@dataclass(frozen=True, slots=True)
class SinceChange:
    framework: str
    name: str
    change: ReleaseChange
    old: str = ""  # signature before (renamed: also)
    new: str = ""  # signature now
    new_name: str = ""  # renamed: the name now
    declared: bool = False


def _shown(entry: ApiName, with_kind: bool) -> str:
    """A signature as compared: with the kind when kinds differ (a class in
    one module, a function in another)."""
    if not with_kind:
        return entry.signature
    return f"{entry.kind.value} {entry.signature}".rstrip()


def compare_frameworks(
    apis: Mapping[str, Mapping[str, ApiName]], allow: Allowlist
) -> tuple[list[Gap], list[Difference]]:
    """Gaps and signature differences between framework modules (`apis` in
    configuration order)."""
    frameworks = list(apis)
    names = sorted({n for api in apis.values() for n in api}, key=str.lower)
    gaps: list[Gap] = []
    differences: list[Difference] = []
    for name in names:
        present = tuple(fw for fw in frameworks if name in apis[fw])
        missing = tuple(fw for fw in frameworks if name not in apis[fw])
        kind = apis[present[0]][name].kind
        if missing:
            declared = all(allow.gap(fw, name) for fw in missing)
            gaps.append(Gap(name, kind, missing, present, declared))
        kinds = {apis[fw][name].kind for fw in present}
        signatures = tuple((fw, _shown(apis[fw][name], len(kinds) > 1)) for fw in present)
        if (kinds != {Kind.VALUE}) and len({sig for _, sig in signatures}) > 1:
            differences.append(Difference(name, signatures, allow.signature(name)))
    return gaps, differences


def compare_releases(
    framework: str,
    old: Mapping[str, ApiName],
    new: Mapping[str, ApiName],
    allow: Allowlist,
) -> list[SinceChange]:
    """What changed in one module since an earlier release."""
    gone = [n for n in old if n not in new]
    added = [n for n in new if n not in old]
    renamed: dict[str, str] = {}
    for name in gone:
        before = old[name]
        match = [
            n
            for n in added
            if new[n].kind is before.kind
            and new[n].body == before.body
            and n not in renamed.values()
        ]
        if match:
            renamed[name] = match[0]
    changes: list[SinceChange] = []
    for name in gone:
        if name in renamed:
            target = new[renamed[name]]
            changes.append(
                SinceChange(
                    framework,
                    name,
                    ReleaseChange.RENAMED,
                    old[name].signature,
                    target.signature,
                    target.name,
                    allow.removal(name),
                )
            )
        else:
            changes.append(
                SinceChange(
                    framework,
                    name,
                    ReleaseChange.REMOVED,
                    old[name].signature,
                    declared=allow.removal(name),
                )
            )
    for name in sorted(set(old) & set(new)):
        if old[name].kind is not Kind.VALUE and old[name].signature != new[name].signature:
            changes.append(
                SinceChange(
                    framework,
                    name,
                    ReleaseChange.CHANGED,
                    old[name].signature,
                    new[name].signature,
                    declared=allow.signature(name),
                )
            )
    for name in added:
        if name not in renamed.values():
            changes.append(
                SinceChange(framework, name, ReleaseChange.ADDED, new=new[name].signature)
            )
    order = list(ReleaseChange)
    return sorted(changes, key=lambda c: (order.index(c.change), c.name.lower()))
