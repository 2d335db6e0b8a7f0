"""`polybook i18n sync-code`: the origin's code in a translated page, cell by
cell, every other line kept byte for byte.

Cells are paired by `align` (position, framework set, similarity); a paired
cell whose code differs gets the origin's code (`merge`: the translator's
comments and text literals kept where the code around them is unchanged),
an origin cell without a partner is inserted after the translated cell
paired with the origin cell before it, a translated cell without a partner
is removed. Ambiguous pairings stop the page (PB310). With `labels`, labels
the translation dropped are put back on the corresponding element. The
result is parsed and split again and must have the origin's code in every
framework (else PB312 and nothing changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.i18n.align import Cells, align
from polybook.i18n.books import Side, Translation
from polybook.i18n.code import CodeComparison
from polybook.i18n.edits import Edit, PageText
from polybook.i18n.merge import merge_code
from polybook.i18n.migrate import is_legacy
from polybook.i18n.structure import dropped_labels, structure
from polybook.source.model import ALL, CodeCell
from polybook.source.parser import parse_page


@dataclass(frozen=True, slots=True)
class PageSync:
    page: str
    file: str
    path: Path
    before: PageText
    after: PageText
    diagnostics: tuple[Diagnostic, ...]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _marker(cell: CodeCell, frameworks: frozenset[str], target: Side, legacy: bool) -> str | None:
    """The marker line that gives `cell` (an origin cell) its frameworks in the translation."""
    if cell.marker is not None and ALL in cell.marker.frameworks:
        names = ALL
    elif frameworks == {target.default}:
        return None
    else:
        names = ", ".join(fw for fw in target.frameworks if fw in frameworks)
    return f"{'#@tab' if legacy else '%%tab'} {names}"


def _cell_lines(cell: CodeCell, text: PageText, marker: str | None) -> list[str]:
    close = text.line(cell.end_line) if cell.end_line <= len(text.lines) else "```"
    body = cell.source.split("\n") if cell.source else []
    return [text.line(cell.line), *([marker] if marker else []), *body, close]


def _body(cell: CodeCell, text: PageText) -> tuple[int, int]:
    """The lines of a cell's code: after its marker (or fence) up to its closing fence."""
    first = (cell.marker.line if cell.marker is not None else cell.line) + 1
    last = min(cell.end_line - 1, len(text.lines))
    return first, last


class _PageSync:
    def __init__(self, translation: Translation, rel: str, labels: bool) -> None:
        self.target, self.origin_side = translation.target, translation.origin
        self.rel = rel
        self.labels = labels
        self.mine = self.target.read(rel)
        self.theirs = self.origin_side.read(rel)
        self.text = PageText.read(self.target.path(rel))
        self.origin_text = PageText.read(self.origin_side.path(rel))
        self.diagnostics: list[Diagnostic] = []

    def result(self, after: PageText | None = None) -> PageSync:
        return PageSync(
            self.rel,
            self.mine.file,
            self.target.path(rel=self.rel),
            self.text,
            after or self.text,
            tuple(self.diagnostics),
        )

    def run(self) -> PageSync:
        mine = Cells.of(self.mine.code_cells, self.target.frameworks)
        theirs = Cells.of(self.theirs.code_cells, self.origin_side.frameworks)
        alignment = align(mine, theirs)
        if alignment.ambiguous:
            for index, others in alignment.ambiguous:
                cell = mine.cells[index]
                chosen = alignment.origin_of(index)
                candidates = sorted({*others, *([chosen] if chosen is not None else [])})
                where = ", ".join(f"{self.theirs.file}:{theirs.cells[j].line}" for j in candidates)
                self.diagnostics.append(
                    Diagnostic.make(
                        Code.SYNC_AMBIGUOUS,
                        self.mine.file,
                        cell.line,
                        f"this code cell could be any of {where} (same frameworks, code as "
                        "similar); nothing changed on this page: sync it by hand",
                    )
                )
            return self.result()
        edits = self._code_edits(mine, theirs, alignment.pairs)
        if self.labels:
            edits += self._label_edits()
        after = self.text.apply(edits)
        if after != self.text and not self._verify(after):
            return self.result()
        return self.result(after)

    def _code_edits(
        self, mine: Cells, theirs: Cells, pairs: Sequence[tuple[int, int]]
    ) -> list[Edit]:
        edits: list[Edit] = []
        paired = dict(pairs)
        partner_of = {j: i for i, j in pairs}
        for i, j in pairs:
            if mine.keys[i] == theirs.keys[j]:
                continue
            cell = mine.cells[i]
            merged = merge_code(cell.source, theirs.cells[j].source)
            first, last = _body(cell, self.text)
            edits.append(Edit.replace(first, last, merged.split("\n")))
        for i, cell in enumerate(mine.cells):
            if i not in paired:
                edits.append(Edit.replace(cell.line, cell.end_line, ()))
        legacy = is_legacy(self.mine)
        inserts: dict[int, list[str]] = {}
        for j, cell in enumerate(theirs.cells):
            if j in partner_of:
                continue
            marker = _marker(cell, theirs.frameworks[j], self.target, legacy)
            lines = _cell_lines(cell, self.origin_text, marker)
            before = [b for b in range(j) if b in partner_of]
            after = [b for b in range(j + 1, len(theirs.cells)) if b in partner_of]
            if before:
                anchor = mine.cells[partner_of[before[-1]]].end_line
                inserts.setdefault(anchor, []).extend(["", *lines])
            elif after:
                anchor = mine.cells[partner_of[after[0]]].line - 1
                inserts.setdefault(anchor, []).extend([*lines, ""])
            else:
                inserts.setdefault(len(self.text.lines), []).extend(["", *lines])
        edits.extend(Edit.insert_after(line, lines) for line, lines in inserts.items())
        return edits

    def _label_edits(self) -> list[Edit]:
        edits: list[Edit] = []
        for dropped in dropped_labels(structure(self.theirs), structure(self.mine)):
            item = dropped.counterpart
            reason = ""
            if dropped.kind is None:
                reason = "it is not on a section, figure, table or equation"
            elif item is None:
                reason = f"this page has no {dropped.kind.value} at its position"
            elif item.labels:
                reason = f"the {dropped.kind.value} here has its own label {item.labels[0]!r}"
            elif item.insert_after is None:
                reason = f"a {dropped.kind.value}'s label is not put back automatically"
            if reason or item is None or item.insert_after is None:
                self.diagnostics.append(
                    Diagnostic.make(
                        Code.SYNC_LABEL_NOT_RESTORED,
                        self.mine.file,
                        item.line if item is not None else 1,
                        f"label {dropped.name!r} ({self.theirs.file}:{dropped.origin_line}) "
                        f"not restored: {reason}",
                        target=dropped.name,
                    )
                )
                continue
            edits.append(Edit.insert_after(item.insert_after, [f":{item.role}:`{dropped.name}`"]))
        return edits

    def _verify(self, after: PageText) -> bool:
        page = parse_page(
            after.data(),
            lang=self.mine.lang,
            path=self.mine.path,
            file=self.mine.file,
            known=self.target.frameworks,
        )
        code = {Code.I18N_STALE_CODE.id, Code.I18N_MISSING_CODE_CELL.id}
        code.add(Code.I18N_EXTRA_CODE_CELL.id)
        comparison = CodeComparison(
            page, self.theirs, self.target.frameworks, self.origin_side.frameworks
        )
        left = [d for d in comparison.run() if d.code in code]
        for d in left:
            self.diagnostics.append(
                Diagnostic.make(
                    Code.SYNC_NOT_EQUAL,
                    self.mine.file,
                    d.line,
                    f"after the sync the code would still differ ({d.message}); nothing changed",
                )
            )
        return not left


def sync_page(translation: Translation, rel: str, labels: bool = False) -> PageSync:
    """The page `rel` of the translation with the origin's code (not written)."""
    return _PageSync(translation, rel, labels).run()
