"""An execute rerun trusts an executed notebook, and the cache entry it came
from, whose stat is the one recorded when it was last verified
(`polybook.verified`): with nothing changed it reads neither and writes
nothing; one damaged with its size and mtime set back is still found. No
kernels: the pages are prose."""

from __future__ import annotations

import hashlib
import types
from pathlib import Path
from typing import Any

import pytest

from polybook.execute import cache as cache_module
from polybook.execute.plan import MANIFEST
from tests.cli.faultkit import execute_argv, prose_book, run
from tests.execute.conftest import TinyBook
from tests.verifiedkit import Hashed, same_size_damage, settle


class CacheHashes:
    """The cache entries whose payload `polybook.execute.cache` hashes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.payloads: list[bytes] = []

        def sha256(data: bytes = b"") -> Any:
            self.payloads.append(data)
            return hashlib.sha256(data)

        monkeypatch.setattr(cache_module, "hashlib", types.SimpleNamespace(sha256=sha256))


def _build(book: TinyBook) -> tuple[Path, Path, list[Path]]:
    """Executed twice (the second run verifies what the first one wrote),
    then the states settled: the executed folder, the cache's objects, and
    every file a rerun checks."""
    assert run(*execute_argv(book)).code == 0
    assert run(*execute_argv(book)).code == 0
    build = book.root / "_build"
    executed, objects = build / "executed" / "en", build / "cache" / "objects"
    split = build / "split" / "en"
    files = [*executed.rglob("*.ipynb"), *objects.rglob("*.json"), executed / MANIFEST]
    files += [*split.rglob("*.ipynb"), split / ".polybook-split.json"]
    for state in (build / "verified").iterdir():
        settle(state, files)
    return executed, objects, files


def test_a_rerun_with_nothing_changed_reads_no_executed_notebook_or_cache_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = prose_book(tmp_path)
    executed, objects, files = _build(book)
    assert len(list(executed.rglob("*.ipynb"))) == len(list(objects.rglob("*.json"))) == 3
    states = list((book.root / "_build" / "verified").iterdir())
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in [*files, *states]}
    hashed, cached = Hashed(monkeypatch), CacheHashes(monkeypatch)
    rerun = run(*execute_argv(book))
    assert (rerun.code, rerun.err) == (0, "")
    assert "execute: 3 notebooks, 3 up to date, 0 to run\n" in rerun.out
    assert (hashed.paths, cached.payloads) == ([], [])
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in before} == before


def test_an_executed_notebook_damaged_with_its_size_and_mtime_set_back_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = prose_book(tmp_path)
    executed, _, _ = _build(book)
    notebook = executed / "pytorch" / "ch" / "a.ipynb"
    original = notebook.read_bytes()
    before = same_size_damage(notebook)
    assert notebook.stat().st_ctime_ns != before.st_ctime_ns
    hashed = Hashed(monkeypatch)
    rerun = run(*execute_argv(book))
    assert rerun.code == 0
    assert rerun.err == (
        f"chapters/en/ch/a.md:1: warning PB009: executed notebook {notebook} did not match "
        "its checksum (damaged since it was written); written again\n"
    )
    assert hashed.paths == [str(notebook)]
    assert notebook.read_bytes() == original


def test_a_cache_entry_damaged_with_its_size_and_mtime_set_back_is_executed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = prose_book(tmp_path)
    _, objects, _ = _build(book)
    entry = next(p for p in sorted(objects.glob("*/*.json")) if b"ch/a.md" in p.read_bytes())
    original = entry.read_bytes()
    before = same_size_damage(entry)
    assert entry.stat().st_ctime_ns != before.st_ctime_ns
    cached = CacheHashes(monkeypatch)
    rerun = run(*execute_argv(book))
    assert rerun.code == 0
    assert rerun.err == (
        f"chapters/en/ch/a.md:1: warning PB009: cache entry {entry} did not match its "
        "checksum (damaged since it was written); executed again\n"
    )
    assert "1 executed, 2 cached" in rerun.out
    others = [p.read_bytes().partition(b"\n")[2] for p in objects.glob("*/*.json") if p != entry]
    assert len(others) == 2 and cached.payloads  # the damaged entry was read, no other
    assert not [data for data in cached.payloads if data in others]
    assert entry.read_bytes() == original


def test_a_notebook_written_by_a_run_is_trusted_by_the_next_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`materialize` records each executed notebook it writes: the first rerun
    after a run does not hash them again."""
    book = prose_book(tmp_path)
    assert run(*execute_argv(book)).code == 0
    build = book.root / "_build"
    executed = sorted((build / "executed" / "en").rglob("*.ipynb"))
    assert len(executed) == 3
    for state in (build / "verified").iterdir():
        settle(state, executed)
    hashed = Hashed(monkeypatch)
    rerun = run(*execute_argv(book))
    assert (rerun.code, rerun.err) == (0, "")
    assert not [p for p in hashed.paths if Path(p) in executed]
