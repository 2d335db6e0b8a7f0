"""The LaTeX side of a book language: polyglossia's (or babel's) name for it, and the words
Sphinx's LaTeX templates print that Sphinx does not translate for every language.

docutils names languages for babel (`vi` -> `vietnam`, `id` -> `bahasai`);
polyglossia knows `vietnamese` and `malay` with the `indonesian` variant, and
a name it does not know silently leaves the book without localized captions
("Figure", "Contents") and without hyphenation. A language missing here falls
back to docutils' name, and the LaTeX log tells (PB211).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Gloss:
    """How polyglossia is told the language, and the words of the title page and
    of code blocks split across pages."""

    name: str  # polyglossia's language: \setmainlanguage[options]{name}
    options: str  # e.g. "variant=indonesian"
    release: str  # "Release 0.1.0" on the title page
    continued: str  # a code block's top line after a page break
    continues: str  # its bottom line before one
    page: str  # "page 12" in references
    hyphenation: bool = True  # TeX Live has patterns for it
    package: str = "texlive-lang-european"  # the Debian package with its patterns
    # babel instead of polyglossia: Sphinx's choice for French (babel-french
    # leaves code alone; polyglossia spaces out `:` and `;` in it)
    babel: bool = False


GLOSSES: dict[str, Gloss] = {
    "en": Gloss(
        "english",
        "",
        "Release",
        "continued from previous page",
        "continues on next page",
        "page",
        package="texlive-base",
    ),
    "id": Gloss(
        "malay",
        "variant=indonesian",
        "Rilis",
        "lanjutan dari halaman sebelumnya",
        "berlanjut ke halaman berikutnya",
        "halaman",
        package="texlive-lang-other",
    ),
    "fr": Gloss(
        "french",
        "",
        "Version",
        "suite de la page précédente",
        "suite sur la page suivante",
        "page",
        package="texlive-lang-french",
        babel=True,
    ),
    "vi": Gloss(
        "vietnamese",
        "",
        "Phiên bản",
        "tiếp theo từ trang trước",
        "còn tiếp ở trang sau",
        "trang",
        hyphenation=False,  # TeX has no Vietnamese hyphenation patterns
        package="texlive-lang-other",
    ),
    "tr": Gloss(
        "turkish",
        "",
        "Sürüm",
        "önceki sayfadan devam",
        "sonraki sayfaya devam",
        "sayfa",
        package="texlive-lang-european",
    ),
}


def gloss_for(lang: str) -> Gloss | None:
    """The gloss of a book language (`pt_BR` -> `pt`); None when polybook has none."""
    return GLOSSES.get(lang) or GLOSSES.get(lang.split("_")[0].split("-")[0])
