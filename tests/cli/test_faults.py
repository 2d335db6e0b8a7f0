"""Every user-facing fault ends with one line that names the path and the
action, never a traceback, with the documented exit status (2: setup), and a
rerun completes once the fault is gone. No kernels: the pages are prose."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from polybook.diagnostics import Code
from polybook.execute.cache import Cache
from tests.cli.faultkit import WAYS, blocked, execute_argv, prose_book, run, snapshot
from tests.execute.conftest import TinyBook


@pytest.fixture
def tiny(tmp_path: Path) -> TinyBook:
    return prose_book(tmp_path)


def _split(book: TinyBook, *args: str) -> list[str]:
    return ["--book", str(book.root), "split", *args]


def _html(book: TinyBook, *args: str) -> list[str]:
    return ["--book", str(book.root), "build", "html", *args]


def _lib_page(book: TinyBook) -> None:
    book.write("ch/b.md", "# B\n\n```{.python .input}\ndef two():  #@save\n    return 2\n```\n")


def _lib(book: TinyBook) -> list[str]:
    return ["--book", str(book.root), "lib"]


Argv = Callable[[TinyBook], list[str]]
# (name, the folder made unwritable, the command, what it was doing)
UNWRITABLE: list[tuple[str, str, Argv, str]] = [
    ("split", "_build/split", _split, "split en"),
    ("executed", "_build/executed", execute_argv, "execute en"),
    ("cache", "_build/cache", execute_argv, "execute en"),
    ("html", "_build/html", _html, "build html en/pytorch"),
    ("render", "_build/render", _html, "build html en/pytorch"),
    ("library", "d2l", _lib, "lib"),
]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    ("name", "folder", "argv", "action"), UNWRITABLE, ids=[case[0] for case in UNWRITABLE]
)
def test_an_unwritable_output_folder_is_one_line_and_a_rerun_completes(
    tiny: TinyBook, way: str, name: str, folder: str, argv: Argv, action: str
) -> None:
    if name == "library":
        _lib_page(tiny)
    target = tiny.root / folder
    with blocked(target, way):
        failed = run(*argv(tiny))
    line = failed.fault()
    assert failed.code == 2
    if name == "library" and way == "file":  # no package there: the library stage says so
        assert line.startswith("polybook: lib: d2l/__init__.py is missing: "), line
        assert line.endswith("; nothing was written")
        assert run(*argv(tiny)).code == 0
        return
    code = Code.NOT_A_FOLDER if way == "file" else Code.WRITE_FAILED
    head = f"polybook: error {code.id}: {action}: cannot write {target}"
    assert line.startswith(head) and line[len(head)] in "/:", line
    if way == "file":
        assert f"{target} is a file where a folder is needed" in line
    else:
        assert "permission denied" in line and "writable, then run again" in line
    rerun = run(*argv(tiny))
    assert (rerun.code, rerun.err) == (0, ""), rerun.err


@pytest.mark.parametrize("way", WAYS)
def test_executed_notebooks_restored_from_the_cache_into_an_unwritable_folder(
    tiny: TinyBook, way: str
) -> None:
    assert run(*execute_argv(tiny)).code == 0
    target = tiny.root / "_build" / "executed" / "en"
    # without its manifest, no notebook is up to date (a rerun with nothing
    # changed writes nothing, not even the manifest)
    (target / ".polybook-execute.json").unlink()
    with blocked(target, way):  # the cached path: the notebooks are written, nothing runs
        failed = run(*execute_argv(tiny))
    assert failed.code == 2
    assert failed.fault().startswith(f"polybook: error PB00{'3' if way == 'file' else '1'}: ")
    assert f"execute en: cannot write {target}/" in failed.fault()
    assert run(*execute_argv(tiny)).code == 0
    assert json.loads((target / "pytorch" / "ch" / "a.ipynb").read_text())["cells"]


def _truncate(path: Path) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return data


def test_a_damaged_split_notebook_is_written_again(tiny: TinyBook) -> None:
    assert run(*_split(tiny)).code == 0
    notebook = tiny.root / "_build" / "split" / "en" / "pytorch" / "ch" / "a.ipynb"
    original = _truncate(notebook)
    rerun = run(*_split(tiny))
    assert rerun.code == 0
    assert rerun.err == (
        f"chapters/en/ch/a.md:1: warning PB009: split notebook {notebook} did not match its "
        "checksum in the split manifest (damaged since it was written); written again\n"
    )
    assert "1 written (1 notebooks), 2 unchanged" in rerun.out
    assert notebook.read_bytes() == original
    notebook.write_bytes(original.replace(b"first page", b"FIRST PAGE"))  # same size
    assert "written again" in run(*_split(tiny)).err
    assert notebook.read_bytes() == original
    assert run(*_split(tiny)).err == ""


def test_a_truncated_split_notebook_stops_execute_no_split_then_execute_mends_it(
    tiny: TinyBook,
) -> None:
    assert run(*_split(tiny)).code == 0
    notebook = tiny.root / "_build" / "split" / "en" / "pytorch" / "ch" / "b.ipynb"
    _truncate(notebook)
    failed = run(*execute_argv(tiny, "--no-split"))
    assert failed.code == 2
    line = failed.fault()
    assert line.startswith(
        f"polybook: error PB005: execute en: cannot read split notebook {notebook}: "
        "not valid JSON (line "
    ), line
    assert line.endswith("; run `polybook split --lang en`, which writes it again")
    rerun = run(*execute_argv(tiny))
    assert rerun.code == 0, rerun.err
    assert "3 pages, 1 written (1 notebooks), 2 unchanged" in rerun.out
    assert json.loads(notebook.read_text())["cells"]


def test_build_html_never_drops_a_page_whose_notebook_is_damaged(tiny: TinyBook) -> None:
    assert run(*_html(tiny)).code == 0
    notebook = tiny.root / "_build" / "split" / "en" / "pytorch" / "ch" / "b.ipynb"
    _truncate(notebook)
    failed = run(*_html(tiny, "--no-split"))
    assert failed.code == 2
    assert failed.fault().startswith(
        f"polybook: error PB005: build: cannot read notebook {notebook}: not valid JSON"
    )
    assert failed.fault().endswith("; run `polybook split --lang en`")
    rerun = run(*_html(tiny))
    assert rerun.code == 0, rerun.err
    site = tiny.root / "_build" / "html" / "en" / "pytorch"
    assert "The second page, prose only." in (site / "ch" / "b.html").read_text()


def test_a_damaged_executed_notebook_is_written_again_from_the_cache(tiny: TinyBook) -> None:
    assert run(*execute_argv(tiny)).code == 0
    executed = tiny.root / "_build" / "executed" / "en" / "pytorch" / "ch" / "a.ipynb"
    original = _truncate(executed)
    rerun = run(*execute_argv(tiny))
    assert rerun.code == 0
    assert rerun.err == (
        f"chapters/en/ch/a.md:1: warning PB009: executed notebook {executed} did not match "
        "its checksum (damaged since it was written); written again\n"
    )
    assert executed.read_bytes() == original
    assert "0 executed, 3 cached" in rerun.out


def test_a_corrupt_cache_entry_is_executed_again(tiny: TinyBook) -> None:
    assert run(*execute_argv(tiny)).code == 0
    objects = tiny.root / "_build" / "cache" / "objects"
    entry = next(p for p in sorted(objects.glob("*/*.json")) if b"ch/a.md" in p.read_bytes())
    original = entry.read_bytes()
    entry.write_bytes(original.replace(b'"ch/a.md"', b'"ch/x.md"'))
    rerun = run(*execute_argv(tiny))
    assert rerun.code == 0
    assert rerun.err == (
        f"chapters/en/ch/a.md:1: warning PB009: cache entry {entry} did not match its "
        "checksum (damaged since it was written); executed again\n"
    )
    assert "1 executed, 2 cached" in rerun.out
    assert entry.read_bytes() == original
    verify = run("--book", str(tiny.root), "cache", "verify")
    assert verify.code == 0
    assert verify.out.endswith("3 entries checked, 0 corrupt\n")


def _disk_full(monkeypatch: pytest.MonkeyPatch, under: Path) -> None:
    """Every atomic write under `under` fails as on a full disk (at the rename
    `polybook.files.write_atomic` ends with, after the data was written)."""
    real = os.replace

    def replace(src: object, dst: object, *args: object, **kw: object) -> None:
        if str(dst).startswith(str(under)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src))
        real(src, dst, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)


FULL = [
    ("split", _split, "split", "split en"),
    ("execute", execute_argv, "executed", "execute en"),
    ("cache", execute_argv, "cache", "execute en"),
    ("html", _html, "render", "build html en/pytorch"),
]


@pytest.mark.parametrize(("name", "argv", "folder", "action"), FULL, ids=[f[0] for f in FULL])
def test_a_full_disk_is_one_line_and_leaves_no_temporary_file(
    tiny: TinyBook,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    argv: Argv,
    folder: str,
    action: str,
) -> None:
    stage = tiny.root / "_build" / folder
    with monkeypatch.context() as patch:
        _disk_full(patch, stage)
        failed = run(*argv(tiny))
    assert failed.code == 2
    line = failed.fault()
    assert line.startswith(f"polybook: error PB002: {action}: cannot write {stage}/"), line
    assert line.endswith(": no space left on the device (free some, then run again)")
    assert not [p for p in stage.rglob("*.tmp")]
    assert run(*argv(tiny)).code == 0


def test_cache_prune_while_a_run_holds_the_cache_exits_2(tiny: TinyBook) -> None:
    assert run(*execute_argv(tiny)).code == 0
    cache = Cache(tiny.root / "_build" / "cache")
    cache.acquire_shared()  # what a run holds while it runs
    try:
        failed = run("--book", str(tiny.root), "cache", "prune")
    finally:
        cache.release_shared()
    assert failed.code == 2
    assert failed.fault() == (
        f"polybook: error PB008: cache prune: {cache.root} is in use by a running "
        "execution; run it again when it ends"
    )
    assert run("--book", str(tiny.root), "cache", "prune").code == 0


def test_split_out_naming_a_file_is_refused(tiny: TinyBook, tmp_path: Path) -> None:
    out = tmp_path / "notebooks.txt"
    out.write_text("not a folder\n")
    failed = run(*_split(tiny, "--out", str(out)))
    assert failed.code == 2
    assert failed.fault() == (
        f"polybook: error PB003: split: cannot write notebooks into {out}: it is a file, "
        "not a folder (name a folder with --out)"
    )
    assert run(*_split(tiny, "--out", str(tmp_path / "notebooks"))).code == 0
    assert (tmp_path / "notebooks" / "pytorch" / "ch" / "a.ipynb").is_file()


SOURCES = ["chapters/en", "chapters", "chapters/en/new", "_config", "d2l", "."]


@pytest.mark.parametrize("out", SOURCES)
def test_split_out_among_the_sources_is_refused(tiny: TinyBook, out: str) -> None:
    before = snapshot(tiny.root)
    target = tiny.root / out
    failed = run(*_split(tiny, "--out", str(target)))
    assert failed.code == 2
    assert failed.fault().startswith(
        f"polybook: error PB004: split: refusing to write notebooks into {target}: it is "
    )
    assert "name a folder outside them with --out" in failed.fault()
    assert snapshot(tiny.root) == before
    assert run(*_split(tiny)).code == 0


def test_cache_verify_without_a_cache_says_so(tiny: TinyBook) -> None:
    cache = tiny.root / "_build" / "cache"
    failed = run("--book", str(tiny.root), "cache", "verify")
    assert failed.code == 2
    assert failed.fault() == (
        f"polybook: error PB007: cache verify: there is no cache at {cache} (nothing "
        "executed yet, or a wrong --cache-dir / execute.cache_dir)"
    )
    stats = run("--book", str(tiny.root), "cache", "stats")
    assert (stats.code, stats.out) == (0, f"cache {cache}: no cache (nothing executed yet)\n")
    assert not cache.exists()
    assert run(*execute_argv(tiny)).code == 0
    assert run("--book", str(tiny.root), "cache", "verify").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["split", "--lang", "xx"], "unknown language 'xx' (known: en, id)"),
        (["split", "--framework", "paddle"], "unknown framework 'paddle' (known: pytorch)"),
        (["check", "--lang", "xx"], "unknown language 'xx' (known: en, id)"),
        (["build", "html", "--framework", "jax"], "unknown framework 'jax' (known: pytorch)"),
    ],
)
def test_usage_errors_exit_2(tiny: TinyBook, args: list[str], message: str) -> None:
    failed = run("--book", str(tiny.root), *args)
    assert (failed.code, failed.fault()) == (2, f"polybook: error PB010: {message}")


def test_an_os_error_no_stage_names_is_still_one_line(tiny: TinyBook) -> None:
    page = tiny.root / "chapters" / "en" / "ch" / "c.md"
    page.symlink_to(tiny.root / "nowhere.md")  # a page that cannot be read
    failed = run("--book", str(tiny.root), "check")
    assert failed.code == 2
    assert failed.fault() == (
        f"polybook: error PB006: polybook check: cannot access {page}: no such file or directory"
    )
    page.unlink()
    assert run("--book", str(tiny.root), "check").code == 0
