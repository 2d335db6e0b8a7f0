"""The execute manifest's typed records: written deterministically, read back
equal, older manifests (seconds as a string) read, damaged entries dropped."""

from __future__ import annotations

from pathlib import Path

from polybook.execute.record import Executed, manifest_bytes, read_manifest


def test_round_trip_and_the_bytes_written(tmp_path: Path) -> None:
    manifest = {
        "en/pytorch/b.md": Executed("s2", "k2", "e2", 0.12345),
        "en/pytorch/a.md": Executed("s1", "k1"),
    }
    data = manifest_bytes(manifest)
    assert data == (
        b'{\n "en/pytorch/a.md": {\n  "key": "k1",\n  "split": "s1"\n },\n'
        b' "en/pytorch/b.md": {\n  "executed": "e2",\n  "key": "k2",\n'
        b'  "seconds": 0.123,\n  "split": "s2"\n }\n}\n'
    )
    path = tmp_path / "manifest.json"
    path.write_bytes(data)
    assert read_manifest(path) == {
        "en/pytorch/a.md": Executed("s1", "k1"),
        "en/pytorch/b.md": Executed("s2", "k2", "e2", 0.123),
    }
    assert manifest_bytes(read_manifest(path)) == data


def test_an_older_manifest_and_damaged_entries(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(
        '{"a": {"split": "s", "key": "k", "executed": "e", "seconds": "2.500"},'
        ' "b": {"split": "s", "key": 3}, "c": [], "d": {"split": "s", "key": "k",'
        ' "seconds": "soon"}, "e": {"split": "s", "key": "k", "seconds": true}}',
        "utf-8",
    )
    assert read_manifest(path) == {
        "a": Executed("s", "k", "e", 2.5),
        "d": Executed("s", "k"),
        "e": Executed("s", "k"),
    }
    path.write_text("[1, 2]", "utf-8")
    assert read_manifest(path) == {}
    path.write_text("{not json", "utf-8")
    assert read_manifest(path) == {}
    assert read_manifest(tmp_path / "missing.json") == {}
