"""Ctrl-C (SIGINT): every command ends with one line and exit status 130.

`cli.main` runs each command under `handling()`: Ctrl-C raises
KeyboardInterrupt in the main thread, as Python's own handler does, and is
counted, so that an error it causes on its way (a Sphinx worker process that
was interrupted too) still ends as an interruption. A stage that must clean
up before it stops (execute: its kernels) runs under `deferred(callback)`,
where Ctrl-C calls the callback instead of raising. Every write of a
generated file is atomic (`polybook.files`), so an interrupted command
leaves each file whole, old or new, and a rerun completes the work.

A SIGINT that the parent process ignores (a command started with `&` by a
non-interactive shell) stays ignored, as POSIX has it.

Checkpoints: `checkpoint(name, detail)` marks a named point of a command's
life (`kernel-spawned`, `outputs-writing`, ...). They cost nothing unless
the environment asks: `POLYBOOK_EVENTS=1` prints `polybook-event: NAME
DETAIL` on stderr at each (and `polybook-event: interrupt N` at the Nth
Ctrl-C); `POLYBOOK_PAUSE=NAME[#N]:FIFO` also holds the Nth (default: the
first) `NAME` checkpoint of the command's own process (a worker process never
pauses): it opens FIFO, prints `polybook-event: paused NAME`, and waits until
something opens FIFO for writing and closes it. The tests interrupt commands
at each point this way, synchronised on these lines (and on files the cells
write), never on time.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from polybook.faults import EXIT_INTERRUPTED

__all__ = ["EXIT_INTERRUPTED", "MESSAGE", "checkpoint", "deferred", "handling", "requested"]

MESSAGE = (
    "polybook: interrupted (Ctrl-C); finished work is kept, run the command again to complete it"
)
EVENTS_ENV = "POLYBOOK_EVENTS"
PAUSE_ENV = "POLYBOOK_PAUSE"

_lock = threading.Lock()
_count = 0  # Ctrl-C presses since `handling()` began
_seen: dict[str, int] = {}  # checkpoints passed, by name
_owner = os.getpid()  # the command's process (`handling` sets it)

Handler = Callable[[int, FrameType | None], Any] | int | None


def requested() -> int:
    """How many times Ctrl-C was pressed during this command."""
    return _count


def _emit(name: str, detail: str = "") -> None:
    line = f"polybook-event: {name} {detail}".rstrip() + "\n"
    with contextlib.suppress(OSError):
        os.write(2, line.encode("utf-8", errors="replace"))  # unbuffered: safe in a handler


def checkpoint(name: str, detail: str = "") -> None:
    """A named point of a command's life (see the module's docstring)."""
    if os.environ.get(EVENTS_ENV) != "1":
        return
    _emit(name, detail)
    spec, _, fifo = os.environ.get(PAUSE_ENV, "").partition(":")
    wanted, _, nth = spec.partition("#")
    if wanted != name or not fifo or os.getpid() != _owner:
        return  # a worker process (forked) never pauses: the command's own process does
    with _lock:
        _seen[name] = _seen.get(name, 0) + 1
        if _seen[name] != int(nth or 1):
            return
    gate = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        _emit("paused", name)
        # until a writer has opened (and closed) the fifo; in short waits, so that
        # a Ctrl-C that came just before a wait is handled (Python runs signal
        # handlers between bytecodes: one that came before the blocking call
        # would wait for the call's end)
        while not select.select([gate], [], [], 0.05)[0]:
            pass
    finally:
        os.close(gate)


def _count_one() -> int:
    """In a signal handler: the main thread, between two of its bytecodes (no
    lock: the main thread may hold it)."""
    global _count
    _count += 1
    if os.environ.get(EVENTS_ENV) == "1":
        _emit("interrupt", str(_count))
    return _count


def _raise(signum: int, frame: FrameType | None) -> None:
    _count_one()
    raise KeyboardInterrupt


def _install(handler: Handler) -> tuple[bool, Handler]:
    """Install `handler` for SIGINT: (installed, the previous handler). Not
    installed outside the main thread, or when SIGINT is ignored."""
    if threading.current_thread() is not threading.main_thread():
        return False, None
    previous = signal.getsignal(signal.SIGINT)
    if previous in (signal.SIG_IGN, None):
        return False, previous
    signal.signal(signal.SIGINT, handler)
    return True, previous


@contextlib.contextmanager
def handling() -> Iterator[None]:
    """Count Ctrl-C presses (each raises KeyboardInterrupt) during a command."""
    global _count, _owner
    _count, _owner = 0, os.getpid()
    with _lock:
        _seen.clear()
    installed, previous = _install(_raise)
    try:
        yield
    finally:
        if installed:
            signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def deferred(on_interrupt: Callable[[int], None]) -> Iterator[None]:
    """Within: Ctrl-C calls `on_interrupt(n)` (n: the presses so far) in the
    main thread instead of raising KeyboardInterrupt."""

    def defer(signum: int, frame: FrameType | None) -> None:
        on_interrupt(_count_one())

    installed, previous = _install(defer)
    try:
        yield
    finally:
        if installed:
            signal.signal(signal.SIGINT, previous)
