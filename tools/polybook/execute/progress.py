"""Progress on the terminal: a rich display (done / running / failed, time
left) when stdout is a TTY, one plain line per notebook otherwise. Failures go
to stderr as they happen, with the page's source file:line, framework,
language and traceback."""

from __future__ import annotations

import sys
import threading
from typing import Any, Protocol, TextIO

from polybook.execute.cost import cost_line, why_lines
from polybook.execute.model import ExecuteSummary, NotebookReport, Status

# expected seconds for a notebook never run before (for the time-left estimate)
UNKNOWN_SECONDS = 10.0


class Reporter(Protocol):
    def begin(self, total: int, todo: int, expected: float) -> None: ...
    def started(self, label: str) -> None: ...
    def finished(self, report: NotebookReport, expected: float, ran: bool) -> None: ...
    def end(self, summary: ExecuteSummary) -> None: ...


def _line(report: NotebookReport) -> str:
    mark = {
        Status.EXECUTED: "ok",
        Status.CACHED: "cached",
        Status.FAILED: "FAILED",
        Status.WOULD_RUN: "would run",
    }
    cost = f"{report.seconds:.1f}s"
    if report.cpu_seconds is not None:
        cost += f", {report.cpu_seconds:.1f}s CPU"
    if report.gpus:
        cost += f", {report.gpu_seconds:.1f} GPU-s"
    return f"[{mark[report.status]}] {report.lang}/{report.framework} {report.page} ({cost})"


def reason_lines(report: NotebookReport) -> list[str]:
    """`    why: ...` under a notebook that ran."""
    if report.status is Status.CACHED:
        return []
    return [f"    why: {reason.describe()}" for reason in report.reasons]


def summary_line(summary: ExecuteSummary) -> str:
    c = summary.counts()
    state = "interrupted" if summary.interrupted else ("ok" if summary.ok else "FAILED")
    return (
        f"execute: {c['executed']} executed, {c['cached']} cached, {c['failed']} failed "
        f"in {summary.seconds:.2f}s: {state}"
    )


def print_failure(report: NotebookReport, stream: TextIO) -> None:
    if report.failure is not None:
        print(report.failure.format(report.lang, report.framework), file=stream, flush=True)


class PlainReporter:
    """One line per finished notebook; quiet about cache hits unless verbose."""

    def __init__(
        self, out: TextIO | None = None, err: TextIO | None = None, verbose: bool = False
    ) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.verbose = verbose
        self._lock = threading.Lock()

    def begin(self, total: int, todo: int, expected: float) -> None:
        print(
            f"execute: {total} notebooks, {total - todo} up to date, {todo} to run",
            file=self.out,
            flush=True,
        )

    def started(self, label: str) -> None:
        if self.verbose:
            with self._lock:
                print(f"[start] {label}", file=self.out, flush=True)

    def finished(self, report: NotebookReport, expected: float, ran: bool) -> None:
        with self._lock:
            if report.status is not Status.CACHED or self.verbose:
                print(_line(report), file=self.out, flush=True)
                for line in reason_lines(report):
                    print(line, file=self.out, flush=True)
            print_failure(report, self.err)

    def end(self, summary: ExecuteSummary) -> None:
        print(summary_line(summary), file=self.out, flush=True)
        print(cost_line(summary), file=self.out, flush=True)


class RichReporter:
    """A live progress bar; its total is the expected seconds of the work, so
    that the time-left estimate follows recorded durations."""

    def __init__(self, jobs: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console()
        self.err = Console(stderr=True)
        self.jobs = max(1, jobs)
        self.progress = Progress(
            TextColumn("[bold]execute"),
            BarColumn(),
            TextColumn("{task.fields[done]}/{task.fields[total_nb]} done"),
            TextColumn("[cyan]{task.fields[running]} running"),
            TextColumn("[red]{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task: Any = None
        self.done = self.running = self.failed = 0
        self._lock = threading.Lock()

    def begin(self, total: int, todo: int, expected: float) -> None:
        self.progress.start()
        self.done = total - todo
        self.task = self.progress.add_task(
            "execute",
            total=max(expected, 0.001),
            done=self.done,
            total_nb=total,
            running=0,
            failed=0,
        )

    def started(self, label: str) -> None:
        with self._lock:
            self.running += 1
            self.progress.update(self.task, running=self.running)

    def finished(self, report: NotebookReport, expected: float, ran: bool) -> None:
        with self._lock:
            if ran:
                self.running = max(0, self.running - 1)
            self.done += 1
            if report.status is Status.FAILED:
                self.failed += 1
                if report.failure is not None:
                    self.progress.console.print(
                        report.failure.format(report.lang, report.framework),
                        style="red",
                        markup=False,
                        highlight=False,
                    )
            self.progress.update(
                self.task,
                advance=expected,
                done=self.done,
                running=self.running,
                failed=self.failed,
            )

    def end(self, summary: ExecuteSummary) -> None:
        self.progress.stop()
        for line in why_lines(summary):
            self.console.print(f"why: {line}", markup=False, highlight=False)
        self.console.print(summary_line(summary), markup=False, highlight=False)
        self.console.print(cost_line(summary), markup=False, highlight=False)


def make_reporter(jobs: int, verbose: bool = False) -> Reporter:
    if sys.stdout.isatty():
        return RichReporter(jobs)
    return PlainReporter(verbose=verbose)
