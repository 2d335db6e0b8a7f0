"""Why a notebook runs: its current key parts compared with those of the
outputs it last had.

A page's last key is its cache index record (`cache.record`); that key's
entry keeps the parts it was computed from (`basis.Basis`). Every part that
differs is a reason:

* code: the code cells, compared as the key sees them (comments left out),
  named by the book line of each changed cell (its opening fence) and of its
  changed lines, all through the cells' line maps (`Cell.lines`);
* environment: the packages whose versions differ (`torch 2.12.0 -> 2.13.0`),
  the Python version, the kernel spec;
* library: each definition of the library used by the page whose hash
  differs, named `d2l.<name>` (a class's changed methods as `d2l.C.m`) at
  the page line that saves it (else its line in the module);
* kernel settings: the kernel variables, the GPU count, allow-errors.

No record: a new page. A record whose entry is gone (pruned, corrupt) or
predates the basis: the previous outputs are not in the cache.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from polybook.execute.basis import Basis
from polybook.execute.cache import Cache
from polybook.execute.envs import EnvManifest
from polybook.execute.keys import code_parts, semantic_lines
from polybook.execute.libdeps import BODY, WHOLE, LibIndex
from polybook.execute.model import Change, Reason, ReasonKind
from polybook.execute.plan import Item
from polybook.split.model import Cell

# name -> (file, line) of a library definition, or None when unknown
Sites = Callable[[str], tuple[str, int] | None]


@dataclass(frozen=True, slots=True)
class Library:
    """A framework's library module as explanations see it."""

    index: LibIndex
    name: str  # as code names it (`d2l`)
    sites: Sites

    def label(self, name: str) -> str:
        return f"{self.name}.{name}"


def explain(
    item: Item,
    cache: Cache,
    env: EnvManifest | None,
    library: Library,
    forced: bool = False,
) -> tuple[Reason, ...]:
    """The reasons `item` runs (it has no usable cached outputs, or `forced`)."""
    if forced:
        return (Reason(ReasonKind.FORCED),)
    record = cache.record(item.lang, item.framework, item.page)
    if record is None:
        return (Reason(ReasonKind.NEW_PAGE),)
    old_key = str(record.get("key", ""))
    entry = cache.lookup(old_key) if old_key else None
    if entry is None or entry.basis is None:
        note = "" if entry is None else "they predate recorded reasons"
        return (Reason(ReasonKind.OUTPUTS_MISSING, note=note),)
    return compare(item, entry.basis, env, library)


def compare(
    item: Item,
    old: Basis,
    env: EnvManifest | None,
    library: Library,
) -> tuple[Reason, ...]:
    """The reasons between the parts `old` and `item`'s current parts."""
    new = item.parts
    reasons: list[Reason] = []
    cells = code_changes(old.parts.code, item.notebook.code_cells, item.file)
    if cells:
        reasons.append(Reason(ReasonKind.CODE, cells))
    if old.parts.env != new.env:
        reasons.append(Reason(ReasonKind.ENVIRONMENT, *environment_changes(old.env, env)))
    lib = library_changes(old, new.library, library)
    if lib:
        reasons.append(Reason(ReasonKind.LIBRARY, lib))
    kernel = kernel_changes(old, item)
    if kernel:
        reasons.append(Reason(ReasonKind.KERNEL, kernel))
    if not reasons:
        note = "polybook's key format changed"
        reasons.append(Reason(ReasonKind.OUTPUTS_MISSING, note=note))
    return tuple(reasons)


def _code_lines(source: str) -> tuple[list[str], tuple[int, ...]]:
    lines, kept = semantic_lines(source)
    return [lines[i] for i in kept], kept


def _changed_lines(old: str, cell: Cell) -> tuple[int, ...]:
    """Book lines of the lines of `cell` that differ from `old` (a removal:
    the line after it)."""
    before, _ = _code_lines(old)
    after, kept = _code_lines(cell.source)
    found: list[int] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        indices = range(j1, j2) if j2 > j1 else [min(j1, len(kept) - 1)]
        found.extend(cell.book_line(kept[j]) for j in indices if kept)
    return tuple(sorted(set(found)))


def code_changes(
    old: Sequence[tuple[str, bool]], cells: Sequence[Cell], file: str
) -> tuple[Change, ...]:
    """The code cells of `cells` that differ from the previous code `old` (as
    the key sees it), and the cells removed, by book line."""
    new = list(code_parts(cells))
    old_list = list(old)
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=old_list, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            cell = cells[j1 + k]
            lines = _changed_lines(old_list[i1 + k][0], cell)
            changes.append(Change("cell", file, cell.line, lines=lines, state="changed"))
        for j in range(j1 + paired, j2):
            cell = cells[j]
            changes.append(Change("cell", file, cell.line, lines=cell.lines, state="added"))
        for _ in range(i1 + paired, i2):
            after = cells[j2].line if j2 < len(cells) else 0
            changes.append(Change("cell", file if after else "", after, state="removed"))
    return tuple(changes)


def environment_changes(
    old: EnvManifest | None, new: EnvManifest | None
) -> tuple[tuple[Change, ...], str]:
    """The packages (and Python, kernel spec) that differ; a note when the
    previous package list is unknown."""
    if old is None or new is None:
        return (), "the previous package list is not known"
    changes: list[Change] = []
    if old.python != new.python:
        changes.append(Change("python", old=old.python, new=new.python))
    before, after = old.packages(), new.packages()
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name, ""), after.get(name, "")
        if was != now:
            changes.append(Change(name, old=was or "", new=now or ""))
    if old.kernel != new.kernel:
        changes.append(Change("kernel spec", state="changed"))
    return tuple(changes), ""


def library_changes(
    old: Basis, library: tuple[tuple[str, str], ...], lib: Library
) -> tuple[Change, ...]:
    """The library definitions used whose hash differs, by name and place."""
    before, after = dict(old.parts.library), dict(library)
    old_members = dict(old.members)
    changes: list[Change] = []
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) == after.get(name):
            continue
        if name == WHOLE:
            changes.append(Change(f"{lib.name} (used as a whole)", state="changed"))
            continue
        if name == BODY:
            changes.append(Change(f"{lib.name} module-level code", state="changed"))
            continue
        if name not in after:
            changes.append(Change(lib.label(name), state="no longer used"))
            continue
        members = _member_changes(name, old_members, lib.index) if name in before else []
        for member in members:
            changes.append(_located(lib, member, "changed"))
        if not members:
            changes.append(_located(lib, name, "changed" if name in before else "now used"))
    return tuple(changes)


def _member_changes(name: str, old: dict[str, str], index: LibIndex) -> list[str]:
    """The methods of class `name` added or changed (empty: not a class, or
    no method differs, so the class itself is named)."""
    now = index.member_hashes([name])
    if not now:
        return []
    prefix = f"{name}."
    was = {k: v for k, v in old.items() if k.startswith(prefix)}
    return [m for m in sorted(now) if now[m] != was.get(m)]


def _located(lib: Library, name: str, state: str) -> Change:
    site = lib.sites(name)
    if site is None:
        return Change(lib.label(name), state=state)
    return Change(lib.label(name), site[0], site[1], state=state)


def kernel_changes(old: Basis, item: Item) -> tuple[Change, ...]:
    """The kernel variables, GPU count and allow-errors setting that differ."""
    was, now = old.parts, item.parts
    changes: list[Change] = []
    before, after = dict(was.kernel_vars), dict(now.kernel_vars)
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) != after.get(name):
            changes.append(Change(name, old=before.get(name, ""), new=after.get(name, "")))
    if was.gpus != now.gpus:
        changes.append(Change("gpus", old=str(was.gpus), new=str(now.gpus)))
    if was.allow_errors != now.allow_errors:
        changes.append(
            Change(
                "allow_errors", old=str(was.allow_errors).lower(), new=str(now.allow_errors).lower()
            )
        )
    return tuple(changes)
