"""The five real seed pages: polybook's library is d2lbook 1.0.3's, byte for byte,
with either framework as the default tab (goldens in fixtures/seeds_d2lbook)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from polybook.library.run import generate_library, write_library
from polybook.source.book import Book
from tests.conftest import seed_path
from tests.library.util import FIXTURES

GOLDEN = FIXTURES / "seeds_d2lbook"
TABS = {
    "default_mxnet": "mxnet, pytorch, tensorflow, jax",
    "default_pytorch": "pytorch, mxnet, tensorflow, jax",
}


def _book(root: Path, tabs: str) -> Path:
    chapter = root / "ch"
    chapter.mkdir(parents=True)
    for i, number in enumerate(["000", "001", "002", "003", "004"]):
        (chapter / f"seed{i}.md").write_bytes(seed_path(number).read_bytes())
    (chapter / "base.md").write_bytes((GOLDEN / "base.md").read_bytes())
    toc = "\n".join(["base"] + [f"seed{i}" for i in range(5)])
    (chapter / "index.md").write_text(f"# Ch\n:label:`chap_x`\n\n```toc\n{toc}\n```\n")
    (root / "index.md").write_text("# Seeds\n\n```toc\nch/index\n```\n")
    config = (GOLDEN / "config.ini").read_text(encoding="utf-8")
    (root / "config.ini").write_text(re.sub(r"(?m)^tabs = .*$", f"tabs = {tabs}", config))
    (root / "d2l").mkdir()
    (root / "d2l" / "__init__.py").write_text('__version__ = "0"\n')
    return root


@pytest.mark.parametrize("order", sorted(TABS))
def test_seed_libraries_match_d2lbook(tmp_path: Path, order: str) -> None:
    root = _book(tmp_path / "book", TABS[order])
    result = generate_library(Book.open(root))
    write_library(result)
    expected = sorted(p.name for p in (GOLDEN / order).iterdir())
    assert sorted(p.name for p in (root / "d2l").iterdir()) == expected
    for name in expected:
        produced = (root / "d2l" / name).read_bytes()
        assert produced == (GOLDEN / order / name).read_bytes(), f"{order}/{name}"
        compile(produced, name, "exec")
