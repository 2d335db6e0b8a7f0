"""Where a framework has no code: a whole page, or a section of a page that
holds other frameworks' code but none for it. The site of that framework
shows another framework's code there (the fallback: the configured one when
it has code there, else the first in the language's order that has), under
a notice; `check` reports each gap as information.

Sections are cut at the headings of the page's shared prose (headings inside
`:begin_tab:` regions belong to one framework); a section runs from its
heading to the next heading. Code is located by its cells' book lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from polybook.source.elements import Heading
from polybook.source.model import Page, TextBlock
from polybook.split.model import Notebook


@dataclass(frozen=True, slots=True)
class Section:
    line: int  # its heading's book line (1: the part before the first heading)
    end: int  # the next section's line (exclusive); 0: the end of the page
    title: str

    def holds(self, line: int) -> bool:
        return line >= self.line and (self.end == 0 or line < self.end)


@dataclass(frozen=True, slots=True)
class CodeGap:
    """`framework` has no code in a section (or the page: `whole_page`) where
    `fallback` has."""

    framework: str
    fallback: str
    section: Section
    whole_page: bool = False


def sections(page: Page) -> list[Section]:
    """The page's sections in order, by the headings of its shared prose."""
    heads: list[tuple[int, str]] = []
    for block in page.blocks:
        if isinstance(block, TextBlock) and block.tab is None:
            for element in block.elements:
                if isinstance(element, Heading):
                    heads.append((element.line, element.title.text))
    if not heads or heads[0][0] > 1:
        heads.insert(0, (1, ""))
    return [
        Section(line, heads[i + 1][0] if i + 1 < len(heads) else 0, title)
        for i, (line, title) in enumerate(heads)
    ]


def fallback_order(framework: str, order: Sequence[str], preferred: str | None) -> list[str]:
    """The frameworks whose code may stand in for `framework`'s, in preference order."""
    ranked = [preferred] if preferred else []
    ranked += [fw for fw in order if fw != preferred]
    return [fw for fw in ranked if fw != framework]


def _code_lines(notebook: Notebook | None) -> list[int]:
    return [] if notebook is None else [c.line for c in notebook.code_cells]


def code_gaps(
    page: Page,
    framework: str,
    notebooks: Mapping[str, Notebook | None],
    order: Sequence[str],
    preferred: str | None = None,
) -> list[CodeGap]:
    """The gaps of `framework` on `page`, given every framework's notebook of
    the page (None, or absent: the framework has none)."""
    candidates = fallback_order(framework, order, preferred)
    own = _code_lines(notebooks.get(framework))
    whole = Section(1, 0, page.title or "")
    if not own:
        for fw in candidates:
            if _code_lines(notebooks.get(fw)):
                return [CodeGap(framework, fw, whole, whole_page=True)]
        return []
    gaps: list[CodeGap] = []
    for section in sections(page):
        if any(section.holds(line) for line in own):
            continue
        for fw in candidates:
            if any(section.holds(line) for line in _code_lines(notebooks.get(fw))):
                gaps.append(CodeGap(framework, fw, section))
                break
    return gaps


def may_have_gaps(page: Page, notebook: Notebook) -> bool:
    """Whether some section holds code cells of the page but none of
    `notebook`'s (only then are other frameworks' notebooks worth reading)."""
    own = _code_lines(notebook)
    lines = [cell.line for cell in page.code_cells]
    return any(
        any(s.holds(line) for line in lines) and not any(s.holds(line) for line in own)
        for s in sections(page)
    )
