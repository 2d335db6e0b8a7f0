""" "Open in Colab" links (d2lbook's `[colab]`): for each page and framework of a
site whose notebook exists, a link to that notebook in the framework's
GitHub repository (the page's path with `.ipynb`, as d2lbook publishes them;
`polybook build notebooks` writes them), on the configured branch; with
`[html.colab] download = true`, a "Download notebook" link to the same file.

The links of each page are written to `colab.json` in the site's work folder;
the Sphinx side (`sphinx_site.py`) puts them under the page's title. A page's
links change only with its notebooks (then its generated page changes too) or
with the configuration (then conf.py changes): both re-write the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from polybook.globs import PathPatterns
from polybook.render.inputs import PageSource
from polybook.render.project import Tree
from polybook.source.book import Book

COLAB_URL = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"
RAW_URL = "https://github.com/{repo}/raw/{branch}/{path}"
LINKS_FILE = "colab.json"


def colab_links(
    book: Book,
    frameworks: Sequence[str],
    pages: Sequence[PageSource],
    has_notebook: Callable[[PageSource, str], bool],
) -> dict[str, list[list[str]]]:
    """docname -> [label, url] of each link, for the pages that get any."""
    colab = book.config.html.colab
    if not colab.repos:
        return {}
    excluded = PathPatterns(colab.exclusions)
    out: dict[str, list[list[str]]] = {}
    for page in pages:
        if page.plain or excluded.matches(page.docname + ".html"):
            continue
        links: list[list[str]] = []
        for fw in frameworks:
            repo = colab.repos.get(fw)
            if repo and has_notebook(page, fw):
                name = book.config.framework[fw].display_name
                where = {"repo": repo, "branch": colab.branch, "path": page.docname + ".ipynb"}
                links.append([f"Colab [{name}]", COLAB_URL.format(**where)])
                if colab.download:
                    links.append([f"Download notebook [{name}]", RAW_URL.format(**where)])
        if links:
            out[page.docname] = links
    return out


def write_colab(book: Book, work: Path, links: dict[str, list[list[str]]]) -> None:
    """Write the links next to the site's project (`colab_conf` names the file)."""
    if book.config.html.colab.repos:
        Tree(work).write(LINKS_FILE, json.dumps(links, sort_keys=True, indent=1) + "\n")


def colab_conf(book: Book, work: Path) -> dict[str, Any]:
    """The conf.py settings of the links: their file, and the configuration they
    come from (an `html` setting: a change re-writes every page)."""
    colab = book.config.html.colab
    if not colab.repos:
        return {}
    return {
        "polybook_colab_file": str((work / LINKS_FILE).resolve()),
        "polybook_colab": {
            "repos": dict(colab.repos),
            "exclusions": list(colab.exclusions),
            "branch": colab.branch,
            "download": colab.download,
        },
    }
