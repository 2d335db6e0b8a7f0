"""The Sphinx side of a polybook site (loaded by the generated conf.py).

- Framework tabs: the generated notebooks mark framework-specific cells with
  the classes `pb-tab pb-fw-<framework> pb-g<group>` (code cells through their
  tags, prose through a container). Each run of such siblings becomes one
  sphinx-design tab set, one tab per framework, synced across the page and
  across pages (sync group "framework", remembered in localStorage by
  sphinx-design's script). A framework's tab filled with another's code
  (its first part the notice of class `pb-fill`, document.py) has its label
  marked `pb-tab-fill`.
- Switchers: links to the same page in the other languages and frameworks
  (the sites `render/switch.py` found; a page a site lacks leads to its index).
- myst-nb writes output images under the site's work folder, not next to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx_design.shared import create_component
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

from polybook import __version__
from polybook.render import nav, search, sphinx_fast
from polybook.render.document import FILL_CLASS
from polybook.render.i18n import words_for
from polybook.render.switch import switch_href

SYNC_GROUP = "framework"


def _tab_info(node: nodes.Node) -> tuple[str, str] | None:
    """(framework, group) of a tab part, None for any other node."""
    if not isinstance(node, nodes.Element):
        return None
    framework = group = None
    for name in node.get("classes", ()):
        bare = name.removeprefix("tag_")
        if bare.startswith("pb-fw-"):
            framework = bare.removeprefix("pb-fw-")
        elif bare.startswith("pb-g") and bare[4:].isdigit():
            group = bare
    if framework is None or group is None:
        return None
    return framework, group


class FrameworkTabs(SphinxTransform):
    """Group consecutive framework-specific siblings into sphinx-design tab sets."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        names = dict(self.config.polybook_frameworks)
        parents: dict[int, nodes.Element] = {}
        for node in self.document.findall(nodes.Element):
            if _tab_info(node) is not None and node.parent is not None:
                parents[id(node.parent)] = node.parent
        for parent in parents.values():
            self._regroup(parent, names)

    def _regroup(self, parent: nodes.Element, names: dict[str, str]) -> None:
        children: list[nodes.Node] = []
        run: list[tuple[str, nodes.Node]] = []
        run_group: str | None = None

        def close() -> None:
            if run:
                children.append(self._tab_set(run, names))
                run.clear()

        for child in parent.children:
            info = _tab_info(child)
            if info is None:
                close()
                children.append(child)
                continue
            if info[1] != run_group:
                close()
                run_group = info[1]
            run.append((info[0], child))
        close()
        parent.children = []
        parent.extend(children)

    def _tab_set(self, run: list[tuple[str, nodes.Node]], names: dict[str, str]) -> nodes.Node:
        order: list[str] = []
        parts: dict[str, list[nodes.Node]] = {}
        for framework, node in run:
            if framework not in parts:
                order.append(framework)
                parts[framework] = []
            parts[framework].append(node)
        tab_set = create_component("tab-set", classes=["sd-tab-set", "pb-tabs"])
        for framework in order:
            classes = ["sd-tab-label", f"pb-tab-{framework}"]
            if FILL_CLASS in parts[framework][0].get("classes", ()):
                classes.append("pb-tab-fill")
            label = nodes.rubric(
                "", "", nodes.Text(names.get(framework, framework)), classes=classes
            )
            label["sync_group"] = SYNC_GROUP
            label["sync_id"] = framework
            content = create_component(
                "tab-content", classes=["sd-tab-content"], children=parts[framework]
            )
            item = create_component("tab-item", classes=["sd-tab-item"], children=[label, content])
            tab_set += item
        return tab_set


def _switchers(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The switchers' links on a page (`switch.switch_conf` says where they lead)."""
    config = app.config
    target = pagename if pagename in app.env.all_docs else config.root_doc
    up = "../" * pagename.count("/")
    switch = config.polybook_switch
    context["pb_words"] = config.polybook_words
    for group, name in (("languages", "pb_languages"), ("sites", "pb_sites")):
        context[name] = [
            {
                "code": entry["key"],
                "name": entry["name"],
                "url": switch_href(entry, target, up),
                "current": entry["current"],
            }
            for entry in switch.get(group, ())
        ]


def _output_folder(app: Sphinx) -> None:
    folder = app.config.polybook_outputs
    config = getattr(app.env, "mystnb_config", None)
    if folder and config is not None:
        app.env.mystnb_config = config.copy(output_folder=folder)  # type: ignore[attr-defined]


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


def _citation_style(config: Config) -> type[AuthorYearReferenceStyle]:
    """Author-year citations in round brackets, with the language's "and"."""
    words = words_for(config.language or "en")

    @dataclass
    class PolybookAuthorYear(AuthorYearReferenceStyle):
        bracket_textual: BracketStyle = field(default_factory=_round)
        bracket_parenthetical: BracketStyle = field(default_factory=_round)
        person: PersonStyle = field(
            default_factory=lambda: PersonStyle(sep2=words.and_two, last_sep=words.and_last)
        )

    return PolybookAuthorYear


def _register_citation_style(app: Sphinx, config: Config) -> None:
    name = f"polybook-{config.language or 'en'}"
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", name, _citation_style(config), force=True
    )


class InlineLines(SphinxTransform):
    """Give every node inside a block of text its own line.

    MyST gives inline nodes (references, citations, images, math) the line of
    the paragraph, title or caption that holds them. A node's own line is that
    line plus the line breaks of the text before it in the block: in generated
    pages every line maps to one book line, so a warning about a reference on
    the third line of a list item is placed on that line, not the item's first.
    """

    default_priority = 100

    def apply(self, **kwargs: Any) -> None:
        for block in self.document.findall(nodes.TextElement):
            if block.line is None or isinstance(block.parent, nodes.TextElement):
                continue
            base, breaks = block.line, 0
            for node in block.findall(include_self=False):
                if isinstance(node, nodes.Text):
                    breaks += node.astext().count("\n")
                elif isinstance(node, nodes.Element) and node.line in (None, base):
                    node.line = base + breaks


class NumberEveryEquation(SphinxTransform):
    """With `math_number_all`, number the display equations written inside a
    paragraph (`text $$x$$ text`) too, as d2lbook does (pandoc makes them display
    blocks); Sphinx numbers only its `math` directive's. A page's equations are
    numbered again in page order."""

    default_priority = 210

    def apply(self, **kwargs: Any) -> None:
        blocks = [
            node
            for node in self.document.findall(nodes.math_block)
            if node.get("label") or "amsmath" not in node.get("classes", ())
        ]
        if not self.config.math_number_all or all(node.get("label") for node in blocks):
            return
        docname = self.env.docname
        equations = self.env.domains.math_domain.equations
        for number, node in enumerate(blocks, start=1):
            if not node.get("label"):
                serial = self.env.new_serialno("sphinx.ext.math#equations")
                node["label"] = f"{docname}:{serial}"
                node["ids"].append(nodes.make_id(f"equation-{node['label']}"))
                node["docname"] = docname
            node["number"] = number
            equations[node["label"]] = (docname, number)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("polybook_lang", "en", "html", str)
    app.add_config_value("polybook_site", "", "html", str)
    app.add_config_value("polybook_languages", [], "html", list)
    app.add_config_value("polybook_frameworks", [], "env", list)
    app.add_config_value("polybook_words", {}, "html", dict)
    app.add_config_value("polybook_switch", {}, "html", dict)
    app.add_config_value("polybook_outputs", "", "env", str)
    app.setup_extension("polybook.render.sphinx_site")
    app.add_transform(FrameworkTabs)
    app.add_transform(InlineLines)
    app.add_transform(NumberEveryEquation)
    app.connect("config-inited", _register_citation_style)
    app.connect("html-page-context", _switchers)
    app.connect("builder-inited", _output_folder, priority=900)
    sphinx_fast.setup(app)
    nav.setup(app)
    search.setup(app)
    # a new polybook is a new extension for Sphinx: every page is read again
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
