"""Typed records shared by the planner, the runners (local or on Dask workers)
and the reports. Everything here is picklable: tasks and results travel to and
from Dask workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from polybook.split.model import Notebook

# The JSON of one executed code cell: {"outputs": [...], "execution_count": n}.
CellOutputs = dict[str, Any]


class Status(StrEnum):
    EXECUTED = "executed"
    CACHED = "cached"
    FAILED = "failed"


class FailureKind(StrEnum):
    CELL_ERROR = "cell-error"
    CELL_TIMEOUT = "cell-timeout"
    NOTEBOOK_TIMEOUT = "notebook-timeout"
    KERNEL_DIED = "kernel-died"
    ENVIRONMENT = "environment"
    INTERRUPTED = "interrupted"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a notebook failed, located in the book's source page.

    `cell_index` is the failed cell's index in the notebook, `cell_line` the
    1-based line of its source that the traceback names; `file:line` is their
    book position (see `place.py`).
    """

    kind: FailureKind
    message: str
    file: str = ""
    line: int = 0
    cell_index: int | None = None
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    cell_line: int | None = None

    def headline(self, lang: str, framework: str) -> str:
        where = f"{self.file}:{self.line}" if self.file else "(no source position)"
        return f"{where}: error [{lang}/{framework}] {self.kind.value}: {self.message}"

    def format(self, lang: str, framework: str) -> str:
        text = self.headline(lang, framework)
        if self.traceback:
            body = "\n".join("    " + line for line in self.traceback.rstrip().splitlines())
            text += "\n" + body
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "cell_index": self.cell_index,
            "cell_line": self.cell_line,
            "ename": self.ename,
            "evalue": self.evalue,
            "traceback": self.traceback,
        }


@dataclass(frozen=True, slots=True)
class PageSettings:
    """The execution settings of one page (book-wide values + matching page tables)."""

    cell_timeout: int
    notebook_timeout: int
    gpus: int = 0
    allow_errors: bool = False


@dataclass(frozen=True, slots=True)
class Task:
    """One notebook to execute: everything a runner needs, on this machine or a worker."""

    key: str
    lang: str
    framework: str
    page: str
    notebook: Notebook  # the split notebook
    kernel_name: str
    env_root: str  # the framework environment (absolute path where the task was planned)
    workdir: str  # working directory relative to the runner's work root
    settings: PageSettings
    gpus: int  # GPUs to assign (already clamped for a local run)
    env_vars: tuple[tuple[str, str], ...] = ()
    pythonpath: tuple[str, ...] = ()
    # library files (relative path -> text) shipped to remote workers
    library: tuple[tuple[str, str], ...] = ()
    expected_seconds: float | None = None


@dataclass(slots=True)
class Result:
    """What a runner sends back for one task."""

    key: str
    ok: bool
    seconds: float
    cells: list[CellOutputs] = field(default_factory=list)
    failure: Failure | None = None
    env_fingerprint: str = ""
    devices: tuple[str, ...] = ()
    host: str = ""
    cached: bool = False  # found in the cache once the key's lock was held


@dataclass(slots=True)
class NotebookReport:
    """One notebook of a run, as reported (terminal, JSON, JUnit)."""

    lang: str
    framework: str
    page: str
    file: str
    status: Status
    seconds: float
    key: str
    failure: Failure | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "page": self.page,
            "file": self.file,
            "language": self.lang,
            "framework": self.framework,
            "status": self.status.value,
            "seconds": round(self.seconds, 3),
            "key": self.key,
        }
        if self.failure is not None:
            data["failure"] = self.failure.to_json()
        return data


@dataclass(slots=True)
class ExecuteSummary:
    reports: list[NotebookReport] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for report in self.reports:
            counts[report.status.value] += 1
        return counts

    @property
    def failures(self) -> list[NotebookReport]:
        return [r for r in self.reports if r.status is Status.FAILED]

    @property
    def ok(self) -> bool:
        return not self.interrupted and not self.failures
