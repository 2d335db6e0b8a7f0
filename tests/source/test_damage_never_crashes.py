"""Damaged pages never crash the parser, the split or the code checks.

Each seed page is damaged many times with a seeded random generator (lines
dropped, duplicated or cut, fence/marker/role fragments and bad bytes
inserted); every stage must still return, with the damage as diagnostics.
"""

from __future__ import annotations

import random

import pytest

from polybook.check.code import check_cell
from polybook.source.parser import parse_page
from polybook.split.page import split_page
from tests.conftest import FRAMEWORKS, seed_path

FRAGMENTS = [
    b"```",
    b"```python",
    b"```{.python .input}",
    b"~~~",
    b"%%tab jax",
    b"#@tab pytorch, paddle",
    b"# %%tab",
    b":begin_tab:`mxnet`",
    b":end_tab:",
    b":numref:`sec_",
    b":cite:``a,b``",
    b":label:`",
    b"if tab.selected('jax'):",
    b"elif tab.selected(",
    b"    else:",
    b"\tx = 1",
    b"$$",
    b"\xff\xfe\xc3",
    b"4\xc3\xa2\xe2\x82\xac\xe2\x80\x9c8",
    b"! [cap](.. /img/x.svg) :label:`fig_x`",
    b"%load_ext d2lbook.tab",
    b"#required_libs(\"a==1\", 'b'",
    b"```toc\n:maxdepth: 2\nmissing/page",
]


def _damage(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        i = rng.randrange(len(lines)) if lines else 0
        if op == 0 and lines:
            del lines[i]
        elif op == 1 and lines:
            lines.insert(i, lines[i])
        elif op == 2 and lines:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif op == 3:
            lines.insert(i, rng.choice(FRAGMENTS))
        else:
            lines = lines[: rng.randrange(len(lines) + 1)]
    return b"\n".join(lines)


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_damaged_seed_pages_are_processed(number: str) -> None:
    original = seed_path(number).read_bytes()
    rng = random.Random(int(number) + 2026)
    for _ in range(40):
        data = _damage(original, rng)
        page = parse_page(data, lang="x", path="p.md", file="p.md", known=FRAMEWORKS)
        for ordered in (FRAMEWORKS, ("mxnet", "pytorch", "tensorflow", "jax")):
            split = split_page(page, ordered)
            for cell in page.code_cells:
                versions = {
                    fw: c
                    for fw, nb in split.notebooks.items()
                    for c in nb.code_cells
                    if c.line == cell.line
                }
                found = check_cell(page, cell, versions)
                assert all(d.line >= 1 for d in found)
            assert all(d.line >= 1 for d in split.diagnostics)
        assert all(d.line >= 1 for d in page.diagnostics)
