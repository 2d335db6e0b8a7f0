"""Which library definitions a notebook depends on.

``d2l`` below stands for the book's library (`BookConfig.library_dir`), the
name code uses it by; every function takes it as `library`.

`d2l/<module>.py` is parsed with `ast`: each top-level name (def, class,
assignment, import) maps to a hash of its statements (`ast.dump`, so comments,
formatting and line numbers do not count) and to the other top-level names it
references (bare names and `d2l.<name>`, since inside the library `d2l` is the
module itself). Statements that define no name form the module body, which
every user of the library depends on. A notebook depends on the closure of the
names it uses as `d2l.<name>` (or imports with `from d2l.<module> import ...`);
one that uses `d2l` any other way (passes the module around, `getattr`)
depends on the whole library.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from polybook.files import write_atomic

BODY = "<body>"
WHOLE = "<whole>"
_INDEX_FORMAT = 2


@dataclass(frozen=True, slots=True)
class _Patterns:
    """How code names one library."""

    use: re.Pattern[str]  # `d2l.<name>`
    word: re.Pattern[str]  # any `d2l`
    import_line: re.Pattern[str]  # `from d2l[.module] import ...`, `import d2l...`
    bound: re.Pattern[str]  # `... as d2l` (the module itself, not names in it)


@lru_cache(maxsize=8)
def _patterns(library: str) -> _Patterns:
    lib = re.escape(library)
    return _Patterns(
        re.compile(rf"\b{lib}\s*\.\s*([A-Za-z_]\w*)"),
        re.compile(rf"\b{lib}\b"),
        re.compile(
            rf"^[ \t]*(?:from[ \t]+{lib}(?:\.\w+)?[ \t]+import[ \t]+(?P<names>[^\n#]*)"
            rf"|import[ \t]+{lib}\b[^\n]*)",
            re.MULTILINE,
        ),
        re.compile(rf"\bas\s+{lib}\b"),
    )


@dataclass(frozen=True, slots=True)
class LibIndex:
    """Top-level name -> (hash, referenced top-level names); for the reports,
    the hash of each method of a class (`Class.method`) and the module line
    where each name is (last) defined."""

    names: dict[str, tuple[str, tuple[str, ...]]]
    digest: str  # hash of the whole file
    members: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def member_hashes(self, classes: Iterable[str]) -> dict[str, str]:
        """`Class.method` -> hash, for the methods of `classes`."""
        wanted = {f"{c}." for c in classes}
        return {k: h for k, h in sorted(self.members.items()) if k[: k.index(".") + 1] in wanted}

    def closure(self, used: set[str] | None) -> dict[str, str]:
        """Hashes of the definitions `used` depends on, directly or transitively
        (`None`: the whole library)."""
        if not self.names:
            return {}
        if used is None:
            return {WHOLE: self.digest}
        todo = [n for n in used if n in self.names]
        if not todo:
            return {}
        todo.append(BODY)
        out: dict[str, str] = {}
        while todo:
            name = todo.pop()
            if name in out or name not in self.names:
                continue
            digest, refs = self.names[name]
            out[name] = digest
            todo.extend(r for r in refs if r not in out)
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "format": _INDEX_FORMAT,
            "digest": self.digest,
            "names": {k: [h, list(r)] for k, (h, r) in sorted(self.names.items())},
            "members": dict(sorted(self.members.items())),
            "lines": dict(sorted(self.lines.items())),
        }

    @classmethod
    def from_json(cls, data: object) -> LibIndex | None:
        if not isinstance(data, dict) or data.get("format") != _INDEX_FORMAT:
            return None
        names = data.get("names")
        if not isinstance(names, dict):
            return None
        members = data.get("members", {})
        lines = data.get("lines", {})
        if not isinstance(members, dict) or not isinstance(lines, dict):
            return None
        return cls(
            {str(k): (str(v[0]), tuple(str(r) for r in v[1])) for k, v in names.items()},
            str(data.get("digest")),
            {str(k): str(v) for k, v in members.items()},
            {str(k): int(v) for k, v in lines.items()},
        )


def _defined(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {stmt.name}
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in stmt.names if a.name != "*"}
    names: set[str] = set()
    if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    names.add(node.id)
        return names
    # compound statements (if/try/with at top level): whatever they bind
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _references(stmt: ast.stmt, library: str) -> set[str]:
    refs: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name):
            refs.add(node.id)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == library
        ):
            refs.add(node.attr)
    return refs


def analyze(source: str, library: str) -> LibIndex:
    """The index of one module of `library` (whose code names it `library`)."""
    digest = hashlib.sha256(source.encode()).hexdigest()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        # unparsable library: every user depends on all of it
        return LibIndex({BODY: (digest, ())}, digest)
    parts: dict[str, list[str]] = {}
    refs: dict[str, set[str]] = {}
    members: dict[str, str] = {}
    lines: dict[str, int] = {}
    for stmt in tree.body:
        names = _defined(stmt) or {BODY}
        dumped = ast.dump(stmt)
        stmt_refs = _references(stmt, library)
        for name in names:
            parts.setdefault(name, []).append(dumped)
            refs.setdefault(name, set()).update(stmt_refs)
            if name != BODY:
                lines[name] = _definition_line(stmt)
        if isinstance(stmt, ast.ClassDef):
            for member in stmt.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    qualified = f"{stmt.name}.{member.name}"
                    members[qualified] = hashlib.sha256(ast.dump(member).encode()).hexdigest()
                    lines[qualified] = _definition_line(member)
    top = set(parts)
    index: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, dumps in parts.items():
        h = hashlib.sha256("\n".join(dumps).encode()).hexdigest()
        index[name] = (h, tuple(sorted((refs[name] & top) - {name})))
    return LibIndex(index, digest, members, lines)


def _definition_line(node: ast.stmt) -> int:
    """The line of a definition's first decorator, else of the statement."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return node.lineno


def load_index(path: Path, library: str, cache_dir: Path | None = None) -> LibIndex:
    """The index of one file of `library` (empty if absent), memoised in
    `cache_dir/lib/<sha of the library name and the file>.json`."""
    try:
        data = path.read_bytes()
    except OSError:
        return LibIndex({}, "")
    sha = hashlib.sha256(data).hexdigest()
    memo_key = hashlib.sha256(library.encode() + b"\0" + data).hexdigest()
    memo = cache_dir / "lib" / f"{memo_key}.json" if cache_dir is not None else None
    if memo is not None:
        try:
            loaded = LibIndex.from_json(json.loads(memo.read_text("utf-8")))
        except (OSError, ValueError):
            loaded = None
        if loaded is not None and loaded.digest == sha:
            return loaded
    index = analyze(data.decode("utf-8", errors="replace"), library)
    if memo is not None:
        with contextlib.suppress(OSError):
            write_atomic(memo, json.dumps(index.to_json(), sort_keys=True))
    return index


def used_names(code: str, library: str) -> set[str] | None:
    """Names of `library` a notebook's code uses; `None` when it uses the library
    in a way that cannot be resolved statically (it then depends on all of it)."""
    patterns = _patterns(library)
    names: set[str] = set()
    for match in patterns.import_line.finditer(code):
        listed = match.group("names")
        if listed and not patterns.bound.search(listed):
            for item in listed.strip("() \\").split(","):
                name = item.strip().split(" as ")[0].strip()
                if name.isidentifier():
                    names.add(name)
    rest = patterns.import_line.sub("", code)
    uses = patterns.use.findall(rest)
    names.update(uses)
    if len(patterns.word.findall(rest)) > len(uses):
        return None
    return names
