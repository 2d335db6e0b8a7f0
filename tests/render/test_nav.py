"""The sidebar built once per build (render/nav.py) is the theme's, on every page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from polybook.render import nav
from polybook.render.project import SitePaths
from tests.render.conftest import Sites


def _sphinx(src: Path, out: Path, fast: bool) -> None:
    with patch_docutils(src), docutils_namespace():
        app = Sphinx(
            srcdir=src,
            confdir=src,
            outdir=out,
            doctreedir=out.parent / f"{out.name}-doctrees",
            buildername="html",
            confoverrides={"polybook_fast_nav": fast},
            status=None,
            warning=None,
            freshenv=True,
        )
        app.build()


def _pages(root: Path) -> Iterator[Path]:
    return (p.relative_to(root) for p in sorted(root.rglob("*.html")))


@pytest.mark.parametrize("key", ["en/pytorch", "en/all", "id/pytorch"])
def test_every_page_is_byte_for_byte_the_themes(sites: Sites, key: str, tmp_path: Path) -> None:
    lang, site = key.split("/")
    src = SitePaths.of(sites.book.layout, lang, site).src
    _sphinx(src, tmp_path / "theme", fast=False)
    _sphinx(src, tmp_path / "fast", fast=True)
    pages = list(_pages(tmp_path / "fast"))
    assert pages == list(_pages(tmp_path / "theme"))
    assert Path("chap/first.html") in pages
    for rel in pages:
        fast, theme = tmp_path / "fast" / rel, tmp_path / "theme" / rel
        assert fast.read_text("utf-8") == theme.read_text("utf-8"), rel


def test_the_tree_is_built_once_and_pages_under_an_only_directive_keep_the_themes(
    sites: Sites, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[nav.Sidebar | None] = []
    rendered: dict[str, bool] = {}
    build_sidebar, render = nav.build_sidebar, nav.Sidebar.render

    def counting_build(app: Sphinx, options: dict[str, Any]) -> nav.Sidebar | None:
        built.append(build_sidebar(app, options))
        return built[-1]

    def recording_render(self: nav.Sidebar, app: Sphinx, pagename: str) -> str | None:
        html = render(self, app, pagename)
        rendered[pagename] = html is not None
        return html

    monkeypatch.setattr(nav, "build_sidebar", counting_build)
    monkeypatch.setattr(nav.Sidebar, "render", recording_render)
    _sphinx(SitePaths.of(sites.book.layout, "en", "pytorch").src, tmp_path / "fast", fast=True)
    assert len(built) == 1 and built[0] is not None
    # refs.md holds `.. only:: html` around its title: Sphinx marks that page's
    # entry differently, so the theme draws its sidebar
    assert built[0].theme_pages == frozenset({"refs"})
    assert rendered == {
        "index": True,
        "chap/index": True,
        "chap/first": True,
        "chap/second": True,
        "refs": False,
        "search": True,
    }
