"""Sphinx's LaTeX builder on the PDF's generated project, in this process.

Sphinx re-reads only the pages whose files changed (its environment is kept
between builds) and writes the one .tex file, only when its text changed.
Warnings are collected per phase, as for the HTML site (`render.sphinx_run`).
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from typing import Any

from polybook.render.project import SitePaths
from polybook.render.sphinx_run import PhaseStream, sphinx_app


@dataclass(slots=True)
class LatexSphinxRun:
    read: set[str] = field(default_factory=set)
    warnings: dict[str, str] = field(default_factory=dict)  # phase -> stream text
    all_docs: set[str] = field(default_factory=set)


def run_sphinx_latex(paths: SitePaths, jobs: int = 1, verbose: bool = False) -> LatexSphinxRun:
    """Sphinx's `latex` builder (polybook's, `sphinx_latex.py`): src -> paths.out."""
    run = LatexSphinxRun()
    stream = PhaseStream()

    def before_read(app: Any, env: Any, docnames: list[str]) -> None:
        run.read.update(docnames)

    status = sys.stdout if verbose else io.StringIO()
    with sphinx_app(paths, "latex", stream, status, jobs) as app:
        app.connect("env-before-read-docs", before_read)
        app.build()
        run.all_docs = set(app.env.found_docs)
    run.warnings = {phase: "".join(parts) for phase, parts in stream.text.items()}
    return run
