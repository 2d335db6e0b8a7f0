"""Running the execution coroutine in a loop thread, so that Ctrl-C in the
main thread cancels it cleanly (kernels shut down, nothing half-written)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

# seconds the cancelled run gets to shut its kernels down after Ctrl-C
_INTERRUPT_GRACE = 20.0


def kill_children() -> None:
    """SIGKILL this process's child processes (kernels), Linux /proc only."""
    me = os.getpid()
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(me):
            with contextlib.suppress(OSError):
                os.kill(int(entry), signal.SIGKILL)


def run_loop(make: Callable[[], Coroutine[Any, Any, None]]) -> bool:
    """Run a coroutine in a loop thread; True if interrupted by Ctrl-C."""
    loop = asyncio.new_event_loop()
    main: list[asyncio.Task[None]] = []
    errors: list[BaseException] = []

    def target() -> None:
        asyncio.set_event_loop(loop)
        main.append(loop.create_task(make()))
        try:
            loop.run_until_complete(main[0])
        except asyncio.CancelledError:
            pass
        except BaseException as exc:
            errors.append(exc)
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    thread = threading.Thread(target=target, name="polybook-execute", daemon=True)
    thread.start()
    interrupted = False
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        interrupted = True
        loop.call_soon_threadsafe(lambda: main and main[0].cancel())
        deadline = time.monotonic() + _INTERRUPT_GRACE
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C stops waiting
            while thread.is_alive() and time.monotonic() < deadline:
                thread.join(0.1)
        if thread.is_alive():  # kernels that do not shut down in time are killed
            kill_children()
    if errors:
        raise errors[0]
    return interrupted
