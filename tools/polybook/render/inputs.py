"""What feeds a site: its pages (with the source-language fallback) and their notebooks.

A page's notebook is the split notebook (the current text of the page); when
`polybook execute` has produced an executed notebook for it, the outputs of
its code cells are attached to the split notebook's cells whose id and source
are unchanged. A prose edit therefore shows at once and re-executes nothing;
a code cell edited since the execution shows without outputs (and is reported).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from polybook.diagnostics import Code
from polybook.faults import corrupt, os_fault
from polybook.layout import BuildLayout
from polybook.render.model import Problem
from polybook.source.book import Book, PageSet, book_order, page_toc_targets
from polybook.source.model import Page
from polybook.split.model import Cell, CellKind, Notebook


@dataclass(frozen=True, slots=True)
class PageSource:
    """One page of a language's site and the language its text comes from."""

    rel: str  # page path relative to the language root, with .md
    lang: str  # the language whose page is used
    file: str  # the page's source file, relative to the book root
    fallback: bool  # True: the translation lacks the page; the source language's is used
    plain: bool = False  # a non-notebook page: rendered from its text, no notebook

    @property
    def docname(self) -> str:
        return self.rel[: -len(".md")]


def read_notebook(path: Path, fix: str) -> Notebook | None:
    """A notebook written by split or execute; None if there is none. One that
    is there and cannot be read is a `Fault` (never a page silently left out);
    `fix` says which command writes it again."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise os_fault(exc, "build", "read", path) from None
    try:
        return Notebook.from_json(text)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise corrupt(path, "build", "notebook", exc, fix) from None


def merge_outputs(
    cells: Sequence[Cell], executed: Sequence[Cell], file: str
) -> tuple[list[Cell], list[Problem]]:
    """Attach the outputs of `executed` to the unchanged code cells of `cells`."""
    by_id = {c.id: c for c in executed if c.kind is CellKind.CODE}
    by_source: dict[str, list[Cell]] = {}
    for c in executed:
        if c.kind is CellKind.CODE:
            by_source.setdefault(c.source, []).append(c)
    merged: list[Cell] = []
    problems: list[Problem] = []
    for cell in cells:
        if cell.kind is not CellKind.CODE:
            merged.append(cell)
            continue
        found = by_id.get(cell.id)
        if found is None or found.source != cell.source:
            same = by_source.get(cell.source)
            if same:
                found = same.pop(0)
            elif found is not None:
                problems.append(
                    Problem(
                        Code.RENDER_STALE_OUTPUTS,
                        cell.line,
                        f"code cell changed since {file} was executed; shown without outputs",
                    )
                )
                found = None
        if found is None:
            merged.append(cell)
        else:
            merged.append(
                replace(cell, outputs=found.outputs, execution_count=found.execution_count)
            )
    return merged, problems


@dataclass(frozen=True, slots=True)
class Inputs:
    """Where the notebooks are: the split and executed notebooks of the layout."""

    layout: BuildLayout
    executed: bool = True  # False: outputs are never attached (execution is off)

    @classmethod
    def of(cls, book: Book) -> Inputs:
        return cls(book.layout, book.config.execute.enabled)

    def paths(self, page: PageSource, framework: str) -> tuple[Path, Path]:
        rel = Path(framework) / (page.docname + ".ipynb")
        return self.layout.split(page.lang) / rel, self.layout.executed(page.lang) / rel

    def load(self, page: PageSource, framework: str) -> tuple[Notebook | None, list[Problem]]:
        """The notebook of `page` for `framework` with executed outputs attached
        (None: the page has none)."""
        split_path, executed_path = self.paths(page, framework)
        split = read_notebook(split_path, f"run `polybook split --lang {page.lang}`")
        if split is None:
            return None, []
        file = split.file or page.file
        problems: list[Problem] = []
        executed = None
        if self.executed:
            fix = f"run `polybook execute --lang {page.lang} --framework {framework}`"
            executed = read_notebook(executed_path, fix)
        if executed is None:
            return replace(split, file=file), problems
        cells, problems = merge_outputs(split.cells, executed.cells, file)
        return replace(split, file=file, cells=tuple(cells)), problems


def site_pages(
    book: Book, lang: str, read: Callable[[str, str], Page] | None = None
) -> list[PageSource]:
    """The pages of `lang`'s site in book order.

    Every page of the language, plus the pages of the source language that the
    translation lacks and its tables of contents reach (shown untranslated).
    """
    source_lang = book.config.source_language
    own_set = book.page_set(lang)
    own = list(own_set.pages)
    base = PageSet(()) if lang == source_lang else book.page_set(source_lang)
    pages: dict[str, PageSource] = {
        rel: PageSource(rel, source_lang, book.display(source_lang, rel), True, rel in base.plain)
        for rel in base.pages
    }
    pages.update(
        {
            rel: PageSource(rel, lang, book.display(lang, rel), False, rel in own_set.plain)
            for rel in own
        }
    )
    tocs: dict[str, list[str]] = {}
    for rel, page in pages.items():
        if not rel.endswith("index.md"):
            tocs[rel] = []
            continue
        parsed = (read or book.read)(page.lang, rel)
        tocs[rel] = page_toc_targets(rel, parsed)
    order = book_order(tocs)
    reached = set(order)
    order += sorted(rel for rel in own if rel not in reached)
    return [pages[rel] for rel in order]


def resolve_image(book: Book, page: PageSource, path: str) -> tuple[str, Path] | None:
    """(path in the generated source tree, file) of an image a page references."""
    found = book.find_image(page.lang, page.rel, path)
    return None if found is None else ("/" + found[0], found[1])
