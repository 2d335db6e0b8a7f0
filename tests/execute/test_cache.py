"""The cache: library-closure invalidation, environments, corruption,
maintenance, concurrent runs and interruption."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from polybook.cli import main
from tests.execute.conftest import TinyBook, outputs_text, page
from tests.execute.tinyenv import make_tiny_env
from tests.interrupting import alive, kernels_under, start, wait_fifo

# slow: `polybook execute` end to end: real Jupyter kernels, concurrent runs, Ctrl-C
pytestmark = pytest.mark.slow

LIBRARY = """\
import math


def base(x):
    return x + 1


def uses_base(x):
    return base(x) * 2


class Helper:
    def value(self):
        return d2l.uses_base(1)


def alone(x):
    return -x


d2l = __import__("sys").modules[__name__]
"""


def _lib_pages(book: TinyBook) -> None:
    imp = "from d2l import torch as d2l\n"
    book.write("ch/base.md", page("Base", imp + "print(d2l.base(1))"))
    book.write("ch/helper.md", page("Helper", imp + "print(d2l.Helper().value())"))
    book.write("ch/alone.md", page("Alone", imp + "print(d2l.alone(3))"))
    book.write("ch/plain.md", page("Plain", "print('no library')"))


def test_changing_one_saved_function_reexecutes_only_its_users(book: TinyBook) -> None:
    book.lib("torch", LIBRARY)
    _lib_pages(book)
    first = book.execute()
    assert first.code == 0, first.err
    assert len(first.executed) == 4
    assert "4" in outputs_text(book.executed_notebook("ch/helper.md"))
    # `base` is used by base.md directly and by helper.md through uses_base
    book.lib("torch", LIBRARY.replace("return x + 1", "return x + 10"))
    changed = book.execute()
    assert changed.executed == {("en", "pytorch", "ch/base.md"), ("en", "pytorch", "ch/helper.md")}
    assert "22" in outputs_text(book.executed_notebook("ch/helper.md"))
    # comments and blank lines are no change at all
    book.lib("torch", LIBRARY.replace("return x + 1", "return x + 10  # ten").replace("\n\n", "\n"))
    assert book.execute().executed == set()
    # a page that uses d2l in a way that cannot be resolved depends on everything
    book.write("ch/dynamic.md", page("Dyn", "from d2l import torch as d2l\nprint(dir(d2l)[:1])"))
    assert book.execute().executed == {("en", "pytorch", "ch/dynamic.md")}
    # `base` back to its first version (outputs still cached) and `alone` changed
    book.lib("torch", LIBRARY.replace("return -x", "return -2 * x"))
    assert book.execute().executed == {
        ("en", "pytorch", "ch/alone.md"),
        ("en", "pytorch", "ch/dynamic.md"),
    }


def test_environment_change_reexecutes_that_framework(book: TinyBook, tmp_path: Path) -> None:
    envs = tmp_path / "envs"
    make_tiny_env(envs / "pytorch", "pytorch")
    book.envs = envs
    book.write("ch/a.md", page("A", "print(1)"))
    assert book.execute().executed
    assert book.execute().executed == set()
    site = next((envs / "pytorch" / "lib").glob("python*/site-packages"))
    (site / "fakepkg-1.0.dist-info").mkdir()
    assert book.execute().executed == {("en", "pytorch", "ch/a.md")}
    (site / "fakepkg-1.0.dist-info").rename(site / "fakepkg-1.1.dist-info")
    assert book.execute().executed == {("en", "pytorch", "ch/a.md")}


def test_missing_environment_is_a_reported_failure(book: TinyBook, tmp_path: Path) -> None:
    book.envs = tmp_path / "nowhere"
    book.write("ch/a.md", page("A", "print(1)"))
    outcome = book.execute()
    assert outcome.code == 2  # a setup fault
    assert "make env FRAMEWORK=pytorch" in outcome.err
    assert outcome.failure("ch/a.md")["file"] == "chapters/en/ch/a.md"


def _cache(book: TinyBook, *args: str) -> int:
    return main(["--book", str(book.root), "cache", *args])


def test_corrupt_entry_is_detected_and_reexecuted(book: TinyBook, capsys: object) -> None:
    book.write("ch/a.md", page("A", "print('original output')"))
    assert book.execute().code == 0
    (key,) = book.cache_objects()
    path = book.root / "_build" / "cache" / "objects" / key[:2] / f"{key}.json"
    path.write_bytes(path.read_bytes().replace(b"original output", b"tampered output"))
    assert _cache(book, "verify") == 1
    # the executed notebook is removed: the run must go to the cache
    (book.root / "_build" / "executed" / "en" / ".polybook-execute.json").unlink()
    outcome = book.execute()
    assert outcome.executed == {("en", "pytorch", "ch/a.md")}
    assert "original output" in outputs_text(book.executed_notebook("ch/a.md"))
    assert _cache(book, "verify") == 0


def test_cache_stats_verify_prune(book: TinyBook, capsys: object) -> None:
    book.write("ch/a.md", page("A", "print(1)"))
    assert book.execute().code == 0
    book.write("ch/a.md", page("A", "print(2)"))
    assert book.execute().code == 0
    assert len(book.cache_objects()) == 2
    cache = book.root / "_build" / "cache"
    (cache / "objects" / "zz").mkdir()
    (cache / "objects" / "zz" / ".x.json.1.tmp").write_text("partial")
    assert _cache(book, "stats") == 0
    assert _cache(book, "prune") == 0
    assert len(book.cache_objects()) == 1  # the page's current key only
    assert not list(cache.rglob("*.tmp"))
    assert _cache(book, "verify") == 0
    assert book.execute().executed == set()
    assert _cache(book, "prune", "--older-than", "0") == 0
    assert book.cache_objects() == {}


def test_two_runs_at_once_do_not_corrupt_anything(book: TinyBook) -> None:
    for name in "abcd":
        book.write(f"ch/{name}.md", page(name, "import time\ntime.sleep(0.3)\nprint('done')"))
    first, second = book.spawn(), book.spawn()
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    # each notebook was executed once: the other run found it under its key lock
    assert out1.count("[ok]") + out2.count("[ok]") == 4
    assert len(book.cache_objects()) == 4
    assert _cache(book, "verify") == 0
    assert book.execute().executed == set()
    for name in "abcd":
        assert "done" in outputs_text(book.executed_notebook(f"ch/{name}.md"))


def test_ctrl_c_leaves_the_cache_consistent_and_a_rerun_finishes(
    book: TinyBook, tmp_path: Path
) -> None:
    """Ctrl-C while the second page's cell runs (the cell says so through a
    fifo, then blocks on another): the first page's outputs are kept, the run
    ends with 130 and its kernels are gone, and a rerun runs the second page only."""
    ready, block = tmp_path / "ready", tmp_path / "block"
    os.mkfifo(ready)
    os.mkfifo(block)
    hold = book.root / "hold"
    hold.touch()
    slow = (
        "import os\n"
        f"if os.path.exists({str(hold)!r}):\n"
        f"    open({str(ready)!r}, 'w').close()\n"
        f"    open({str(block)!r}).read()\n"
        "print('ok')"
    )
    book.write("ch/a_fast.md", page("Fast", "print('fast')"))
    book.write("ch/b_slow.md", page("Slow", slow))
    run = start(book.argv("--jobs", "1"), tmp_path)
    wait_fifo(ready)  # the slow page's cell is running: the fast page is done
    run.interrupt()
    code = run.finish()
    run.assert_interrupted(code)
    assert "[ok] en/pytorch ch/a_fast.md" in run.stdout
    summary = [line for line in run.stdout.splitlines() if line.startswith("execute: ")]
    assert summary[-1].endswith(": interrupted")
    assert len(run.pids()) == 2 and not [pid for pid in run.pids() if alive(pid)]
    assert _cache(book, "verify") == 0
    assert not list((book.root / "_build").rglob("*.tmp"))
    hold.unlink()
    outcome = book.execute()
    assert outcome.code == 0, outcome.err
    assert outcome.executed == {("en", "pytorch", "ch/b_slow.md")}
    assert outputs_text(book.executed_notebook("ch/b_slow.md")) == "ok\n"
    assert not kernels_under(book.root)


def test_executed_notebook_records_its_key(book: TinyBook) -> None:
    book.write("ch/a.md", page("A", "print(1)"))
    outcome = book.execute()
    nb = book.executed_notebook("ch/a.md")
    assert nb["metadata"]["polybook"]["execution"]["key"] == outcome.report["notebooks"][0]["key"]
    record = book.root / "_build" / "cache" / "index" / "en" / "pytorch" / "ch" / "a.md.json"
    assert json.loads(record.read_text())["key"] == outcome.report["notebooks"][0]["key"]
