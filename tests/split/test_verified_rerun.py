"""A split rerun trusts a notebook whose stat is the one recorded when it was
written or last verified (`polybook.verified`): it reads no notebook when
nothing changed, and still finds a damaged one whose size and mtime were
set back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from polybook.source.book import Book
from polybook.split.manifest import MANIFEST
from polybook.split.run import split_book
from tests.verifiedkit import SECOND, Hashed, same_size_damage, settle

LANG = "id"  # four pages, four frameworks: 16 notebooks


def _generated(out: Path) -> list[Path]:
    """The notebooks and the manifest of a split folder."""
    return sorted([*out.rglob("*.ipynb"), out / MANIFEST])


def _split(book: Book, out: Path) -> Path:
    """Split, then settle the state: its path."""
    split_book(book, LANG, out)
    state = book.layout.verified(out)
    settle(state, _generated(out))
    return state


def _tick(path: Path) -> int:
    st = path.stat()
    ns = max(st.st_mtime_ns, st.st_ctime_ns)
    return ns + 2 * SECOND if ns % SECOND == 0 else ns


def test_a_rerun_with_nothing_changed_reads_no_notebook_and_writes_nothing(
    seed_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = seed_book.layout.split(LANG)
    state = _split(seed_book, out)
    files = _generated(out)
    assert len(files) == 17
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in [*files, state]}
    hashed = Hashed(monkeypatch)
    again = split_book(seed_book, LANG, out)
    assert hashed.paths == []
    assert (again.written, again.unchanged, again.removed) == ([], 4, [])
    assert [d.code for d in again.diagnostics] == ["PB101"]
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in before} == before


def test_a_notebook_damaged_with_its_size_and_mtime_set_back_is_written_again(
    seed_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = seed_book.layout.split(LANG)
    _split(seed_book, out)
    notebook = out / "jax" / "chapter_cnn" / "lenet.ipynb"
    original = notebook.read_bytes()
    before = same_size_damage(notebook)
    assert notebook.stat().st_ctime_ns != before.st_ctime_ns
    hashed = Hashed(monkeypatch)
    again = split_book(seed_book, LANG, out)
    assert hashed.paths == [str(notebook)]
    assert sorted(p.relative_to(out).as_posix() for p in again.written) == [
        f"{fw}/chapter_cnn/lenet.ipynb" for fw in ("jax", "mxnet", "pytorch", "tensorflow")
    ]
    assert [(d.code, d.file, d.line) for d in again.diagnostics if d.code == "PB009"] == [
        ("PB009", "chapters/id/chapter_cnn/lenet.md", 1)
    ]
    assert notebook.read_bytes() == original


def test_a_corrupt_state_means_every_notebook_is_hashed_and_the_rerun_is_the_same(
    seed_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = seed_book.layout.split(LANG)
    state = _split(seed_book, out)
    files = _generated(out)
    contents = {p: p.read_bytes() for p in files}
    state.write_bytes(b'{"format": 1, "root": "')  # cut short
    hashed = Hashed(monkeypatch)
    again = split_book(seed_book, LANG, out)
    assert sorted(hashed.paths) == sorted(map(str, files))
    assert (again.written, again.unchanged) == ([], 4)
    assert [d.code for d in again.diagnostics] == ["PB101"]
    assert {p: p.read_bytes() for p in files} == contents
    assert sorted(json.loads(state.read_text())["files"]) == sorted(
        p.relative_to(out).as_posix() for p in files
    )


def test_racy_records_are_hashed(seed_book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    out = seed_book.layout.split(LANG)
    _split(seed_book, out)
    state = seed_book.layout.verified(out)
    files = _generated(out)
    written = _tick(out / MANIFEST)  # the manifest is written last
    os.utime(state, ns=(written, written))  # as if the state was written in that tick
    racy = {str(p) for p in files if _tick(p) >= written}
    hashed = Hashed(monkeypatch)
    again = split_book(seed_book, LANG, out)
    assert str(out / MANIFEST) in racy
    assert sorted(hashed.paths) == sorted(racy)
    assert (again.written, again.unchanged) == ([], 4)
    assert state.stat().st_mtime_ns > written  # written again: the records are older now


def test_the_state_of_split_out_is_in_the_books_build_and_no_stat_is_in_the_output(
    seed_book: Book, tmp_path: Path
) -> None:
    out = tmp_path / "elsewhere" / "notebooks"
    split_book(seed_book, LANG, out)
    state = seed_book.layout.verified(out)
    assert state.parent == seed_book.root / "_build" / "verified"
    data = json.loads(state.read_text())
    assert data["root"] == str(out)
    assert sorted(data["files"]) == sorted(p.relative_to(out).as_posix() for p in _generated(out))
    assert sorted(p for p in out.rglob("*") if p.is_file()) == _generated(out)
    manifest = json.loads((out / MANIFEST).read_text())
    assert {key for entry in manifest.values() for key in entry} == {
        "diagnostics",
        "fingerprint",
        "outputs",
        "sums",
    }
