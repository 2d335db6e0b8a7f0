"""The book's PDF settings: `[pdf]` of book.toml, or of a d2lbook config.ini (settings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.config import ConfigError
from polybook.diagnostics import Diagnostic, Severity
from polybook.render.pdf.project import Fonts
from polybook.render.pdf.settings import pdf_settings, slug
from polybook.source.book import Book
from tests.render.conftest import copy_minibook

INSTALLED = {"Noto Serif", "Noto Sans", "Noto Sans Mono", "Source Sans Pro"}


def _fonts() -> set[str]:
    return INSTALLED


def test_defaults_of_a_book_without_pdf_settings(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    settings = pdf_settings(book, _fonts)
    assert settings.name == "mini-book"
    assert settings.fonts == Fonts("Noto Serif", "Noto Sans", "Noto Sans Mono")
    assert (settings.logo, settings.bibliography, settings.diagnostics) == (
        None,
        "references.bib",
        (),
    )


def test_book_toml_pdf_table(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    (book.root / "img" / "logo.png").write_bytes(b"\x89PNG")
    config = book.root / "_config" / "book.toml"
    config.write_text(
        config.read_text("utf-8")
        + '\n[pdf]\nname = "Mini Book, Second Edition"\nsans_font = "Source Sans Pro"\n'
        + 'main_font = "Palatino Nova"\nlogo = "img/logo.png"\n',
        "utf-8",
    )
    settings = pdf_settings(Book.open(book.root), _fonts)
    assert settings.name == "mini-book-second-edition"
    assert settings.fonts == Fonts("Noto Serif", "Source Sans Pro", "Noto Sans Mono")
    assert settings.logo == book.root / "img" / "logo.png"
    assert settings.diagnostics == (
        Diagnostic(
            "PB216",
            Severity.WARNING,
            "_config/book.toml",
            0,
            "[pdf] main_font = Palatino Nova: the font is not installed; Noto Serif is used "
            "(polybook downloads no fonts)",
        ),
    )


def test_an_unknown_pdf_key_is_a_configuration_error(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    config = book.root / "_config" / "book.toml"
    config.write_text(config.read_text("utf-8") + '\n[pdf]\nfont = "x"\n', "utf-8")
    with pytest.raises(ConfigError) as info:
        Book.open(book.root)
    assert (info.value.key, info.value.message) == ("pdf.font", "unknown key")


D2LBOOK_INI = """[project]
name = d2l-xx
title = A d2lbook book

[build]
tabs = mxnet, pytorch

[pdf]
main_font = Source Serif Pro
sans_font = Source Sans Pro
mono_font = Noto Sans Mono
latex_logo = static/logo.png
bibfile = d2l.bib
style = cambridge
latex_url = https://d2l.ai/style.zip
post_latex = ./static/post_latex/main.py
"""


def test_a_d2lbook_config_ini_pdf_section(tmp_path: Path) -> None:
    """Fonts that exist are used, the others reported; what needs the network
    or the Cambridge style is reported at its line, never fetched."""
    (tmp_path / "config.ini").write_text(D2LBOOK_INI, "utf-8")
    (tmp_path / "index.md").write_text("# A book\n", "utf-8")
    settings = pdf_settings(Book.open(tmp_path), _fonts)
    assert settings.name == "d2l-xx"
    assert settings.fonts == Fonts("Noto Serif", "Source Sans Pro", "Noto Sans Mono")
    assert settings.bibliography == "d2l.bib"
    assert settings.logo is None
    assert [(d.code, d.file, d.line, d.message) for d in settings.diagnostics] == [
        (
            "PB216",
            "config.ini",
            9,
            "[pdf] main_font = Source Serif Pro: the font is not installed; Noto Serif is used "
            "(polybook downloads no fonts)",
        ),
        (
            "PB217",
            "config.ini",
            15,
            "[pdf] latex_url = https://d2l.ai/style.zip is not honoured: "
            "it downloads a LaTeX style at build time",
        ),
        (
            "PB217",
            "config.ini",
            14,
            "[pdf] style = cambridge is not honoured: "
            "the Cambridge style is downloaded from latex_url",
        ),
        (
            "PB217",
            "config.ini",
            16,
            "[pdf] post_latex = ./static/post_latex/main.py is not honoured: "
            "it edits the .tex for the Cambridge style",
        ),
        ("PB216", "config.ini", 12, "logo static/logo.png not found; the title page has none"),
    ]


def test_slug() -> None:
    assert slug("Deep Learning, Four Ways") == "deep-learning-four-ways"
    assert slug("Học sâu, bốn cách") == "học-sâu-bốn-cách"
    assert slug("!!!") == "book"
