"""Per-framework notebooks and cells match what d2lbook 1.0.3 writes for the seeds.

The reference (tests/reference/d2lbook_seed_cells.json, see D2LBOOK_FACTS.md)
lists, per seed, tab order and framework, each cell's type and first line.
d2lbook sorts imports in code cells (isort) and polybook keeps code as written,
so for code cells the reference's first line must be one of our cell's lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polybook.source.parser import parse_page
from polybook.split.page import split_page
from tests.conftest import seed_path

REFERENCE = json.loads(
    (Path(__file__).resolve().parents[1] / "reference" / "d2lbook_seed_cells.json").read_text(
        encoding="utf-8"
    )
)
ORDERS = {
    "default_mxnet": ("mxnet", "pytorch", "tensorflow", "jax"),
    "default_pytorch": ("pytorch", "mxnet", "tensorflow", "jax"),
}


@pytest.mark.parametrize("order", sorted(ORDERS))
@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_seed_matches_d2lbook(number: str, order: str) -> None:
    ordered = ORDERS[order]
    page = parse_page(
        seed_path(number).read_bytes(), lang="x", path="p.md", file="p.md", known=ordered
    )
    ours = split_page(page, ordered).notebooks
    reference = REFERENCE[number][order]
    assert sorted(ours) == sorted(reference)
    for framework, cells in reference.items():
        mine = ours[framework].cells
        assert [c.kind for c in mine] == [kind for kind, _ in cells], framework
        for cell, (kind, first) in zip(mine, cells, strict=True):
            if kind == "markdown":
                assert cell.source.strip().split("\n")[0].strip() == first.strip()
            else:
                assert first.strip() in [line.strip() for line in cell.source.split("\n")]
