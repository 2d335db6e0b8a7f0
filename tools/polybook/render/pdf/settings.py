"""What the book's configuration says about its PDF, checked against this machine.

`_config/book.toml` has an optional `[pdf]` table (`config/pdf.py`). A
d2lbook book's `config.ini` has a `[pdf]` section whose keys are read here:
`main_font`, `sans_font`, `mono_font` and `latex_logo` are honoured when the
fonts and the file exist locally, `bibfile` names the bibliography, and the
settings that need the network or another LaTeX style (`latex_url`,
`style = cambridge`, `post_latex`) are reported, never downloaded or run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from polybook.config.ini import IniSyntaxError, parse_ini
from polybook.diagnostics import Code, Diagnostic
from polybook.render.pdf.project import Fonts
from polybook.source.book import Book
from polybook.source.contain import escape

LEGACY_FILE = "config.ini"
DEFAULT_FONTS = Fonts()
# Debian packages of the default fonts
FONT_PACKAGES = {
    DEFAULT_FONTS.main: "fonts-noto-core",
    DEFAULT_FONTS.sans: "fonts-noto-core",
    DEFAULT_FONTS.mono: "fonts-noto-mono",
}
_NOT_HONOURED = {
    "latex_url": "it downloads a LaTeX style at build time",
    "style": "the Cambridge style is downloaded from latex_url",
    "post_latex": "it edits the .tex for the Cambridge style",
}


@dataclass(frozen=True, slots=True)
class PdfSettings:
    name: str  # the PDF's file name, without .pdf
    fonts: Fonts
    logo: Path | None  # absolute
    bibliography: str  # relative to the book root
    diagnostics: tuple[Diagnostic, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class _Raw:
    """The settings as written, and where (file, line of each key)."""

    file: str
    values: dict[str, str]
    lines: dict[str, int]


def slug(title: str) -> str:
    """`Deep Learning, Four Ways` -> `deep-learning-four-ways`."""
    text = re.sub(r"[^\w]+", "-", title.lower(), flags=re.UNICODE).strip("-")
    return text or "book"


def installed_fonts() -> set[str]:
    """Every font family name fontconfig knows (empty without fc-list)."""
    if shutil.which("fc-list") is None:
        return set()
    run = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False)
    return {name.strip() for line in run.stdout.splitlines() for name in line.split(",")}


def _raw(book: Book) -> _Raw:
    pdf = book.config.pdf
    if not book.config.legacy_layout or not (book.root / LEGACY_FILE).is_file():
        values = {
            "name": pdf.name,
            "main_font": pdf.main_font,
            "sans_font": pdf.sans_font,
            "mono_font": pdf.mono_font,
            "latex_logo": pdf.logo,
        }
        return _Raw("_config/book.toml", {k: v for k, v in values.items() if v}, {})
    text = (book.root / LEGACY_FILE).read_text("utf-8", errors="replace")
    try:  # the configuration's own reader (keeps every key's line)
        sections = parse_ini(text)
    except IniSyntaxError:
        return _Raw(LEGACY_FILE, {}, {})
    section = sections.get("pdf", {})
    values = {key: value.text for key, value in section.items()}
    lines = {key: value.line for key, value in section.items()}
    name = sections.get("project", {}).get("name")
    if name is not None and name.text:
        values["name"] = name.text
    return _Raw(LEGACY_FILE, values, lines)


def pdf_settings(book: Book, fonts: Callable[[], set[str]] = installed_fonts) -> PdfSettings:
    """The PDF settings of the book; what cannot be honoured here is reported."""
    raw = _raw(book)
    notes: list[Diagnostic] = []

    def note(code: Code, key: str, message: str) -> None:
        notes.append(Diagnostic.make(code, raw.file, raw.lines.get(key, 0), message))

    available = fonts()
    chosen: dict[str, str] = {}
    for key, default in (
        ("main_font", DEFAULT_FONTS.main),
        ("sans_font", DEFAULT_FONTS.sans),
        ("mono_font", DEFAULT_FONTS.mono),
    ):
        wanted = raw.values.get(key, "")
        if wanted and wanted not in available:
            note(
                Code.PDF_SETTING,
                key,
                f"[pdf] {key} = {wanted}: the font is not installed; {default} is used "
                "(polybook downloads no fonts)",
            )
            wanted = ""
        chosen[key] = wanted or default
    for key, why in _NOT_HONOURED.items():
        value = raw.values.get(key, "")
        if value and not (key == "style" and value == "default"):
            note(Code.PDF_NOT_HONOURED, key, f"[pdf] {key} = {value} is not honoured: {why}")
    logo: Path | None = None
    if raw.values.get("latex_logo"):
        shown = raw.values["latex_logo"]
        candidate = book.root / shown
        outside = escape(book.root, book.root, shown)
        if outside is not None:
            message = f"logo {shown} is outside the book ({outside}); the title page has none"
            note(Code.PDF_SETTING, "latex_logo", message)
        elif candidate.is_file():
            logo = candidate
        else:
            note(Code.PDF_SETTING, "latex_logo", f"logo {shown} not found; the title page has none")
    bibliography = raw.values.get("bibfile") or book.config.bibliography
    return PdfSettings(
        name=slug(raw.values.get("name", "") or book.config.title),
        fonts=Fonts(chosen["main_font"], chosen["sans_font"], chosen["mono_font"]),
        logo=logo,
        bibliography=bibliography,
        diagnostics=tuple(notes),
    )
