"""The PDF's conf.py (project.py), the build state (state.py) and what LaTeX needs (latex.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.render.i18n import words_for
from polybook.render.pdf.languages import gloss_for
from polybook.render.pdf.latex import Need, missing, needs
from polybook.render.pdf.project import Fonts, PdfSpec, conf_py, latex_settings
from polybook.render.pdf.state import State, source_digest
from polybook.render.pdf.texlog import Issue
from polybook.render.project import SiteSpec
from tests.render.conftest import copy_minibook


def _spec(lang: str, pages: dict[str, str] | None = None, date: str = "") -> PdfSpec:
    site = SiteSpec(
        lang=lang,
        site="pytorch",
        title="Tiêu đề & co",
        author="A_B",
        release="1.0",
        words=words_for(lang),
        languages=(("en", "English"),),
        frameworks=(("pytorch", "PyTorch"),),
        outputs="/tmp/out",
    )
    glosses = {page: gloss_for(other) for page, other in (pages or {}).items()}
    languages = {page: g for page, g in glosses.items() if g is not None}
    return PdfSpec(site, "book", gloss_for(lang), Fonts(), None, date, languages, ("bib",))


def test_polyglossia_with_the_languages_of_untranslated_pages() -> None:
    settings = latex_settings(_spec("id", {"chap/a": "en"}))
    elements = settings["latex_elements"]
    assert (elements["polyglossia"], elements["babel"]) == (r"\usepackage{polyglossia}", "")
    assert elements["preamble"].endswith("\\setotherlanguage{english}\n")
    assert elements["releasename"] == "Rilis"
    assert settings["polybook_page_languages"] == {"chap/a": "english"}
    assert settings["polybook_back_matter"] == ["bib"]
    assert settings["latex_documents"] == [
        ("index", "book.tex", r"Tiêu đề \& co", r"A\_B", "manual")
    ]
    assert settings["latex_engine"] == "xelatex"
    assert settings["today"] == " "  # no date: the .tex is the same every day
    assert "\\setmonofont{Noto Sans Mono}" in elements["fontpkg"]


def test_french_through_babel_as_sphinx_does() -> None:
    elements = latex_settings(_spec("fr", {"x": "en"}, date="2026-11-29"))["latex_elements"]
    assert elements["polyglossia"] == ""
    assert elements["babel"] == r"\usepackage[english,main=french]{babel}"
    assert "setotherlanguage" not in elements["preamble"]
    assert latex_settings(_spec("fr", date="2026-11-29"))["today"] == "2026-11-29"


def test_conf_py_is_the_site_conf_plus_latex() -> None:
    text = conf_py(_spec("vi"))
    assert "myst_enable_extensions = ['dollarmath', 'colon_fence']" in text  # the site's
    assert "latex_engine = 'xelatex'" in text
    assert text.rstrip().endswith("extensions = [*extensions, 'polybook.render.pdf.sphinx_latex']")


def test_state_says_whether_the_published_pdf_is_this_builds(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.ipynb").write_text("{}", "utf-8")
    files = [src / "a.ipynb"]
    digest = source_digest(files, src, "v1")
    assert digest == source_digest(files, src, "v1") != source_digest(files, src, "v2")
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(b"%PDF")
    state = State(digest, State.stamp(pdf), (Issue("PDF_LATEX_ERROR", "m", "a", 1),))
    state.save(tmp_path / "state.json")
    loaded = State.load(tmp_path / "state.json")
    assert loaded == state and loaded.complete(digest, pdf)
    (src / "a.ipynb").write_text("{ }", "utf-8")
    assert not loaded.complete(source_digest(files, src, "v1"), pdf)
    pdf.unlink()
    assert not loaded.complete(digest, pdf)
    assert not State.load(tmp_path / "nothing.json").complete("", pdf)


def test_what_latex_needs_is_named_by_debian_package(tmp_path: Path) -> None:
    programs, files = needs(gloss_for("tr"), "tr", svg=True)
    assert Need("rsvg-convert", "librsvg2-bin") in programs
    assert Need("hyph-tr.tex", "texlive-lang-european") in files
    assert Need("gloss-turkish.ldf", "texlive-latex-recommended") in files
    _, french = needs(gloss_for("fr"), "fr", svg=False)
    assert Need("french.ldf", "texlive-lang-french") in french  # babel's, not polyglossia's
    _, vietnamese = needs(gloss_for("vi"), "vi", svg=False)
    assert not any(n.what.startswith("hyph-") for n in vietnamese)  # TeX has no patterns
    fonts = [Need("Noto Serif", "fonts-noto-core")]
    old = os.environ["PATH"]
    try:
        os.environ["PATH"] = str(tmp_path)
        absent = missing(programs, files, fonts, installed=set())
    finally:
        os.environ["PATH"] = old
    assert [n.what for n in absent] == [
        "xelatex",
        "latexmk",
        "kpsewhich",
        "rsvg-convert",
        "Noto Serif",
    ]


def test_build_pdf_without_tex_names_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No TeX on the machine: exit status 2, each missing Debian package named, no PDF."""
    book = copy_minibook(tmp_path / "book")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    status = main(["--book", str(book.root), "build", "pdf", "--framework", "pytorch"])
    err = capsys.readouterr().err
    assert status == 2
    setup = [line for line in err.splitlines() if "PB215" in line]
    tail = "(make pdf-deps installs every package the PDF needs) (en, pytorch)"
    assert setup == [
        f"(pdf):0: error PB215: Noto Serif, Noto Sans not found: install the Debian package "
        f"fonts-noto-core {tail}",
        f"(pdf):0: error PB215: Noto Sans Mono not found: install the Debian package "
        f"fonts-noto-mono {tail}",
        f"(pdf):0: error PB215: latexmk not found: install the Debian package latexmk {tail}",
        f"(pdf):0: error PB215: rsvg-convert not found: install the Debian package "
        f"librsvg2-bin {tail}",
        f"(pdf):0: error PB215: kpsewhich not found: install the Debian package "
        f"texlive-binaries {tail}",
        f"(pdf):0: error PB215: xelatex not found: install the Debian package texlive-xetex {tail}",
    ]
    assert not (book.root / "_build" / "pdf" / "en" / "pytorch" / "mini-book.pdf").exists()
