"""Typed errors of the execute stage (in the manner of nbclient's exceptions).

A runner never lets one escape for a notebook problem: it returns a `Result`
whose `Failure` carries the same information. The exceptions are for callers
of the Python API (`ExecuteError.raise_for(failure)`) and for setup problems
that stop a run before any notebook starts.
"""

from __future__ import annotations

from polybook.execute.model import Failure, FailureKind


class ExecuteError(Exception):
    """Base class: something went wrong executing the book."""


class EnvironmentMissing(ExecuteError):
    """A framework environment (venv + kernel spec) does not exist."""

    def __init__(self, framework: str, kernel_dir: str) -> None:
        super().__init__(
            f"no kernel spec for {framework} at {kernel_dir}: run `make env FRAMEWORK={framework}`"
        )
        self.framework = framework
        self.kernel_dir = kernel_dir


class SchedulerError(ExecuteError):
    """The scheduler could not be reached or used (e.g. a bad Dask address)."""


class CacheError(ExecuteError):
    """The cache directory is unusable."""


class NotebookFailed(ExecuteError):
    """A notebook failed; `failure` says where in the source page and why."""

    def __init__(self, failure: Failure, lang: str = "", framework: str = "") -> None:
        super().__init__(failure.headline(lang, framework))
        self.failure = failure


class CellFailed(NotebookFailed):
    """A cell raised an exception and was not allowed to."""


class CellTimeout(NotebookFailed):
    """A cell ran past its timeout."""


class NotebookTimeout(NotebookFailed):
    """The notebook ran past its timeout."""


class KernelDied(NotebookFailed):
    """The kernel process exited during execution."""


_BY_KIND: dict[FailureKind, type[NotebookFailed]] = {
    FailureKind.CELL_ERROR: CellFailed,
    FailureKind.CELL_TIMEOUT: CellTimeout,
    FailureKind.NOTEBOOK_TIMEOUT: NotebookTimeout,
    FailureKind.KERNEL_DIED: KernelDied,
}


def error_for(failure: Failure, lang: str = "", framework: str = "") -> NotebookFailed:
    """The typed exception matching a failure."""
    return _BY_KIND.get(failure.kind, NotebookFailed)(failure, lang, framework)
