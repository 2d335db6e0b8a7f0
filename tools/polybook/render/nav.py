"""The book's navigation sidebar, built once per build instead of once per page.

sphinx-book-theme renders the sidebar of every page by resolving the whole
book's table of contents for that page and re-shaping its HTML with
BeautifulSoup (pydata-sphinx-theme's `generate_toctree_html`): for a book of
200 pages that is half of the build. The tree is the same on every page; only
the links (relative to the page) and the marks of the page's branch
(`current`, `active`, an open `<details>`) differ.

`Sidebar` does the theme's work once, for a page outside the tree, with the
theme's own transformations, then leaves a slot in the HTML for each link,
each entry's and list's classes and each disclosure's state. A page's sidebar
is that HTML with the slots filled: byte for byte what the theme writes
(tests/render/test_nav.py compares every page of the fixture sites).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from sphinx.application import Sphinx
from sphinx.config import Config

# a page name no book has: the tree is resolved for it, so nothing is current
_OUTSIDE = "_polybook_nav_outside"
_SLOT = re.compile(r"@@pb(\d+)@@")
_SLOT_ATTR = "data-pb-slot"
# sbt-sidebar-nav.html, which takes the sidebar from the page's context
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(slots=True)
class _Entry:
    docname: str | None  # None: an external link
    href: str  # the link as written for the page outside the tree
    classes: list[str]  # Sphinx's classes of the <li> (toctree-lN)
    link_classes: list[str]
    has_children: bool
    parent: int | None  # index of the enclosing entry
    list_index: int  # the <ul> that holds it


@dataclass(slots=True)
class _List:
    classes: list[str]  # Sphinx's classes
    extra: list[str]  # the theme's (nav bd-sidenav on the top lists)


@dataclass(slots=True)
class Sidebar:
    """The sidebar HTML with slots, and what fills them."""

    pieces: list[str]  # text, and slot numbers in between (odd positions)
    slots: list[tuple[str, int]]  # (kind, index): li, a, href, ul, details
    entries: list[_Entry] = field(default_factory=list)
    lists: list[_List] = field(default_factory=list)
    opened: set[int] = field(default_factory=set)  # entries open at every page
    theme_pages: frozenset[str] = frozenset()  # pages left to the theme

    def render(self, app: Sphinx, pagename: str) -> str | None:
        """The sidebar of `pagename`; None: the theme's own (see `_irregular`)."""
        if pagename in self.theme_pages:
            return None
        builder = app.builder
        current: set[int] = set()
        for i, entry in enumerate(self.entries):
            if entry.docname == pagename:
                index: int | None = i
                while index is not None and index not in current:
                    current.add(index)
                    index = self.entries[index].parent
        current_lists = {self.entries[i].list_index for i in current}
        filled: dict[tuple[str, int], str] = {}

        def fill(kind: str, i: int) -> str:
            if kind == "li":
                entry = self.entries[i]
                marks = ["current", "active"] if i in current else []
                more = ["has-children"] if entry.has_children else []
                return f' class="{" ".join([*entry.classes, *marks, *more])}"'
            if kind == "a":
                entry = self.entries[i]
                here = entry.docname == pagename
                return f' class="{" ".join([*(["current"] if here else []), *entry.link_classes])}"'
            if kind == "href":
                entry = self.entries[i]
                if entry.docname is None:
                    return entry.href
                uri = builder.get_relative_uri(pagename, entry.docname)
                return _attr(uri or "#")
            if kind == "ul":
                ul = self.lists[i]
                classes = [*ul.classes, *(["current"] if i in current_lists else []), *ul.extra]
                return f' class="{" ".join(classes)}"' if classes else ""
            # details
            return ' open="open"' if i in current or i in self.opened else ""

        out: list[str] = []
        for n, piece in enumerate(self.pieces):
            if n % 2 == 0:
                out.append(piece)
                continue
            kind, i = self.slots[int(piece)]
            key = (kind, i)
            if key not in filled:
                filled[key] = fill(kind, i)
            out.append(filled[key])
        return "".join(out)


def _attr(value: str) -> str:
    return html.escape(value, quote=True).replace("&#x27;", "'")


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    if value is None:
        return []
    return value.split() if isinstance(value, str) else [str(c) for c in value]


def build_sidebar(app: Sphinx, options: dict[str, Any]) -> Sidebar | None:
    """The theme's sidebar tree for `options` (the template's arguments), with
    slots; None when the tree has a shape this does not reproduce."""
    from sphinx.environment.adapters.toctree import global_toctree_for_doc

    builder: Any = app.builder
    env = app.env
    show_nav_level = int(options["show_nav_level"])
    if show_nav_level == 0:  # parts become collapsible: the theme's own path
        return None
    toctree = global_toctree_for_doc(
        env,
        _OUTSIDE,
        builder,
        tags=builder.tags,
        collapse=bool(options["collapse"]),
        includehidden=True,
        maxdepth=int(options["maxdepth"]),
        titles_only=True,
    )
    if toctree is None:
        return Sidebar([""], [])
    soup, sphinx_classes, top = _theme_soup(builder.render_partial(toctree)["fragment"])
    uris = {builder.get_relative_uri(_OUTSIDE, doc): doc for doc in env.all_docs}
    sidebar = Sidebar([], [])
    list_of: dict[int, int] = {}
    for ul in soup.find_all("ul"):
        list_of[id(ul)] = len(sidebar.lists)
        extra = ["nav", "bd-sidenav"] if id(ul) in top else []
        sidebar.lists.append(_List(sphinx_classes[id(ul)], extra))
        ul.attrs = {_SLOT_ATTR: _slot(sidebar, "ul", list_of[id(ul)])}
    entry_of: dict[int, int] = {}
    for li in soup.find_all("li"):
        link, holder = li.find("a"), li.parent
        if not isinstance(link, Tag) or holder is None or id(holder) not in list_of:
            return None
        classes = sphinx_classes[id(li)]
        href = str(link.get("href", ""))
        parent_li = li.find_parent("li")
        i = len(sidebar.entries)
        entry_of[id(li)] = i
        link_classes = _classes(link)
        sidebar.entries.append(
            _Entry(
                docname=uris.get(href) if "internal" in link_classes else None,
                href=_attr(href),
                classes=classes,
                link_classes=link_classes,
                has_children="has-children" in _classes(li),
                parent=None if parent_li is None else entry_of.get(id(parent_li)),
                list_index=list_of[id(holder)],
            )
        )
        details = li.find("details", recursive=False)
        if isinstance(details, Tag):
            if any(f"toctree-l{level}" in classes for level in range(show_nav_level)):
                sidebar.opened.add(i)
            details.attrs = {_SLOT_ATTR: _slot(sidebar, "details", i)}
        li.attrs = {_SLOT_ATTR: _slot(sidebar, "li", i)}
        rest = {k: v for k, v in link.attrs.items() if k not in ("class", "href")}
        link.attrs = {_SLOT_ATTR: _slot(sidebar, "a", i), "href": _slot(sidebar, "href", i), **rest}
    sidebar.theme_pages = _irregular(env)
    text = re.sub(rf' {_SLOT_ATTR}="(@@pb\d+@@)"', r"\1", str(soup))
    sidebar.pieces = _SLOT.split(text)
    return sidebar


def _theme_soup(fragment: str) -> tuple[BeautifulSoup, dict[int, list[str]], set[int]]:
    """pydata-sphinx-theme's `generate_toctree_html` (kind sidebar, show_nav_level
    above 0) for a page with no current entry; also Sphinx's own classes of each
    list and entry, and the top lists."""
    from pydata_sphinx_theme.toctree import add_collapse_checkboxes  # type: ignore[import-untyped]

    soup = BeautifulSoup(fragment, "html.parser")
    for li in soup.select("li"):
        link = li.find("a")
        if isinstance(link, Tag):
            href = str(link.get("href", ""))
            if "#" in href and href != "#":
                li.decompose()
    sphinx_classes = {id(tag): _classes(tag) for tag in soup.find_all(["ul", "li"])}
    top: set[int] = set()
    for ul in soup("ul", recursive=False):
        ul["class"] = " ".join([*_classes(ul), "nav", "bd-sidenav"])
        top.add(id(ul))
    add_collapse_checkboxes(soup)
    return soup, sphinx_classes, top


def _irregular(env: Any) -> frozenset[str]:
    """Pages whose sidebar Sphinx marks differently: the table of contents of a
    page or of one of its ancestors holds an `only` directive. For the page and
    its ancestors Sphinx copies the entries with the `only` node in place and
    gives the entries inside it no classes (neither their level nor `current`)."""
    from sphinx import addnodes

    with_only = {doc for doc, toc in env.tocs.items() if any(toc.findall(addnodes.only))}
    if not with_only:
        return frozenset()
    parent: dict[str, str] = {}
    for doc, children in env.toctree_includes.items():
        for child in children:
            parent[child] = doc  # as Sphinx: the last including page wins
    out: set[str] = set()
    for doc in env.all_docs:
        seen: list[str] = []
        node: str | None = doc
        while node is not None and node not in seen:
            seen.append(node)
            node = parent.get(node)
        if with_only.intersection(seen):
            out.add(doc)
    return frozenset(out)


def _slot(sidebar: Sidebar, kind: str, index: int) -> str:
    sidebar.slots.append((kind, index))
    return f"@@pb{len(sidebar.slots) - 1}@@"


def _to_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes", "on")
    return bool(value)


def _page_sidebar(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """`pb_sidebar_nav` in the page's context: its sidebar, or None (the theme's)."""
    builder: Any = app.builder
    if not app.config.polybook_fast_nav:
        context["pb_sidebar_nav"] = None
        return
    if not hasattr(builder, "_polybook_sidebar"):
        options = {
            "maxdepth": int(context.get("theme_max_navbar_depth", 4)),
            "collapse": _to_bool(context.get("theme_collapse_navbar", False)),
            "show_nav_level": int(context.get("theme_show_navbar_depth", 1)),
        }
        builder._polybook_sidebar = build_sidebar(app, options)
    sidebar: Sidebar | None = builder._polybook_sidebar
    context["pb_sidebar_nav"] = None if sidebar is None else sidebar.render(app, pagename)


def _forget(app: Sphinx, *args: Any) -> None:
    if hasattr(app.builder, "_polybook_sidebar"):
        del app.builder._polybook_sidebar


def _templates(app: Sphinx, config: Config) -> None:
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


def setup(app: Sphinx) -> None:
    # False: the theme's own sidebar on every page (what the tests compare with)
    app.add_config_value("polybook_fast_nav", True, "html", bool)
    app.connect("config-inited", _templates)
    # before pydata-sphinx-theme's handler (500), which renders the sidebars
    app.connect("html-page-context", _page_sidebar, priority=400)
    app.connect("write-started", _forget)
