"""The result of resolving a cell's `tab.selected` branches for one framework."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Resolution:
    """A cell's code for one framework and, for each of its lines, the 0-based
    line of the unresolved source it comes from."""

    text: str
    origin: tuple[int, ...]
