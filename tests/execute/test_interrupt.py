"""Ctrl-C at every point of an execute run: status 130, no kernel left alive,
a consistent cache, and a rerun that completes with the right outputs.

Each case pauses `polybook execute` at one checkpoint (or, mid-cell, waits
for the cell to say it runs), sends SIGINT to its process group as a
terminal does, and lets it go on; see tests/interrupting.py.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import subprocess
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest

from polybook import interrupt
from polybook.cli import main
from polybook.execute import kernels
from polybook.execute.loop import run_loop
from tests.execute.conftest import TinyBook, outputs_text, page
from tests.interrupting import (
    TIMEOUT,
    alive,
    deliverable_sigint,
    kernels_under,
    start,
    wait_fifo,
)

# where the run is interrupted: a checkpoint (NAME or NAME#N), or mid-cell
POINTS = [
    "split-manifest",  # execute splits first: main thread, before any kernel
    "notebooks-planned",  # main thread, before any kernel
    "kernel-starting",  # the first kernel about to be spawned
    "kernel-spawned",  # the first kernel spawned, not ready
    "kernel-spawned#2",  # the second kernel spawned, the first starting or running
    "kernel-ready",  # a kernel up, no cell run yet
    "mid-cell",  # a cell running (it blocks on a fifo)
    "cache-storing",  # a notebook done, its cache entry being written
    "outputs-writing",  # its executed notebook being written
    "manifest-writing",  # every notebook done, main thread, kernels gone
]


def _book(book: TinyBook, hold: Path, ready: Path, block: Path) -> None:
    book.write("ch/a.md", page("A", "print('a', 6 * 7)"))
    held = (
        "import os\n"
        f"if os.path.exists({str(hold)!r}):  # the test holds this cell\n"
        f"    with open({str(ready)!r}, 'w') as f:\n"
        "        f.write('running')\n"
        f"    open({str(block)!r}).read()  # a fifo no one writes\n"
        "print('b', 7 * 6)"
    )
    book.write("ch/b.md", page("B", "print('b start')", held))


@pytest.mark.slow  # real kernels
@pytest.mark.parametrize("point", POINTS)
def test_ctrl_c_at_any_point(book: TinyBook, tmp_path: Path, point: str) -> None:
    hold, ready, block = tmp_path / "hold", tmp_path / "ready", tmp_path / "block"
    os.mkfifo(ready)
    os.mkfifo(block)
    _book(book, hold, ready, block)
    if point == "mid-cell":
        hold.touch()
    run = start(book.argv("--jobs", "2"), tmp_path, None if point == "mid-cell" else point)
    if point == "mid-cell":
        wait_fifo(ready)
    else:
        run.wait_for("paused")
    run.interrupt()
    if run.gate is not None:
        run.release()
    code = run.finish()

    run.assert_interrupted(code)
    spawned = run.pids()
    if point not in ("split-manifest", "notebooks-planned", "kernel-starting"):
        assert spawned, run.stderr
    # every kernel the run started is gone, and no other kernel runs in the book
    assert not [pid for pid in spawned if alive(pid)], run.stderr
    assert not kernels_under(book.root)
    if point != "split-manifest":  # (no cache yet: `cache verify` says so, status 2)
        assert main(["--book", str(book.root), "cache", "verify"]) == 0
    assert not list((book.root / "_build").rglob("*.tmp"))

    hold.unlink(missing_ok=True)
    outcome = book.execute()
    assert outcome.code == 0, outcome.err
    assert outputs_text(book.executed_notebook("ch/a.md")) == "a 42\n"
    assert outputs_text(book.executed_notebook("ch/b.md")) == "b start\nb 42\n"
    again = book.execute()
    assert again.code == 0 and again.executed == set()
    assert not kernels_under(book.root)


@pytest.mark.slow  # real kernels
def test_a_second_ctrl_c_stops_at_once_and_still_kills_the_kernels(
    book: TinyBook, tmp_path: Path
) -> None:
    """The second Ctrl-C while the first one's cancellation is held up: the run
    does not wait for it, and still leaves no kernel behind."""
    _book(book, tmp_path / "hold", tmp_path / "ready", tmp_path / "block")
    run = start(book.argv("--jobs", "1"), tmp_path, "kernel-ready")
    run.wait_for("paused")  # the loop thread is held: the cancellation cannot proceed
    run.interrupt()
    run.interrupt()
    code = run.finish()
    run.assert_interrupted(code)
    spawned = run.pids()
    assert spawned and not [pid for pid in spawned if alive(pid)]
    run.release()  # nothing waits any more
    assert main(["--book", str(book.root), "cache", "verify"]) == 0
    outcome = book.execute()
    assert outcome.code == 0, outcome.err
    assert outputs_text(book.executed_notebook("ch/b.md")) == "b start\nb 42\n"


def test_ctrl_c_before_the_loop_runs_cancels_it() -> None:
    """A Ctrl-C while the run is being set up: the coroutine never runs."""
    ran: list[bool] = []

    async def work() -> None:
        ran.append(True)
        await asyncio.wait_for(asyncio.Event().wait(), TIMEOUT)  # a lost Ctrl-C fails

    def make() -> Coroutine[Any, Any, None]:
        os.kill(os.getpid(), signal.SIGINT)  # handled here, in the main thread
        return work()

    with deliverable_sigint(), interrupt.handling():
        assert run_loop(make) is True
    assert ran == []


def test_ctrl_c_cancels_a_running_loop() -> None:
    async def work() -> None:
        os.kill(os.getpid(), signal.SIGINT)  # the main thread cancels this task
        await asyncio.wait_for(asyncio.Event().wait(), TIMEOUT)

    with deliverable_sigint(), interrupt.handling():
        assert run_loop(work) is True
        assert interrupt.requested() == 1


def test_kill_takes_the_kernels_whole_process_group(tmp_path: Path) -> None:
    """A kernel and what its cells started go together."""
    script = "import subprocess; c = subprocess.Popen(['cat']); print(c.pid, flush=True); c.wait()"
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    child = int(proc.stdout.readline())
    exited = os.pidfd_open(child)  # readable once the child has exited
    kernels.track(proc)
    assert proc.pid in kernels.alive()
    try:
        assert kernels.kill_all() == [proc.pid]
        assert proc.returncode is not None
        assert select.select([exited], [], [], 30)[0], "the kernel's child survived"
    finally:
        os.close(exited)
    assert kernels.alive() == []
    kernels.kill(proc)  # reaped already: nothing is signalled
