"""Which frameworks a page and its cells belong to (DIALECT §3)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from polybook.source.model import ALL, CodeCell, Page, TextBlock


class ExistenceRule(StrEnum):
    """Which pages get a notebook for a framework (DIALECT §3)."""

    # The existing toolchain's rule for notebooks: a page with no code cell
    # exists for every framework; otherwise the default framework, and any
    # other one that a code marker or a non-empty `:begin_tab:` region names
    # (`all` does not count); and each needs at least one cell of its own.
    NAMED = "named"
    # The same rule with code markers only: what the library collects from.
    NAMED_IN_CODE = "named-in-code"
    # Every configured framework gets a notebook for every page.
    ALL = "all"


def _region_frameworks(page: Page) -> frozenset[str]:
    names: set[str] = set()
    for block in page.blocks:
        if isinstance(block, TextBlock) and block.tab is not None and block.text.strip():
            names.update(block.tab)
    return frozenset(names - {ALL})


def _keeps_a_cell(page: Page, framework: str, default: str) -> bool:
    for block in page.blocks:
        if isinstance(block, CodeCell) and block.belongs_to(framework, default):
            return True
        if (
            isinstance(block, TextBlock)
            and block.tab is not None
            and (framework in block.tab or ALL in block.tab)
        ):
            return True
    return False


def page_frameworks(
    page: Page, ordered: Sequence[str], rule: ExistenceRule = ExistenceRule.NAMED
) -> list[str]:
    """The frameworks that get a notebook for `page`, in configuration order."""
    if rule is ExistenceRule.ALL:
        return list(ordered)
    if page.interact_line is None and not page.code_cells:
        return list(ordered)
    named = page.named_frameworks
    if rule is ExistenceRule.NAMED:
        named |= _region_frameworks(page)
    default = ordered[0]
    return [
        fw for fw in ordered if (fw == default or fw in named) and _keeps_a_cell(page, fw, default)
    ]
