"""What a book's configuration adds to a site beyond its pages: the site
settings (`site.py`), "Open in Colab" links (`colab.py`) and the resources
(`resources.py`). `build_html` calls `prepare` before Sphinx runs and
`finish` after."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polybook.diagnostics import Diagnostic
from polybook.render.colab import colab_links, write_colab
from polybook.render.inputs import Inputs, PageSource
from polybook.render.project import SitePaths, Tree
from polybook.render.resources import copy_resources
from polybook.render.site import merged, site_settings
from polybook.source.book import Book

ALL = "all"


def prepare(
    book: Book,
    lang: str,
    site: str,
    paths: SitePaths,
    tree: Tree,
    pages: Sequence[PageSource],
    inputs: Inputs,
) -> dict[str, Any]:
    """Copy the site's files into the source tree; the conf.py settings they need."""
    settings = site_settings(book)
    for rel, source in sorted(settings.files.items()):
        tree.copy(rel, source)
    frameworks = book.config.frameworks_for(lang) if site == ALL else (site,)

    def has_notebook(page: PageSource, framework: str) -> bool:
        return inputs.paths(page, framework)[0].is_file()

    links = colab_links(book, frameworks, pages, has_notebook)
    return merged(settings.settings, write_colab(book, paths.work, links))


def finish(book: Book, paths: SitePaths) -> list[Diagnostic]:
    """After Sphinx: the resources copied into the site; the configuration's diagnostics."""
    _, problems = copy_resources(book, paths.out, paths.work)
    return [*book.source.diagnostics, *problems]
