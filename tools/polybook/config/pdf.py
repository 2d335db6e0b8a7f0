"""The `[pdf]` table of `_config/book.toml`: the PDF's file name, fonts and logo."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PdfConfig(BaseModel):
    """Settings of `polybook build pdf`; every key is optional.

    Fonts are names of installed font families (fontconfig's, as `fc-list`
    shows them); a font that is not installed is reported and the default is
    used: polybook downloads nothing.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # the PDF's file name without `.pdf` (default: the book's title, as a slug)
    name: str = ""
    main_font: str = ""  # default Noto Serif
    sans_font: str = ""  # default Noto Sans
    mono_font: str = ""  # default Noto Sans Mono
    # an image on the title page, relative to the book root
    logo: str = ""
