"""Which frameworks a page and its cells belong to (DIALECT §3)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from polybook.source.model import Page


class ExistenceRule(StrEnum):
    # The existing toolchain's rule: the default framework always, others only
    # when a code cell names them explicitly (`all` does not count).
    NAMED = "named"
    # Every configured framework gets a notebook for every page.
    ALL = "all"


def page_frameworks(
    page: Page, ordered: Sequence[str], rule: ExistenceRule = ExistenceRule.NAMED
) -> list[str]:
    """The frameworks that get a notebook for `page`, in configuration order."""
    if rule is ExistenceRule.ALL:
        return list(ordered)
    named = page.named_frameworks
    return [fw for i, fw in enumerate(ordered) if i == 0 or fw in named]
