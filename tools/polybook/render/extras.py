"""What a book's configuration adds to a site beyond its pages: the site
settings (`site.py`), "Open in Colab" links (`colab.py`) and the resources
(`resources.py`). `build_html` takes conf.py's settings from `site_conf`,
calls `prepare_site` before Sphinx runs and `finish_site` after."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polybook.diagnostics import Diagnostic
from polybook.render.colab import colab_conf, colab_links, write_colab
from polybook.render.inputs import Inputs, PageSource
from polybook.render.project import SitePaths, Tree
from polybook.render.resources import copy_resources
from polybook.render.site import merged, site_settings
from polybook.source.book import Book

ALL = "all"


def site_conf(book: Book, paths: SitePaths) -> dict[str, Any]:
    """The conf.py settings of the book's site settings and Colab links."""
    return merged(site_settings(book).settings, colab_conf(book, paths.work))


def prepare_site(
    book: Book,
    lang: str,
    site: str,
    paths: SitePaths,
    tree: Tree,
    pages: Sequence[PageSource],
    inputs: Inputs,
) -> None:
    """Copy the site's files into the source tree; write the pages' Colab links."""
    for rel, source in sorted(site_settings(book).files.items()):
        tree.copy(rel, source)
    frameworks = book.config.frameworks_for(lang) if site == ALL else (site,)

    def has_notebook(page: PageSource, framework: str) -> bool:
        return inputs.paths(page, framework)[0].is_file()

    write_colab(book, paths.work, colab_links(book, frameworks, pages, has_notebook))


def finish_site(book: Book, paths: SitePaths) -> list[Diagnostic]:
    """After Sphinx: the resources copied into the site; the configuration's diagnostics."""
    _, problems = copy_resources(book, paths.out, paths.work)
    return [*book.source.diagnostics, *problems]
