"""Running the execution coroutine in a loop thread, so that Ctrl-C in the
main thread cancels it cleanly (kernels killed, nothing half-written).

The coroutine's task is created before the thread starts and Ctrl-C is
handled (`interrupt.deferred`) before that too, so a Ctrl-C at any moment,
even before the loop runs its first step, cancels it: the cancellation
reaches each running notebook wherever it is (a kernel starting, a cell
running), its kernel is killed, and every write in progress completes
(writes are synchronous and atomic). A second Ctrl-C stops waiting for that;
then, and whenever the run ends interrupted, every kernel still alive is
killed before the run returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

from polybook import interrupt
from polybook.execute import kernels

# seconds the cancelled run gets to stop its notebooks after Ctrl-C
_INTERRUPT_GRACE = 20.0


def run_loop(make: Callable[[], Coroutine[Any, Any, None]]) -> bool:
    """Run a coroutine in a loop thread; True if interrupted by Ctrl-C."""
    loop = asyncio.new_event_loop()
    errors: list[BaseException] = []
    presses: list[int] = []

    tasks: list[asyncio.Task[None]] = []

    def on_interrupt(count: int) -> None:  # in the main thread
        presses.append(count)
        if len(presses) == 1 and tasks:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing to cancel
                loop.call_soon_threadsafe(tasks[0].cancel)

    with interrupt.deferred(on_interrupt):
        main = loop.create_task(make())
        tasks.append(main)
        if presses:  # pressed before the task existed: it ends before its first step
            main.cancel()

        def target() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(main)
            except asyncio.CancelledError:
                pass
            except BaseException as exc:
                errors.append(exc)
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        thread = threading.Thread(target=target, name="polybook-execute", daemon=True)
        thread.start()
        deadline: float | None = None
        while thread.is_alive():
            if presses and deadline is None:
                deadline = time.monotonic() + _INTERRUPT_GRACE
            if len(presses) > 1 or (deadline is not None and time.monotonic() > deadline):
                break  # the kernels are killed below; the loop thread is a daemon
            thread.join(0.1)
        if presses:
            kernels.kill_all()
    if errors and not presses:
        raise errors[0]
    return bool(presses)
