"""The PDF's book structure and language names (sphinx_latex.py, languages.py)."""

from __future__ import annotations

from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes

from polybook.render.pdf.languages import gloss_for
from polybook.render.pdf.sphinx_latex import (
    BACK_MATTER,
    FRONT_MATTER,
    MAIN_MATTER,
    GlossBabel,
    arrange,
)


def _toc(numbered: int, *pages: str) -> nodes.compound:
    toc = addnodes.toctree(numbered=numbered, includefiles=list(pages))
    return nodes.compound("", toc, classes=["toctree-wrapper"])


def _section(title: str, *children: nodes.Node) -> nodes.section:
    return nodes.section("", nodes.title(title, title), *children)


def _shape(node: nodes.Element) -> list[str]:
    out = []
    for child in node.children:
        if isinstance(child, nodes.raw):
            out.append(child.astext().strip())
        elif isinstance(child, addnodes.toctree):
            out.append(f"toc{child['includefiles']}")
        elif isinstance(child, nodes.section):
            out.append(f"section {child[0].astext()}")
        else:
            out.append(child.tagname)
    return out


def test_root_prose_is_front_matter_and_tables_of_contents_the_chapters() -> None:
    """The root page as d2l books write it: the tables of contents sit inside
    the last section of the preface (Sphinx would nest every chapter there)."""
    tree = new_document("index")
    running = _section("Running the code", nodes.paragraph(text="pip install"))
    running += [_toc(0, "preface"), _toc(1, "chap_a/index", "chap_b/index"), _toc(0, "refs")]
    tree += _section("The Book", nodes.paragraph(text="intro"), _section("Preface", running))
    arrange(tree, ["bibliography"])
    top = tree[0]
    assert _shape(top) == [
        "title",
        FRONT_MATTER,
        "section The Book",  # the text before the first section: a chapter of its own
        "section Preface",
        "toc['preface']",
        MAIN_MATTER,
        "toc['chap_a/index', 'chap_b/index']",
        BACK_MATTER,
        "toc['refs']",
        "toc['bibliography']",
    ]
    assert _shape(top[3][1]) == ["title", "paragraph"]  # the toctrees left their section
    assert not list(top.findall(nodes.compound))


def test_a_root_page_without_sections_is_left_alone() -> None:
    tree = new_document("index")
    tree += nodes.paragraph(text="no title")
    arrange(tree)
    assert _shape(tree) == ["paragraph"]


def test_polyglossia_names_of_the_book_languages() -> None:
    """docutils would say `vietnam` and `bahasai`; polyglossia knows neither
    captions nor hyphenation by those names."""
    expected = {
        "en": ("english", None),
        "vi": ("vietnamese", None),
        "id": ("malay", "variant=indonesian"),
        "tr": ("turkish", None),
        "fr": ("french", None),
    }
    for code, (name, options) in expected.items():
        gloss = gloss_for(code)
        assert gloss is not None
        babel = GlossBabel(code, gloss)
        assert (babel.get_language(), babel.get_mainlanguage_options()) == (name, options)
        assert babel.is_supported_language()
    assert gloss_for("pt_BR") is None
    assert gloss_for("vi_VN") == gloss_for("vi")
    french, vietnamese = gloss_for("fr"), gloss_for("vi")
    assert french is not None and french.babel and french.package == "texlive-lang-french"
    assert vietnamese is not None and not vietnamese.hyphenation
