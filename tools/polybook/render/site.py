"""A book's site settings as Sphinx settings: copyright, favicon, logo, extra
stylesheets and scripts, header links, "Open in Colab" links.

The files are copied into the generated source tree under `_static/pb-site/`
(at their path in the book, so two files of the same name never collide);
conf.py names them. Every setting here is an `html` setting for Sphinx: a
change re-writes the pages without re-reading them.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polybook.layout import BUILD_DIR
from polybook.source.book import Book
from polybook.source.contain import escape, path_escape

SITE_STATIC = "pb-site"  # under _static/


@dataclass(frozen=True, slots=True)
class SiteSettings:
    settings: dict[str, Any] = field(default_factory=dict)  # conf.py values
    files: dict[str, Path] = field(default_factory=dict)  # source tree path -> book file


def book_file(root: Path, rel: str) -> bool:
    """Whether `rel` (a configured path) is a file of the book: there, and not
    outside it once `..` and links are followed."""
    return escape(root, root, rel) is None and (root / rel).is_file()


def book_files(root: Path, patterns: tuple[str, ...]) -> list[str]:
    """Files of the book (relative posix paths) that patterns name, d2lbook's
    way (`glob.glob(root/pattern, recursive=True)`; a folder names its files)."""
    found: set[str] = set()
    for pattern in patterns:
        base = root / pattern
        spec = str(base / "**") if base.is_dir() else str(base)
        for name in glob.glob(spec, recursive=True):
            path = Path(name)
            if path_escape(root, path) is not None:  # reported by the configuration (PB104)
                continue
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not rel.startswith(f"{BUILD_DIR}/"):
                found.add(rel)
    return sorted(found)


def site_settings(book: Book) -> SiteSettings:
    config = book.config
    html = config.html
    out = SiteSettings()
    out.settings["copyright"] = config.author if config.copyright is None else config.copyright

    def static(rel: str) -> str:
        """The file's path below _static/ (copied there)."""
        out.files[f"_static/{SITE_STATIC}/{rel}"] = book.root / rel
        return f"{SITE_STATIC}/{rel}"

    if html.favicon and book_file(book.root, html.favicon):
        out.settings["html_favicon"] = "_static/" + static(html.favicon)
    if html.logo and book_file(book.root, html.logo):
        out.settings["html_logo"] = "_static/" + static(html.logo)
    css = [static(rel) for rel in book_files(book.root, html.css)]
    if css:
        out.settings["html_css_files"] = css
    js = [static(rel) for rel in book_files(book.root, html.js)]
    if js:
        out.settings["html_js_files"] = js
    if html.header_links:
        links = [
            {"name": link.name, "url": link.url, "icon": link.icon, "type": "fontawesome"}
            for link in html.header_links
        ]
        out.settings["html_theme_options"] = {"icon_links": links}
    return out


def merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `extra` added: dictionaries merged, lists extended, others replaced."""
    out = dict(base)
    for name, value in extra.items():
        current = out.get(name)
        if isinstance(value, dict) and isinstance(current, dict):
            out[name] = {**current, **value}
        elif isinstance(value, list) and isinstance(current, list):
            out[name] = [*current, *value]
        else:
            out[name] = value
    return out
