"""Interrupting a polybook command at a named point of its life, as Ctrl-C
on a terminal does (SIGINT to its process group).

The command runs in a session of its own with `POLYBOOK_EVENTS=1`, so it
prints a `polybook-event: NAME DETAIL` line on stderr at each checkpoint
(`polybook.interrupt`), and with `POLYBOOK_PAUSE=NAME:FIFO` it holds that
checkpoint until released. A thread reads its stderr into a queue; the test
waits for events with a blocking `get` (a timeout guards a command that
never gets there), never with a sleep.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from polybook.interrupt import MESSAGE

PREFIX = "polybook-event: "
TIMEOUT = 180.0  # generous: a loaded two-core machine starts kernels slowly


@dataclass
class Command:
    proc: subprocess.Popen[bytes]
    gate: Path | None
    out_path: Path
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    err: list[str] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)
    reader: threading.Thread | None = None

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", errors="replace")
            self.err.append(line)
            if line.startswith(PREFIX):
                name, _, detail = line[len(PREFIX) :].strip().partition(" ")
                self.events.append((name, detail))
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, name: str, timeout: float = TIMEOUT) -> str:
        """The detail of the next `name` event (AssertionError if the command
        ends, or `timeout` passes, first)."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                state = self._state()
                message = f"no {name} event in {timeout}s ({state}):\n{self.stderr}"
                raise AssertionError(message) from None
            if line is None:
                raise AssertionError(f"the command ended before {name}:\n{self.stderr}")
            if line.startswith(PREFIX):
                event, _, detail = line[len(PREFIX) :].strip().partition(" ")
                if event == name:
                    return detail

    def _state(self) -> str:
        """The command's process state and signal masks, for a failure message."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return "gone"
        keep = ("State", "SigBlk", "SigIgn", "SigCgt", "Threads")
        return ", ".join(line for line in status.splitlines() if line.startswith(keep))

    def interrupt(self) -> None:
        """Ctrl-C, then wait until the command has seen it."""
        os.killpg(self.proc.pid, signal.SIGINT)
        self.wait_for("interrupt")

    def release(self) -> None:
        """Let a paused checkpoint go on (nothing when none waits any more)."""
        assert self.gate is not None
        try:
            fd = os.open(self.gate, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader, nothing paused
                raise
            return
        os.close(fd)

    def finish(self, timeout: float = TIMEOUT) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            raise AssertionError(f"the command did not end in {timeout}s:\n{self.stderr}") from None
        if self.reader is not None:
            self.reader.join(timeout)
        return code

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    @property
    def stdout(self) -> str:
        return self.out_path.read_text("utf-8", errors="replace")

    def pids(self, event: str = "kernel-spawned") -> list[int]:
        return [int(d.split()[0].removeprefix("pid=")) for n, d in self.events if n == event]

    def assert_interrupted(self, code: int) -> None:
        """Status 130, the one-line message last, no traceback."""
        assert code == 130, self.stderr
        assert "Traceback" not in self.stderr, self.stderr
        lines = [line for line in self.stderr.splitlines() if not line.startswith(PREFIX)]
        assert lines and lines[-1] == MESSAGE, self.stderr


def start(argv: list[str], work: Path, pause: str | None = None) -> Command:
    """`python -m polybook ARGV` with events on, paused at `pause` (NAME or NAME#N)."""
    env = dict(os.environ, POLYBOOK_EVENTS="1")
    gate: Path | None = None
    if pause is not None:
        gate = work / f"gate-{pause.replace('#', '-')}"
        os.mkfifo(gate)
        env["POLYBOOK_PAUSE"] = f"{pause}:{gate}"
    out_path = work / f"stdout-{os.getpid()}-{len(list(work.glob('stdout-*')))}.txt"
    with deliverable_sigint(), open(out_path, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "polybook", *argv],
            stdout=out,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
    command = Command(proc, gate, out_path)
    command.reader = threading.Thread(target=command._read, daemon=True)
    command.reader.start()
    _STARTED.append(command)
    return command


# every command `start` ran, so that one a failed test left behind is killed
_STARTED: list[Command] = []


def kill_leftovers() -> None:
    """Kill the process group of every started command still running (a test
    that failed before `finish`); a command already reaped is left alone, so
    no other process group is ever signalled."""
    while _STARTED:
        command = _STARTED.pop()
        if command.proc.poll() is None:  # not reaped: its pid is still its own
            with contextlib.suppress(OSError):
                os.killpg(command.proc.pid, signal.SIGKILL)
            command.proc.wait()


@contextlib.contextmanager
def deliverable_sigint() -> Iterator[None]:
    """Children started within get SIGINT's default action even when this test
    process ignores it (`make test &` from a non-interactive shell: children
    would inherit the ignore and never see the Ctrl-C the test sends)."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)  # reset to default at exec
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
    else:
        yield


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def wait_fifo(path: Path, timeout: float = TIMEOUT) -> None:
    """Until a writer has opened `path` (a fifo) and written to or closed it:
    how a cell says that it runs."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
        assert ready, f"nothing wrote {path} in {timeout}s"
    finally:
        os.close(fd)


def kernels_under(root: Path) -> list[int]:
    """Live kernel processes whose working directory is under `root` (any run's)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if b"ipykernel_launcher" in cmd and cwd.startswith(str(root)) and alive(int(pid)):
            found.append(int(pid))
    return found
