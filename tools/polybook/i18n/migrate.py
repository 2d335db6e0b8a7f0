"""`polybook migrate --syntax new`: legacy pages rewritten into the new syntax.

A page is legacy when a code cell's marker is `#@tab` (commented or not), or
when it has code cells and no `%load_ext d2lbook.tab` cell. Its migration
changes exactly these lines: each `#@tab` marker becomes `%%tab` with the
same names, a cell with no marker gets `%%tab <default>` (the language's
default tab: the cell's frameworks stay the same whatever the default
becomes), and the header cell (`%load_ext d2lbook.tab`,
`tab.interact_select([...])` with the language's frameworks) is put first.
Stale marker lines inside cells stay (the split ignores them; PB321). A
migrated page has the header and no legacy marker, so migrating it again
changes nothing. The rewritten page must split into the same notebooks with
the same code cells in every framework, or nothing changes (PB320).
"""

from __future__ import annotations

from dataclasses import dataclass

from polybook.diagnostics import Code, Diagnostic
from polybook.i18n.edits import Edit, PageText
from polybook.source import grammar
from polybook.source.model import Page, Syntax
from polybook.source.parser import parse_page
from polybook.split.model import Cell, CellKind
from polybook.split.page import split_page

INTERACT = "%load_ext d2lbook.tab"


@dataclass(frozen=True, slots=True)
class Migration:
    before: PageText
    after: PageText
    diagnostics: tuple[Diagnostic, ...]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def is_legacy(page: Page) -> bool:
    if not page.code_cells:
        return False
    if page.interact_line is None:
        return True
    return any(c.marker is not None and c.marker.syntax is Syntax.LEGACY for c in page.code_cells)


def header(frameworks: tuple[str, ...]) -> list[str]:
    names = ", ".join(repr(fw) for fw in frameworks)
    return ["```{.python .input}", INTERACT, f"tab.interact_select([{names}])", "```", ""]


def _marker_line(raw: str) -> str:
    """`#@tab a,b` (or `# #@tab a,b`) as `%%tab a,b`, indentation and names as written."""
    indent = raw[: len(raw) - len(raw.lstrip())]
    match = grammar.TAB_MARKER.match(raw.strip())
    rest = match.group("rest").strip() if match else ""
    return f"{indent}%%tab {rest}".rstrip()


def code_by_framework(page: Page, frameworks: tuple[str, ...]) -> dict[str, list[Cell]]:
    """The code cells of each framework's notebook (the split)."""
    split = split_page(page, frameworks, markdown=False)
    return {
        fw: [c for c in nb.cells if c.kind is CellKind.CODE] for fw, nb in split.notebooks.items()
    }


def sources(cells: dict[str, list[Cell]]) -> dict[str, list[str]]:
    return {fw: [c.source for c in found] for fw, found in cells.items()}


def migrate_page(page: Page, text: PageText, frameworks: tuple[str, ...]) -> Migration:
    """The new-syntax text of `page` (`text`: its lines; `frameworks`: its
    language's, default first)."""
    diagnostics = [
        Diagnostic.make(
            Code.MIGRATE_STALE_MARKER,
            page.file,
            d.line,
            "a stale marker line inside a cell is left as written (the split ignores it)",
        )
        for d in page.structure
        if d.code == Code.STALE_MARKER.id
    ]
    if not is_legacy(page):
        return Migration(text, text, tuple(diagnostics))
    edits: list[Edit] = []
    for cell in page.code_cells:
        marker = cell.marker
        if marker is None:
            edits.append(Edit.insert_after(cell.line, [f"%%tab {frameworks[0]}"]))
        elif marker.syntax is Syntax.LEGACY or marker.commented:
            line = _marker_line(text.line(marker.line))
            edits.append(Edit.replace(marker.line, marker.line, [line]))
    if page.interact_line is None:
        edits.append(Edit.insert_after(0, header(frameworks)))
    after = text.apply(edits)
    migrated = parse_page(
        after.data(), lang=page.lang, path=page.path, file=page.file, known=frameworks
    )
    before_code = code_by_framework(page, frameworks)
    after_code = code_by_framework(migrated, frameworks)
    if sources(before_code) != sources(after_code):
        diagnostics.append(
            Diagnostic.make(
                Code.MIGRATE_NOT_EQUIVALENT,
                page.file,
                _first_difference(before_code, after_code),
                "the migrated page would not split into the same notebooks; left as it is",
            )
        )
        return Migration(text, text, tuple(diagnostics))
    return Migration(text, after, tuple(diagnostics))


def _first_difference(before: dict[str, list[Cell]], after: dict[str, list[Cell]]) -> int:
    """The book line of the first code cell that the migration would change."""
    lines: list[int] = []
    for fw in before.keys() | after.keys():
        a, b = before.get(fw, []), after.get(fw, [])
        k = 0
        while k < len(a) and k < len(b) and a[k].source == b[k].source:
            k += 1
        if k < len(a):
            lines.append(a[k].line)
        elif a and k < len(b):
            lines.append(a[-1].line)
    return min(lines, default=1)
