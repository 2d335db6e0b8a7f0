"""Per-page execution settings and per-cell directives.

Page settings come from the book configuration only (never guessed):

    [execute]
    cell_timeout = 600
    notebook_timeout = 1800

    [execute.pages."chapter_computer-vision/*.md"]
    gpus = 2
    notebook_timeout = 7200

Table keys are fnmatch patterns over the page path relative to the language
root, so a setting applies to the page in every language; tables are applied
in the order written, later ones overriding earlier ones field by field.

Cells: a code cell may raise without failing the run when one of its lines
is the comment `# polybook: allow-error` (the runner then gives it nbclient's
`raises-exception` tag).
"""

from __future__ import annotations

import fnmatch
import re

from polybook.config.model import ExecuteConfig
from polybook.execute.model import PageSettings

ALLOW_ERROR_TAG = "raises-exception"
_ALLOW_ERROR = re.compile(r"^\s*#\s*polybook:\s*allow-error\s*$", re.MULTILINE)


def page_settings(config: ExecuteConfig, page: str) -> PageSettings:
    cell, notebook, gpus, allow = config.cell_timeout, config.notebook_timeout, 0, False
    for pattern, table in config.pages.items():
        if not fnmatch.fnmatchcase(page, pattern):
            continue
        cell = table.cell_timeout if table.cell_timeout is not None else cell
        notebook = table.notebook_timeout if table.notebook_timeout is not None else notebook
        gpus = table.gpus if table.gpus is not None else gpus
        allow = table.allow_errors if table.allow_errors is not None else allow
    return PageSettings(cell, notebook, gpus, allow)


def allows_error(source: str) -> bool:
    return _ALLOW_ERROR.search(source) is not None
