"""Typed records shared by the planner, the runners (local or on Dask workers)
and the reports. Everything here is picklable: tasks and results travel to and
from Dask workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from polybook.execute.envs import EnvManifest
from polybook.split.model import Notebook

# The JSON of one executed code cell: {"outputs": [...], "execution_count": n}.
CellOutputs = dict[str, Any]


class Status(StrEnum):
    EXECUTED = "executed"
    CACHED = "cached"
    FAILED = "failed"
    WOULD_RUN = "would-run"  # a dry run's notebook that a run would execute


class Origin(StrEnum):
    """Where a notebook's outputs come from."""

    RUN = "run"  # executed now (or failed)
    UP_TO_DATE = "up-to-date"  # the executed notebook was already current
    CACHE = "cache"  # an entry of the cache
    SHARED = "shared"  # another language's run of the same code, in this run


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


class ReasonKind(StrEnum):
    """Why a notebook runs; each kind has a stable code (README, Diagnostics)."""

    NEW_PAGE = "new-page"
    CODE = "code-changed"
    ENVIRONMENT = "environment-changed"
    LIBRARY = "library-changed"
    KERNEL = "kernel-settings"
    FORCED = "forced"
    OUTPUTS_MISSING = "outputs-missing"

    @property
    def code(self) -> str:
        return _REASON_CODES[self]


_REASON_CODES = {
    ReasonKind.NEW_PAGE: "PB350",
    ReasonKind.CODE: "PB351",
    ReasonKind.ENVIRONMENT: "PB352",
    ReasonKind.LIBRARY: "PB353",
    ReasonKind.KERNEL: "PB354",
    ReasonKind.FORCED: "PB355",
    ReasonKind.OUTPUTS_MISSING: "PB356",
}


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that changed. A code cell: `name` "cell", `state` changed,
    added or removed, `file:line` its opening fence in the book page (for a
    removed cell: that of the cell now after it), `lines` the book lines of
    its changed code. A package or setting: `old` and `new` values ("" when
    absent). A library definition: `name` as `d2l.<name>`, `file:line` where
    it is defined now."""

    name: str
    file: str = ""
    line: int = 0
    old: str = ""
    new: str = ""
    lines: tuple[int, ...] = ()
    state: str = ""

    def describe(self) -> str:
        where = f"{self.file}:{self.line}" if self.file else ""
        if self.name == "cell":
            if self.state == "removed":
                return f"cell removed before {where}" if where else "cell removed at the end"
            extra = f" (line {_ranges(self.lines)})" if self.lines else ""
            return f"cell {where} {self.state or 'changed'}{extra}"
        at = f" ({where})" if where else ""
        if self.old and self.new:
            return f"{self.name} {self.old} \u2192 {self.new}{at}"
        if self.new:
            return f"{self.name} {self.new} added{at}"
        if self.old:
            return f"{self.name} {self.old} removed{at}"
        return f"{self.name} {self.state or 'changed'}{at}"

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"name": self.name}
        if self.state:
            data["state"] = self.state
        if self.file:
            data.update(file=self.file, line=self.line)
        if self.old:
            data["old"] = self.old
        if self.new:
            data["new"] = self.new
        if self.lines:
            data["lines"] = list(self.lines)
        return data


def _ranges(lines: tuple[int, ...]) -> str:
    parts: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1] == lines[j] + 1:
            j += 1
        parts.append(str(lines[i]) if i == j else f"{lines[i]}-{lines[j]}")
        i = j + 1
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a notebook runs (a notebook may have several)."""

    kind: ReasonKind
    changes: tuple[Change, ...] = ()
    note: str = ""

    def describe(self) -> str:
        head = {
            ReasonKind.NEW_PAGE: "new page",
            ReasonKind.CODE: "code changed",
            ReasonKind.ENVIRONMENT: "environment changed",
            ReasonKind.LIBRARY: "library changed",
            ReasonKind.KERNEL: "kernel settings changed",
            ReasonKind.FORCED: "forced",
            ReasonKind.OUTPUTS_MISSING: "previous outputs not in the cache",
        }[self.kind]
        details = [c.describe() for c in self.changes]
        if self.note:
            details.append(self.note)
        return f"{head}: {'; '.join(details)}" if details else head

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "kind": self.kind.value,
            "code": self.kind.code,
            "message": self.describe(),
        }
        if self.changes:
            data["changes"] = [c.to_json() for c in self.changes]
        return data


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
    # the environment the task ran in (its packages, for later explanations)
    env_manifest: EnvManifest | None = None
    cpu_seconds: float | None = None  # the kernel's CPU time (None: not measured)


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
    reasons: tuple[Reason, ...] = ()  # why it ran (or, in a dry run, would run)
    origin: Origin = Origin.RUN
    source_lang: str = ""  # the language whose run produced the outputs
    cpu_seconds: float | None = None
    gpus: int = 0  # GPUs assigned to its run
    saved_seconds: float = 0.0  # a reused run's recorded duration

    @property
    def gpu_seconds(self) -> float:
        return self.seconds * self.gpus

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "page": self.page,
            "file": self.file,
            "language": self.lang,
            "framework": self.framework,
            "status": self.status.value,
            "seconds": round(self.seconds, 3),
            "key": self.key,
            "origin": self.origin.value,
        }
        if self.status in (Status.EXECUTED, Status.FAILED, Status.WOULD_RUN):
            data["reasons"] = [r.to_json() for r in self.reasons]
        if self.cpu_seconds is not None:
            data["cpu_seconds"] = round(self.cpu_seconds, 3)
        if self.gpus:
            data["gpus"] = self.gpus
            data["gpu_seconds"] = round(self.gpu_seconds, 3)
        if self.source_lang and self.source_lang != self.lang:
            data["source_language"] = self.source_lang
        if self.saved_seconds:
            data["saved_seconds"] = round(self.saved_seconds, 3)
        if self.failure is not None:
            data["failure"] = self.failure.to_json()
        return data


@dataclass(slots=True)
class ExecuteSummary:
    reports: list[NotebookReport] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        shown = [s for s in Status if (s is Status.WOULD_RUN) == self.dry_run or s is Status.CACHED]
        counts = {s.value: 0 for s in shown}
        for report in self.reports:
            counts[report.status.value] = counts.get(report.status.value, 0) + 1
        return counts

    @property
    def failures(self) -> list[NotebookReport]:
        return [r for r in self.reports if r.status is Status.FAILED]

    @property
    def ok(self) -> bool:
        return not self.interrupted and not self.failures
