"""One page split: its notebooks, one per framework, and what the split
noticed (`split_page`); used by the split stage (`split/run.py`) and by the
stages that need a page's per-framework code (library, check, edit, i18n)
without the split stage's manifest and files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from polybook.diagnostics import Code, Diagnostic
from polybook.split.select import ExistenceRule, page_frameworks

if TYPE_CHECKING:
    from polybook.source.book import Book
    from polybook.source.model import CodeCell, Page
    from polybook.split.aliases import AliasTable
    from polybook.split.model import Cell, Notebook
    from polybook.split.notebook import Resolved


@dataclass(frozen=True, slots=True)
class PageSplit:
    """The notebooks of one page, keyed by framework, and what the split noticed."""

    notebooks: dict[str, Notebook]
    diagnostics: tuple[Diagnostic, ...]
    # fence lines of the code cells whose `tab.selected` branches were resolved
    # (the others keep their source as written, in every framework)
    resolved: frozenset[int] = frozenset()


def split_page(
    page: Page,
    ordered: tuple[str, ...],
    rule: ExistenceRule = ExistenceRule.NAMED,
    aliases: Mapping[str, AliasTable] | None = None,
    kernelspecs: Mapping[str, Mapping[str, str]] | None = None,
    resolve: Callable[[CodeCell], bool] | None = None,
    markdown: bool = True,
) -> PageSplit:
    """The notebooks of one parsed page, keyed by framework (configuration order).

    With `aliases` (framework -> its alias table, `book_aliases`), `d2l.xxx` aliases in each
    framework's code cells are rewritten into native calls. `resolve` chooses
    the code cells whose `tab.selected` branches are resolved (default: all);
    the others keep their source, with its map. Without `markdown` the
    notebooks hold their code cells only (what the library reads).
    """
    from polybook.split.notebook import build_code_notebook, build_notebook

    diagnostics: list[Diagnostic] = []
    frameworks = page_frameworks(page, ordered, rule)
    default = ordered[0]
    resolved: dict[str, dict[int, Resolved]] = {fw: {} for fw in frameworks}
    done: set[int] = set()
    for cell in page.code_cells:
        if cell.language != "python" or "tab.selected" not in cell.source:
            continue
        if resolve is not None and not resolve(cell):
            continue
        from polybook.split.asttab import resolve_line_by_line

        wanted = [fw for fw in frameworks if cell.belongs_to(fw, default)]
        per_fw = resolve_line_by_line(cell.source, wanted)
        if per_fw is None:
            # libcst is imported only for cells that need it (0.15 s of start-up).
            from polybook.split.tabselect import ParserSyntaxError, resolve_many

            try:
                per_fw = resolve_many(cell.source, wanted)
            except ParserSyntaxError as exc:
                diagnostics.append(
                    Diagnostic.make(
                        Code.TAB_SELECTED_UNRESOLVED,
                        page.file,
                        cell.source_line(exc.raw_line - 1),
                        f"tab.selected not resolved: the cell does not parse ({exc.message})",
                    )
                )
                continue
        done.add(cell.line)
        for fw, resolution in per_fw.items():
            lines = tuple(cell.source_line(i) for i in resolution.origin)
            resolved[fw][cell.line] = (resolution.text, lines)
    specs = kernelspecs or {}
    shared: dict[int, Cell] = {}
    if markdown:
        notebooks = {
            fw: build_notebook(page, fw, ordered, resolved[fw], specs.get(fw), shared)
            for fw in frameworks
        }
    else:
        notebooks = {
            fw: build_code_notebook(page, fw, ordered, resolved[fw], shared) for fw in frameworks
        }
    if aliases:
        notebooks = _rewrite_aliases(page, notebooks, aliases, diagnostics)
    return PageSplit(notebooks, tuple(diagnostics), frozenset(done))


def _rewrite_aliases(
    page: Page,
    notebooks: dict[str, Notebook],
    aliases: Mapping[str, AliasTable],
    diagnostics: list[Diagnostic],
) -> dict[str, Notebook]:
    from polybook.split.rewrite import rewrite_notebook

    out: dict[str, Notebook] = {}
    for fw, notebook in notebooks.items():
        if fw not in aliases:
            out[fw] = notebook
            continue
        out[fw], failed = rewrite_notebook(notebook, aliases[fw])
        for line in failed:
            diagnostics.append(
                Diagnostic.make(
                    Code.ALIAS_NOT_REWRITTEN,
                    page.file,
                    line,
                    f"{aliases[fw].library} aliases not rewritten for {fw}: "
                    "the cell does not parse",
                )
            )
    return out


def book_aliases(book: Book, rewrite: bool = True) -> dict[str, AliasTable]:
    """The alias tables notebooks get rewritten with, by framework (those that
    declare aliases; none when `rewrite` is off)."""
    from polybook.split.aliases import alias_table, has_aliases

    if not rewrite:
        return {}
    library = book.config.library_dir
    return {
        fw: alias_table(c, library) for fw, c in book.config.framework.items() if has_aliases(c)
    }


def kernelspec(book: Book, framework: str) -> dict[str, str]:
    display = book.config.framework[framework].display_name
    return {
        "display_name": f"Python 3 ({display})",
        "language": "python",
        "name": f"polybook-{framework}",
    }
