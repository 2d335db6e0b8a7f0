"""Page -> per-framework notebook (the typed model of `split.model`), deterministic.

Markdown between two code cells forms one markdown cell; `:begin_tab:` regions
of other frameworks are removed and tab markers dropped. Every cell records,
for each of its lines, the book line it came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from polybook.source.model import ALL, CodeCell, Page, TextBlock, TocBlock
from polybook.split.model import Cell, CellKind, Notebook

# a code cell's source for one framework and the book line of each of its lines
Resolved = tuple[str, tuple[int, ...]]


def code_frameworks(cell: CodeCell, default: str, ordered: tuple[str, ...]) -> tuple[str, ...]:
    if cell.marker is None:
        return (default,)
    if ALL in cell.marker.frameworks:
        return ordered
    return tuple(fw for fw in ordered if fw in cell.marker.frameworks)


def _markdown(blocks: Sequence[TextBlock | TocBlock], tabs: tuple[str, ...]) -> Cell | None:
    """One markdown cell from consecutive text blocks, blank lines trimmed at both ends."""
    lines: Sequence[int]
    if len(blocks) == 1:  # the common case: one run of prose
        block = blocks[0]
        texts = block.text.split("\n")
        lines = range(block.line, block.line + len(texts))
    else:
        texts = "\n".join(b.text for b in blocks).split("\n")
        lines = [n for b in blocks for n in range(b.line, b.line + b.text.count("\n") + 1)]
    first = 0
    while first < len(texts) and not texts[first].strip():
        first += 1
    if first == len(texts):
        return None
    last = len(texts) - 1
    while not texts[last].strip():
        last -= 1
    source = "\n".join(texts[first : last + 1])
    return Cell(CellKind.MARKDOWN, source, lines[first], tuple(lines[first : last + 1]), tabs)


def code_cell(block: CodeCell, frameworks: tuple[str, ...], resolved: Resolved | None) -> Cell:
    """The notebook cell of a page's code cell (`resolved`: its code for this framework)."""
    if resolved is None:
        source, lines = block.source, block.line_map or (block.body_line,)
    else:
        source, lines = resolved
    if block.language == "bash":
        source, lines = "%%bash\n" + source, (block.line, *lines)
    return Cell(CellKind.CODE, source, block.line, tuple(lines), frameworks)


def _code_cell_of(
    block: CodeCell,
    ordered: tuple[str, ...],
    code: Mapping[int, Resolved],
    shared: dict[int, Cell],
) -> Cell:
    """The notebook cell of `block` for the framework whose resolved code is
    `code`; a cell kept as written is made once into `shared`."""
    resolved = code.get(block.line)
    if resolved is not None:
        return code_cell(block, code_frameworks(block, ordered[0], ordered), resolved)
    cell = shared.get(block.line)
    if cell is None:
        tabs = code_frameworks(block, ordered[0], ordered)
        cell = shared[block.line] = code_cell(block, tabs, None)
    return cell


def build_notebook(
    page: Page,
    framework: str,
    ordered: tuple[str, ...],
    code: Mapping[int, Resolved],
    kernelspec: Mapping[str, str] | None = None,
    shared: dict[int, Cell] | None = None,
) -> Notebook:
    """The notebook of `page` for `framework`.

    `code` maps a code cell's fence line to its source for this framework
    (after `tab.selected` resolution) with its line map; cells absent from it
    keep their source. `shared` (fence line -> cell) holds the cells kept as
    written, which the notebooks of one page can share (cells are immutable).
    """
    memo: dict[int, Cell] = {} if shared is None else shared
    default = ordered[0]
    cells: list[Cell] = []
    text: list[TextBlock | TocBlock] = []
    text_region: frozenset[str] | None = None
    text_tabs: tuple[str, ...] = ()

    def flush() -> None:
        if text:
            cell = _markdown(text, text_tabs)
            if cell is not None:
                cells.append(cell)
            text.clear()

    for block in page.blocks:
        if isinstance(block, CodeCell):
            flush()  # a code cell, kept or not, ends the markdown cell before it
            if block.belongs_to(framework, default):
                cells.append(_code_cell_of(block, ordered, code, memo))
            continue
        tab = block.tab if isinstance(block, TextBlock) else None
        if tab is not None:
            if framework not in tab and ALL not in tab:
                flush()  # a removed region still separates the text around it
                continue
            tabs = tuple(fw for fw in ordered if fw in tab or ALL in tab)
        elif not block.text.strip() and text_tabs:
            continue  # blank lines between two regions do not separate them
        else:
            tabs = ()
        # A markdown cell is a run of shared text, or a run of regions that
        # name the same frameworks.
        if tab != text_region or not text:
            flush()
            text_region, text_tabs = tab, tabs
        text.append(block)
    flush()
    return _notebook(page, framework, cells, kernelspec)


def build_code_notebook(
    page: Page,
    framework: str,
    ordered: tuple[str, ...],
    code: Mapping[int, Resolved],
    shared: dict[int, Cell],
) -> Notebook:
    """The code cells of `build_notebook(page, framework, ...)` alone (what the
    library reads), `shared` as there."""
    default = ordered[0]
    cells = [
        _code_cell_of(block, ordered, code, shared)
        for block in page.code_cells
        if block.belongs_to(framework, default)
    ]
    return _notebook(page, framework, cells)


def _notebook(
    page: Page,
    framework: str,
    cells: list[Cell],
    kernelspec: Mapping[str, str] | None = None,
) -> Notebook:
    return Notebook(
        file=page.file,
        page=page.path,
        lang=page.lang,
        framework=framework,
        cells=tuple(cells),
        required_libs=page.required_libs,
        kernelspec=dict(kernelspec or {}),
    )
