"""`polybook.verified`: a file is trusted by its stat, without being read,
only when every stat field is the one recorded and the record is older than
the state file; anything else is hashed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from polybook import verified
from polybook.layout import BuildLayout
from polybook.verified import FORMAT, Verified, stamp
from tests.verifiedkit import SECOND, Hashed, same_size_damage, settle, sha


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    (folder / "fw").mkdir(parents=True)
    return folder


def _state(tmp_path: Path) -> Path:
    return tmp_path / "_build" / "verified" / "state.json"


def _recorded(tmp_path: Path, out: Path, *files: Path) -> Path:
    """A saved state that has verified `files`, settled (no record racy)."""
    state = _state(tmp_path)
    first = Verified.open(state, out)
    for path in files:
        assert first.sha256(path) == sha(path.read_bytes())
    first.save()
    settle(state, files)
    return state


def test_a_file_whose_stat_is_recorded_is_trusted_without_being_read(
    tmp_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = out / "fw" / "page.ipynb"
    page.write_bytes(b'{"cells": []}\n')
    state = _recorded(tmp_path, out, page)
    hashed = Hashed(monkeypatch)
    again = Verified.open(state, out)
    assert again.sha256(page) == sha(b'{"cells": []}\n')
    assert hashed.paths == []
    # the rule, precisely: a change that left every stat field as recorded
    # would go unseen (the file is not read); no program can leave the ctime
    recorded = stamp(page)
    page.write_bytes(b'{"cells": [1]}\n')
    monkeypatch.setattr(verified, "stamp", lambda path: recorded)
    assert again.trusted(page) == sha(b'{"cells": []}\n')
    assert hashed.paths == []


def test_a_damaged_file_whose_size_and_mtime_were_restored_is_hashed(
    tmp_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = out / "fw" / "page.ipynb"
    page.write_bytes(b'{"cells": [], "metadata": {}}\n')
    state = _recorded(tmp_path, out, page)
    before = same_size_damage(page)
    assert page.stat().st_ctime_ns != before.st_ctime_ns  # only the ctime tells
    hashed = Hashed(monkeypatch)
    again = Verified.open(state, out)
    assert again.trusted(page) is None
    assert again.sha256(page) == sha(page.read_bytes()) != sha(b'{"cells": [], "metadata": {}}\n')
    assert hashed.paths == [str(page)]


def test_a_racy_record_is_hashed_and_the_state_written_again(
    tmp_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = out / "fw" / "page.ipynb"
    page.write_bytes(b"{}\n")
    state = _recorded(tmp_path, out, page)
    st = page.stat()
    tick = max(st.st_mtime_ns, st.st_ctime_ns)
    os.utime(state, ns=(tick, tick))  # the state written in the file's last tick
    hashed = Hashed(monkeypatch)
    racy = Verified.open(state, out)
    assert racy.trusted(page) is None
    assert racy.sha256(page) == sha(b"{}\n")
    assert hashed.paths == [str(page)]
    racy.save()  # the same record, now older than the state: written again
    assert state.stat().st_mtime_ns > tick
    settled = Verified.open(state, out)
    assert settled.sha256(page) == sha(b"{}\n")
    assert hashed.paths == [str(page)]


def test_whole_second_timestamps_count_as_two_seconds_late(tmp_path: Path, out: Path) -> None:
    page = out / "fw" / "page.ipynb"
    page.write_bytes(b"{}\n")
    whole = (page.stat().st_ctime_ns // SECOND + 1) * SECOND  # a coarse file system's mtime
    os.utime(page, ns=(whole, whole))
    state = _state(tmp_path)
    first = Verified.open(state, out)
    assert first.sha256(page) == sha(b"{}\n")
    first.save()
    assert page.stat().st_ctime_ns < whole + SECOND
    os.utime(state, ns=(whole + SECOND, whole + SECOND))
    assert Verified.open(state, out).trusted(page) is None  # within two seconds: racy
    later = whole + 2 * SECOND + 1
    os.utime(state, ns=(later, later))
    assert Verified.open(state, out).trusted(page) == sha(b"{}\n")


def _foreign(good: dict[str, object], kind: str) -> bytes | None:
    """A state file of the given kind, made from a good one."""
    root, files = good["root"], good["files"]
    raw: dict[str, bytes | None] = {
        "missing": None,
        "not JSON": b"\x00\xff{ garbage",
        "truncated": b'{"format": 1, "root": ',
        "not an object": b"[1, 2]\n",
    }
    if kind in raw:
        return raw[kind]
    data = {
        "another format": {"format": FORMAT + 1, "root": root, "files": files},
        "another folder": {"format": FORMAT, "root": "/elsewhere", "files": files},
        "files not a table": {"format": FORMAT, "root": root, "files": [1]},
        "damaged records": {
            "format": FORMAT,
            "root": root,
            "files": {"fw/page.ipynb": [1, "x"], "fw/other.ipynb": 3},
        },
    }[kind]
    return json.dumps(data).encode()


KINDS = [
    "missing",
    "not JSON",
    "truncated",
    "not an object",
    "another format",
    "another folder",
    "files not a table",
    "damaged records",
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_corrupt_or_foreign_state_means_hashing_everything(
    tmp_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    page = out / "fw" / "page.ipynb"
    page.write_bytes(b"{}\n")
    state = _recorded(tmp_path, out, page)
    content = _foreign(json.loads(state.read_text()), kind)
    if content is None:
        state.unlink()
    else:
        state.write_bytes(content)
        settle(state, [page])
    hashed = Hashed(monkeypatch)
    again = Verified.open(state, out)
    assert again.sha256(page) == sha(b"{}\n")
    assert hashed.paths == [str(page)]
    again.save()  # written again, whole
    now = stamp(page)
    assert now is not None
    assert json.loads(state.read_text()) == {
        "format": FORMAT,
        "root": str(out),
        "files": {"fw/page.ipynb": [*now, sha(b"{}\n")]},
    }


def test_the_state_is_written_only_when_it_changed(tmp_path: Path, out: Path) -> None:
    page = out / "fw" / "page.ipynb"
    page.write_bytes(b"{}\n")
    state = _recorded(tmp_path, out, page)
    before = state.stat()
    again = Verified.open(state, out)
    assert again.sha256(page) == sha(b"{}\n")
    again.save()
    after = state.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_the_records_of_files_that_are_gone_are_left_out(tmp_path: Path, out: Path) -> None:
    kept, gone = out / "fw" / "kept.ipynb", out / "fw" / "gone.ipynb"
    kept.write_bytes(b"{}\n")
    gone.write_bytes(b"[]\n")
    state = _recorded(tmp_path, out, kept, gone)
    assert set(json.loads(state.read_text())["files"]) == {"fw/kept.ipynb", "fw/gone.ipynb"}
    gone.unlink()
    again = Verified.open(state, out)
    other = out / "fw" / "new.ipynb"
    other.write_bytes(b"1\n")
    again.record(other, sha(b"1\n"))  # a change: the state is written
    again.save()
    assert set(json.loads(state.read_text())["files"]) == {"fw/kept.ipynb", "fw/new.ipynb"}


@pytest.mark.parametrize("way", ["a file stands for the folder", "a folder stands for the file"])
def test_a_state_that_cannot_be_written_is_left_as_it_was(
    tmp_path: Path, out: Path, way: str
) -> None:
    page = out / "fw" / "page.ipynb"
    page.write_bytes(b"{}\n")
    state = _state(tmp_path)
    if way == "a file stands for the folder":
        state.parent.parent.mkdir(parents=True)
        state.parent.write_text("not a folder\n")
    else:
        state.mkdir(parents=True)
    first = Verified.open(state, out)
    assert first.sha256(page) == sha(b"{}\n")
    first.save()  # no error: the state is a cache
    assert state.parent.is_file() if way == "a file stands for the folder" else state.is_dir()


def test_the_state_of_a_folder_is_named_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = BuildLayout(tmp_path / "book")
    monkeypatch.chdir(tmp_path)
    named = layout.verified(Path("elsewhere"))
    assert named == layout.verified(tmp_path / "elsewhere")
    assert named.parent == tmp_path / "book" / "_build" / "verified"
    assert named != layout.verified(tmp_path / "book" / "_build" / "split" / "en")


def test_a_state_whose_folder_is_gone_is_removed_when_another_is_written(
    tmp_path: Path,
) -> None:
    layout = BuildLayout(tmp_path / "book")
    folders = [tmp_path / "gone", tmp_path / "kept", tmp_path / "written"]
    for folder in folders:
        folder.mkdir()
        (folder / "page.ipynb").write_bytes(b"{}\n")
        first = Verified.open(layout.verified(folder), folder)
        assert first.sha256(folder / "page.ipynb") == sha(b"{}\n")
        first.save()
    (tmp_path / "gone" / "page.ipynb").unlink()
    (tmp_path / "gone").rmdir()
    assert {p.name for p in (layout.build / "verified").iterdir()} == {
        layout.verified(f).name for f in folders
    }
    written = tmp_path / "written"
    again = Verified.open(layout.verified(written), written)
    (written / "new.ipynb").write_bytes(b"[]\n")
    assert again.sha256(written / "new.ipynb") == sha(b"[]\n")
    again.save()
    assert {p.name for p in (layout.build / "verified").iterdir()} == {
        layout.verified(f).name for f in folders[1:]
    }
