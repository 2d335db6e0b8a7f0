"""Typed errors that stop an execute run before or outside any notebook.

A runner never raises for a notebook problem: it returns a `Result` whose
`Failure` says where in the source page and why.
"""

from __future__ import annotations


class ExecuteError(Exception):
    """Base class: something went wrong executing the book."""


class SchedulerError(ExecuteError):
    """The scheduler could not be reached or used (e.g. a bad Dask address)."""


class CacheError(ExecuteError):
    """The cache directory is unusable."""
