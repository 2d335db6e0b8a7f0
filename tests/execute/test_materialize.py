"""Writing an executed notebook (`RunState.materialize`), without a kernel:
the bytes, the manifest record, and when the file on disk is left alone."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import pytest

from polybook.execute.cache import Cache
from polybook.execute.libdeps import load_index
from polybook.execute.model import CellOutputs
from polybook.execute.plan import Item, executed_text, make_item, read_split
from polybook.execute.record import Executed
from polybook.execute.state import ExecuteOptions, RunState
from polybook.source.book import Book
from polybook.split.model import Cell, CellKind, Notebook
from tests.conftest import FIXTURES

CELLS: list[CellOutputs] = [
    {"outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}], "execution_count": 1}
]


def _item(tmp_path: Path) -> tuple[Book, Item]:
    book = Book.open(FIXTURES / "seedbook")
    cells = (
        Cell(CellKind.MARKDOWN, "# A", 1, (1,)),
        Cell(CellKind.CODE, "print(1)", 3, (4,), ("pytorch",)),
    )
    split = tmp_path / "split" / "pytorch" / "ch" / "a.ipynb"
    split.parent.mkdir(parents=True)
    split.write_text(Notebook("chapters/en/ch/a.md", "ch/a.md", "en", "pytorch", cells).to_json())
    read = read_split(split, "en")
    library = load_index(Path("/nonexistent/torch.py"), "d2l")
    out = tmp_path / "executed"
    item = make_item(book, "en", "pytorch", "ch/a.md", read, read.sha, out, "ENV", library, 0)
    return book, item


def _state(book: Book, item: Item, tmp_path: Path) -> RunState:
    out = item.executed_path.parents[2]
    return RunState(book, ExecuteOptions("en", ["pytorch"]), Cache(tmp_path / "cache"), out)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files read through `Path.read_bytes` from now on."""
    read: list[Path] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    return read


def test_written_bytes_and_their_record(tmp_path: Path) -> None:
    book, item = _item(tmp_path)
    state = _state(book, item, tmp_path)
    assert state.materialize(item, CELLS, 2.5)
    data = item.executed_path.read_bytes()
    assert data.decode() == executed_text(item, CELLS)
    digest = hashlib.sha256(data).hexdigest()
    assert state.manifest[item.manifest_key] == Executed(item.split_sha, item.key, digest, 2.5)
    assert not state.materialize(item, CELLS + CELLS, 2.5)  # outputs that do not fit


def test_the_same_bytes_are_not_written_again(tmp_path: Path) -> None:
    """Without a record (a manifest lost) or with a record of these very
    bytes (a forced run), a file that holds them already is left as it is;
    a damaged one is written again."""
    book, item = _item(tmp_path)
    first = _state(book, item, tmp_path)
    assert first.materialize(item, CELLS, 1.0)
    inode = os.stat(item.executed_path).st_ino
    for state in (_state(book, item, tmp_path), first):
        assert state.materialize(item, CELLS, 1.0)
        assert os.stat(item.executed_path).st_ino == inode
    good = item.executed_path.read_bytes()
    item.executed_path.write_bytes(good.replace(b'"1\\n"', b'"2\\n"'))
    assert first.materialize(item, CELLS, 1.0)
    assert item.executed_path.read_bytes() == good


def test_a_record_of_other_bytes_writes_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book, item = _item(tmp_path)
    state = _state(book, item, tmp_path)
    assert state.materialize(item, CELLS, 1.0)
    inode = os.stat(item.executed_path).st_ino
    recorded = state.manifest[item.manifest_key]
    state.manifest[item.manifest_key] = replace(recorded, executed="0" * 64)  # an older run's
    read = _reads(monkeypatch)
    assert state.materialize(item, CELLS, 1.0)
    assert item.executed_path not in read
    assert os.stat(item.executed_path).st_ino != inode  # written (atomically: a new file)
    assert state.manifest[item.manifest_key].executed != "0" * 64
