"""The Sphinx side of a polybook PDF (loaded by the PDF project's conf.py).

- The book's structure: the root page's prose is front matter (unnumbered
  chapters), the pages of its numbered tables of contents are the numbered
  chapters, the pages of tables of contents after them back matter. Sphinx
  would put every chapter inside the root page's last section (chapters as
  `\\subsection`, figures numbered 1.2.x everywhere).
- polyglossia's name of the language (`languages.py`), not docutils' babel name.
- Positions: every block of text starts with a `%pb:<page>:<line>:<lines>`
  comment line in the .tex, so that a line of the LaTeX log can be traced
  back to the generated page, and through its position map to the book.
- SVG images are converted to PDF with rsvg-convert.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.builders.latex.util import ExtBabel
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.post_transforms.images import ImageConverter
from sphinx.util import logging
from sphinx.util.nodes import inline_all_toctrees
from sphinx.writers.latex import LaTeXTranslator

from polybook.files import write_atomic
from polybook.render.pdf.languages import Gloss, gloss_for
from polybook.render.pdf.texlog import MARKER

logger = logging.getLogger(__name__)

FRONT_MATTER = "\\pbfrontmatter"
MAIN_MATTER = "\\pbmainmatter"
BACK_MATTER = "\\pbbackmatter"
_MARKED = (
    nodes.literal_block,
    nodes.math_block,
    nodes.figure,
    nodes.table,
    nodes.Admonition,
    nodes.line_block,
    nodes.block_quote,
)


class GlossBabel(ExtBabel):
    """Sphinx's language names, with polyglossia's name of the book language."""

    def __init__(self, language_code: str, gloss: Gloss) -> None:
        self.gloss = gloss
        super().__init__(language_code, use_polyglossia=True)

    def language_name(self, language_code: str) -> str:
        return self.gloss.name

    def get_mainlanguage_options(self) -> str | None:
        return self.gloss.options or None


def _raw(command: str) -> nodes.raw:
    return nodes.raw("", command + "\n", format="latex")


def _toctree(docnames: list[str]) -> addnodes.toctree:
    toc = addnodes.toctree()
    toc["entries"] = [(None, name) for name in docnames]
    toc["includefiles"] = list(docnames)
    toc["numbered"] = 0
    return toc


def arrange(tree: nodes.document, back_matter: list[str] | None = None) -> None:
    """Front matter, numbered chapters, back matter (see the module's docstring).

    The root page's first section is the book (its title is the document's);
    its other content becomes the front matter. Every table of contents is
    taken out of the page and placed at the book's top level: numbered ones in
    the main matter, unnumbered ones before the first numbered one in the front
    matter, after it in the back matter. `back_matter` pages (a reference
    list no table of contents reaches) come last.
    """
    top = next((child for child in tree.children if isinstance(child, nodes.section)), None)
    if top is None:
        return
    front: list[nodes.Node] = []
    main: list[nodes.Node] = []
    back: list[nodes.Node] = []
    for toc in list(tree.findall(addnodes.toctree)):
        parent = toc.parent
        wrapper = parent if isinstance(parent, nodes.compound) and len(parent) == 1 else toc
        if wrapper.parent is not None:
            wrapper.parent.remove(wrapper)
        if toc.get("numbered"):
            main.append(toc)
        else:
            (back if main else front).append(toc)
    if back_matter:
        back.append(_toctree(back_matter))
    children = list(top.children)
    title = children[:1] if children and isinstance(children[0], nodes.title) else []
    prose = children[len(title) :]
    lead = next((i for i, n in enumerate(prose) if isinstance(n, nodes.section)), len(prose))
    if title and any(not isinstance(n, nodes.Invisible) for n in prose[:lead]):
        # text before the root's first section: a chapter of its own, under the book's title
        heading = title[0].deepcopy()
        prose = [nodes.section("", heading, *prose[:lead], ids=[]), *prose[lead:]]
    top.children = []
    top.extend([*title, _raw(FRONT_MATTER), *prose, *front])
    top.extend([_raw(MAIN_MATTER), *main, _raw(BACK_MATTER), *back])


class MarkedTranslator(LaTeXTranslator):
    """Sphinx's LaTeX translator, with a position comment before each block, and
    the pages taken from another language (untranslated) typeset in that
    language (hyphenation, punctuation spacing), their notice in the book's."""

    UNTRANSLATED = "pb-untranslated"  # the notice's class (render.build)

    def __init__(self, document: nodes.document, *args: Any, **kwargs: Any) -> None:
        super().__init__(document, *args, **kwargs)
        self.main_language = self.builder.babel.get_language()
        self.languages: list[tuple[str, bool]] = [(self.main_language, False)]

    def _language(self, language: str) -> None:
        opened = language != self.languages[-1][0]
        if opened:
            self.body.append(f"\\begin{{otherlanguage*}}{{{language}}}\n")
        self.languages.append((language, opened))

    def _end_language(self) -> None:
        if self.languages.pop()[1]:
            self.body.append("\\end{otherlanguage*}\n")

    def visit_start_of_file(self, node: nodes.Element) -> None:
        super().visit_start_of_file(node)
        pages = self.config.polybook_page_languages
        self._language(pages.get(node["docname"], self.main_language))

    def depart_start_of_file(self, node: nodes.Element) -> None:
        self._end_language()
        super().depart_start_of_file(node)

    def dispatch_departure(self, node: nodes.Node) -> None:
        super().dispatch_departure(node)
        if isinstance(node, nodes.Element) and self.UNTRANSLATED in node.get("classes", ()):
            self._end_language()

    def dispatch_visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Element) and self.UNTRANSLATED in node.get("classes", ()):
            self._language(self.main_language)
        if isinstance(node, nodes.paragraph):
            super().dispatch_visit(node)  # after `\sphinxAtStartPar`: its lines follow
            self._mark(node, node.astext().count("\n") + 1)
            return
        if isinstance(node, _MARKED) or (
            isinstance(node, nodes.title) and isinstance(node.parent, nodes.section)
        ):
            self._mark(node, 1)
        super().dispatch_visit(node)

    def _mark(self, node: nodes.Node, count: int) -> None:
        # a whole comment line between two line ends changes nothing for TeX
        if node.line and self.curfilestack and self.body and self.body[-1].endswith("\n"):
            self.body.append(f"{MARKER}{self.curfilestack[-1]}:{node.line}:{count}\n")


class BookLaTeXBuilder(LaTeXBuilder):
    """Sphinx's LaTeX builder with the book's structure and polyglossia's names."""

    name = "latex"
    default_translator_class = MarkedTranslator

    def init_babel(self) -> None:
        gloss = gloss_for(self.config.language or "en")
        if gloss is None:
            super().init_babel()
            return
        self.babel = GlossBabel(self.config.language or "en", gloss)

    def assemble_doctree(
        self, indexfile: str, toctree_only: bool, appendices: list[str]
    ) -> nodes.document:
        """Sphinx's `assemble_doctree`, with the root page `arrange`d first."""
        names = {indexfile, *appendices}  # the pages in the PDF (inlining adds them)
        self.docnames = names
        tree = self.env.get_doctree(indexfile)
        tree["docname"] = indexfile
        arrange(tree, list(self.config.polybook_back_matter))
        largetree = inline_all_toctrees(self, names, indexfile, tree, str, [indexfile])
        largetree["docname"] = indexfile
        for docname in appendices:
            appendix = self.env.get_doctree(docname)
            appendix["docname"] = docname
            largetree.append(appendix)
        self.env.resolve_references(largetree, indexfile, self)
        for pending in list(largetree.findall(addnodes.pending_xref)):
            title = str(pending.get("refsectname") or pending.astext())
            pending.replace_self([nodes.emphasis(title, title)])
        return largetree


class MissingImages(SphinxPostTransform):
    """An image whose file does not exist (reported by the render stage, PB202)
    is shown as its path: LaTeX would stop at it."""

    default_priority = 90  # before the image converters
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        srcdir = Path(self.env.srcdir)
        for node in list(self.document.findall(nodes.image)):
            uri = str(node.get("uri", ""))
            if "://" in uri or (srcdir / uri).is_file():
                continue
            text = f"[{uri}]"
            node.replace_self(nodes.inline(text, text, classes=["pb-missing-image"]))


class RsvgConverter(ImageConverter):
    """SVG -> PDF with rsvg-convert (librsvg2-bin), converted once per SVG version."""

    conversion_rules = [("image/svg+xml", "application/pdf")]  # noqa: RUF012 (Sphinx's API)

    def is_available(self) -> bool:
        return shutil.which("rsvg-convert") is not None

    def convert(self, _from: str | os.PathLike[str], _to: str | os.PathLike[str]) -> bool:
        source, target = Path(_from), Path(_to)
        try:
            if target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
                return True
        except OSError:
            pass
        run = subprocess.run(
            ["rsvg-convert", "--format=pdf", str(source)], capture_output=True, check=False
        )
        if run.returncode != 0:
            message = run.stderr.decode("utf-8", "replace").strip()
            logger.warning("rsvg-convert could not convert %s: %s", source.name, message)
            return False
        write_atomic(target, run.stdout)
        return True


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("polybook_back_matter", [], "env", list)
    # page -> polyglossia language of its text, for pages not in the book's language
    app.add_config_value("polybook_page_languages", {}, "env", dict)
    app.add_builder(BookLaTeXBuilder, override=True)
    app.add_post_transform(MissingImages)
    app.add_post_transform(RsvgConverter)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
