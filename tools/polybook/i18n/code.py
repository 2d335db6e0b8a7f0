"""Stale code: a translation's code cells against the origin's, per framework,
after the split (`tab.selected` resolved, comments ignored, text literals
compared apart: `codekey`).

Each framework's code cells are aligned in order (difflib over the cells'
keys); a cell that differs is reported at the book line of its first
differing line (the split cell's `lines` map), a cell that has no
counterpart at its fence or, for a missing one, after the cell it should
follow. A cell shared by several frameworks is reported once, naming them.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from polybook.diagnostics import Code, Diagnostic
from polybook.i18n.codekey import CodeLine, LineKind, code_lines
from polybook.source.model import Page
from polybook.split.model import Cell, CellKind
from polybook.split.page import split_page


def code_cells(page: Page, frameworks: tuple[str, ...]) -> dict[str, list[Cell]]:
    """Each framework's code cells of `page` (its split, code only)."""
    split = split_page(page, frameworks, markdown=False)
    return {
        fw: [c for c in notebook.cells if c.kind is CellKind.CODE]
        for fw, notebook in split.notebooks.items()
    }


def _code_only(cell: Cell) -> list[CodeLine]:
    return [line for line in code_lines(cell.source) if line.kind is LineKind.CODE]


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True, slots=True)
class _Key:
    code: Code
    line: int
    message: str


class _Findings:
    def __init__(self) -> None:
        self.found: dict[_Key, list[str]] = {}

    def add(self, code: Code, line: int, message: str, framework: str) -> None:
        self.found.setdefault(_Key(code, line, message), []).append(framework)

    def diagnostics(self, file: str, every: Sequence[str]) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        for key, frameworks in self.found.items():
            names = "every framework" if set(every) <= set(frameworks) else ", ".join(frameworks)
            out.append(Diagnostic.make(key.code, file, key.line, f"{key.message} ({names})"))
        return sorted(out, key=lambda d: (d.line, d.code, d.message))


class CodeComparison:
    """The code findings of one translated page against its origin page."""

    def __init__(
        self,
        target: Page,
        origin: Page,
        target_frameworks: tuple[str, ...],
        origin_frameworks: tuple[str, ...],
    ) -> None:
        self.target, self.origin = target, origin
        self.mine = code_cells(target, target_frameworks)
        self.theirs = code_cells(origin, origin_frameworks)
        order = [*target_frameworks, *(f for f in origin_frameworks if f not in target_frameworks)]
        self.frameworks = [fw for fw in order if fw in self.mine or fw in self.theirs]
        self.ends = {cell.line: cell.end_line for cell in target.code_cells}
        self.findings = _Findings()

    def run(self) -> list[Diagnostic]:
        for fw in self.frameworks:
            self._framework(fw, self.mine.get(fw, []), self.theirs.get(fw, []))
        return self.findings.diagnostics(self.target.file, self.frameworks)

    def _framework(self, fw: str, mine: list[Cell], theirs: list[Cell]) -> None:
        keys_mine = [tuple(c.key for c in _code_only(cell)) for cell in mine]
        keys_theirs = [tuple(c.key for c in _code_only(cell)) for cell in theirs]
        matcher = difflib.SequenceMatcher(None, keys_mine, keys_theirs, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for a, b in zip(mine[i1:i2], theirs[j1:j2], strict=True):
                    self._strings(fw, a, b)
                continue
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                self._stale(fw, mine[i1 + k], theirs[j1 + k])
            for cell in mine[i1 + paired : i2]:
                self.findings.add(
                    Code.I18N_EXTRA_CODE_CELL,
                    cell.line,
                    f"code cell not in {self.origin.lang}: {self.origin.file} has no "
                    f"counterpart of {_short(cell.source.split(chr(10))[0])!r}",
                    fw,
                )
            anchor = self._anchor(mine, i1 + paired)
            for cell in theirs[j1 + paired : j2]:
                self.findings.add(
                    Code.I18N_MISSING_CODE_CELL,
                    anchor,
                    f"the code cell at {self.origin.file}:{cell.line} is missing here",
                    fw,
                )

    def _anchor(self, mine: list[Cell], index: int) -> int:
        """The line after which a cell missing before `mine[index]` belongs."""
        if index > 0:
            before = mine[index - 1]
            return self.ends.get(before.line, before.lines[-1])
        return mine[0].line if mine else 1

    def _stale(self, fw: str, mine: Cell, theirs: Cell) -> None:
        a, b = _code_only(mine), _code_only(theirs)
        k = 0
        while k < len(a) and k < len(b) and a[k].key == b[k].key:
            k += 1
        line = mine.lines[a[min(k, len(a) - 1)].index] if a else mine.line
        origin_line = theirs.lines[b[min(k, len(b) - 1)].index] if b else theirs.line
        here = _short(a[k].text) if k < len(a) else "(nothing)"
        there = _short(b[k].text) if k < len(b) else "(nothing)"
        self.findings.add(
            Code.I18N_STALE_CODE,
            line,
            f"code differs from {self.origin.file}:{origin_line}: {here!r} here, {there!r} there",
            fw,
        )

    def _strings(self, fw: str, mine: Cell, theirs: Cell) -> None:
        for a, b in zip(_code_only(mine), _code_only(theirs), strict=True):
            if a.strings != b.strings:
                pairs = [(x, y) for x, y in zip(a.strings, b.strings, strict=True) if x != y]
                shown = ", ".join(f"{y} -> {x}" for x, y in pairs)
                self.findings.add(
                    Code.I18N_TRANSLATED_STRING,
                    mine.lines[a.index],
                    f"text literals translated ({shown}); the code is the same",
                    fw,
                )
                return
