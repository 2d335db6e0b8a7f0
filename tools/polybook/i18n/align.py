"""Pairing a translation's code cells with the origin's, for `sync-code`.

Cells pair only with cells of the same framework set (a cell's effective
frameworks: its marker, `all`, or the default tab of its page's language, so
a legacy `#@tab` page pairs with a `%%tab` origin), in their order among
the cells of that set, scoring 1 + the similarity of their code (difflib
over the code-line keys). The pairing maximises the total score (dynamic
programming). It is ambiguous
when a cell could pair, in an alignment scoring within `TOLERANCE` of the
best, with another cell than the chosen one, and its chosen partner is not
the same code: then nothing is guessed.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from polybook.i18n.codekey import code_keys
from polybook.source.model import CodeCell
from polybook.split.notebook import code_frameworks

TOLERANCE = 0.05


@dataclass(frozen=True, slots=True)
class Cells:
    """A page's code cells with their framework sets and code keys."""

    cells: tuple[CodeCell, ...]
    frameworks: tuple[frozenset[str], ...]
    keys: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, cells: Sequence[CodeCell], ordered: tuple[str, ...]) -> Cells:
        default = ordered[0]
        return cls(
            tuple(cells),
            tuple(frozenset(code_frameworks(c, default, ordered)) for c in cells),
            tuple(tuple(code_keys(c.source)) for c in cells),
        )


@dataclass(frozen=True, slots=True)
class Alignment:
    pairs: tuple[tuple[int, int], ...]  # (translation index, origin index)
    # translation index -> the other origin indices it could pair with
    ambiguous: tuple[tuple[int, tuple[int, ...]], ...]

    def origin_of(self, index: int) -> int | None:
        return next((j for i, j in self.pairs if i == index), None)


def _score(a: Cells, b: Cells, i: int, j: int) -> float:
    if a.keys[i] == b.keys[j]:
        return 2.0
    ratio = difflib.SequenceMatcher(None, a.keys[i], b.keys[j], autojunk=False).ratio()
    return 1.0 + ratio


def _align_group(
    mine: Cells, theirs: Cells, rows: list[int], cols: list[int]
) -> tuple[list[tuple[int, int]], list[tuple[int, tuple[int, ...]]]]:
    """The best order-keeping pairing of the cells `rows` (translation) with
    `cols` (origin), all of one framework set, and the ambiguous ones."""
    m, n = len(rows), len(cols)
    score = [[_score(mine, theirs, rows[i], cols[j]) for j in range(n)] for i in range(m)]
    fwd = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            fwd[i][j] = max(fwd[i - 1][j], fwd[i][j - 1], fwd[i - 1][j - 1] + score[i - 1][j - 1])
    bwd = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            bwd[i][j] = max(bwd[i + 1][j], bwd[i][j + 1], bwd[i + 1][j + 1] + score[i][j])
    best = fwd[m][n]
    pairs: list[tuple[int, int]] = []
    i, j = m, n
    while i > 0 and j > 0:
        if fwd[i][j] == fwd[i - 1][j - 1] + score[i - 1][j - 1]:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif fwd[i][j] == fwd[i - 1][j]:
            i -= 1
        else:
            j -= 1
    chosen = dict(pairs)
    ambiguous: list[tuple[int, tuple[int, ...]]] = []
    for a in range(m):
        near = [
            b for b in range(n) if fwd[a][b] + score[a][b] + bwd[a + 1][b + 1] >= best - TOLERANCE
        ]
        partner = chosen.get(a)
        exact = partner is not None and mine.keys[rows[a]] == theirs.keys[cols[partner]]
        others = tuple(cols[b] for b in near if b != partner)
        if others and not exact:
            ambiguous.append((rows[a], others))
    return [(rows[a], cols[b]) for a, b in reversed(pairs)], ambiguous


def align(mine: Cells, theirs: Cells) -> Alignment:
    """Cells of each framework set paired in their order (cells of different
    sets may be ordered differently on the two pages: no notebook sees it)."""
    pairs: list[tuple[int, int]] = []
    ambiguous: list[tuple[int, tuple[int, ...]]] = []
    for group in dict.fromkeys(mine.frameworks + theirs.frameworks):
        rows = [i for i, f in enumerate(mine.frameworks) if f == group]
        cols = [j for j, f in enumerate(theirs.frameworks) if f == group]
        found, unclear = _align_group(mine, theirs, rows, cols)
        pairs.extend(found)
        ambiguous.extend(unclear)
    return Alignment(tuple(sorted(pairs)), tuple(sorted(ambiguous)))
