"""The PDF's Sphinx project: the HTML site's conf.py plus the LaTeX settings.

The pages, MyST, myst-nb, numbering and citation settings are the HTML site's
(`render.project.conf_py`), so the PDF is the same conversion; what is added
here is LaTeX: xelatex, polyglossia's language, fonts, the book's structure
macros, code cell styles and the title page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from polybook.render.pdf.languages import Gloss
from polybook.render.project import SiteSpec
from polybook.render.project import conf_py as site_conf_py

EXTENSION = "polybook.render.pdf.sphinx_latex"
ROOT_DOC = "index"


@dataclass(frozen=True, slots=True)
class Fonts:
    """fontspec names of the three font families (installed fonts)."""

    main: str = "Noto Serif"
    sans: str = "Noto Sans"
    mono: str = "Noto Sans Mono"

    @property
    def families(self) -> list[str]:
        return [self.main, self.sans, self.mono]


@dataclass(frozen=True, slots=True)
class PdfSpec:
    site: SiteSpec
    name: str  # the file name of the PDF and .tex, without suffix
    gloss: Gloss | None
    fonts: Fonts
    logo: str | None  # the title page's image, relative to the source tree
    date: str  # the title page's date ("" none)
    # pages whose text is in another language (untranslated): page -> its language
    page_languages: dict[str, Gloss] = field(default_factory=dict)
    back_matter: tuple[str, ...] = ()  # pages after the last chapter (a reference list)


def _tex_escape(text: str) -> str:
    out = []
    for char in text:
        if char in "&%$#_{}":
            out.append("\\" + char)
        elif char == "~":
            out.append("\\textasciitilde{}")
        elif char == "^":
            out.append("\\textasciicircum{}")
        elif char == "\\":
            out.append("\\textbackslash{}")
        else:
            out.append(char)
    return "".join(out)


def _font(command: str, name: str, options: str = "") -> str:
    return f"\\{command}{{{name}}}" + (f"[{options}]" if options else "")


# Code: spaces are real space glyphs, so that copying code from the PDF keeps
# its indentation (Sphinx typesets them as kerns); a long line breaks with a
# visible space and a continuation arrow, which copy as a space and nothing.
_PREAMBLE = r"""
%% polybook: the book's structure, code cells, copyable code, words
\usepackage[dvipdfm]{accsupp}
\newfontface\pbsymbolfont{lmmono10-regular.otf}
\newcommand\pbvisiblespace{\BeginAccSupp{method=plain,ActualText={ }}%
  \textcolor{red}{\pbsymbolfont\char9251}\EndAccSupp{}}
\newcommand\pbcontinued{\BeginAccSupp{method=plain,ActualText={}}%
  \makebox[2\fontcharwd\font`\x]{\textcolor{red}{\tiny$\hookrightarrow$}}\EndAccSupp{}}
\sphinxsetup{verbatimvisiblespace=\pbvisiblespace, verbatimcontinued=\pbcontinued}
\makeatletter
\def\spx@verbatim@space{\nobreak\hskip\z@skip
  \discretionary{\copy\sphinxvisiblespacebox}{\sphinxafterbreak}{\char32 }}
\newcommand\pbfrontmatter{\ifdefined\pb@secnumdepth\else
  \xdef\pb@secnumdepth{\the\c@secnumdepth}\fi\setcounter{secnumdepth}{-1}}
\newcommand\pbmainmatter{\ifdefined\pb@secnumdepth
  \setcounter{secnumdepth}{\pb@secnumdepth}\fi}
\let\pbbackmatter\pbfrontmatter
\makeatother
\newenvironment{sphinxclasscell_input}{\sphinxsetup{%
  pre_background-TeXcolor={RGB}{241,245,250}, pre_border-TeXcolor={RGB}{196,207,222}}}{}
\newenvironment{sphinxclasscell_output}{\sphinxsetup{%
  pre_background-TeXcolor={RGB}{255,255,255}, pre_border-TeXcolor={RGB}{214,214,214},
  pre_border-width=0pt, pre_border-left-width=1.5pt}}{}
\setlength{\headheight}{14pt}
\tracinglostchars=2
"""


def _words(gloss: Gloss) -> str:
    return (
        f"\\renewcommand{{\\literalblockcontinuedname}}{{{_tex_escape(gloss.continued)}}}\n"
        f"\\renewcommand{{\\literalblockcontinuesname}}{{{_tex_escape(gloss.continues)}}}\n"
        f"\\def\\pageautorefname{{{_tex_escape(gloss.page)}}}\n"
    )


def latex_settings(spec: PdfSpec) -> dict[str, Any]:
    """The LaTeX configuration values of the PDF's conf.py."""
    fonts = spec.fonts
    fontpkg = "\n".join(
        [
            _font("setmainfont", fonts.main),
            _font("setsansfont", fonts.sans),
            _font("setmonofont", fonts.mono, "Scale=MatchLowercase, AutoFakeSlant=0.2"),
        ]
    )
    preamble = _PREAMBLE + (_words(spec.gloss) if spec.gloss is not None else "")
    others = sorted({gloss.name: gloss for gloss in spec.page_languages.values()}.items())
    languages: dict[str, str] = {}
    if spec.gloss is not None and spec.gloss.babel:
        names = [name for name, _ in others if name != spec.gloss.name]
        main = ",".join([*names, f"main={spec.gloss.name}"])
        languages = {"polyglossia": "", "babel": f"\\usepackage[{main}]{{babel}}"}
    elif spec.gloss is not None:
        languages = {"polyglossia": "\\usepackage{polyglossia}", "babel": ""}
        for name, gloss in others:
            options = f"[{gloss.options}]" if gloss.options else ""
            preamble += f"\\setotherlanguage{options}{{{name}}}\n"
    elements: dict[str, Any] = {
        **languages,
        "papersize": "a4paper",
        "pointsize": "11pt",
        "fontpkg": fontpkg,
        "sphinxsetup": "verbatimforcewraps=true, pre_border-radius=2pt",
        "preamble": preamble,
        "cmappkg": "",  # pdfTeX only
        "makeindex": "",
        "printindex": "",
    }
    if spec.gloss is not None:
        elements["releasename"] = _tex_escape(spec.gloss.release)
    site = spec.site
    return {
        "latex_engine": "xelatex",
        # the title page's date: none unless SOURCE_DATE_EPOCH gives one (a space:
        # Sphinx would print today's date, and the .tex would change every day)
        "today": spec.date or " ",
        "latex_documents": [
            (
                ROOT_DOC,
                f"{spec.name}.tex",
                _tex_escape(site.title),
                _tex_escape(site.author),
                "manual",
            )
        ],
        "latex_elements": elements,
        "latex_logo": spec.logo,
        "latex_domain_indices": False,
        "latex_show_urls": "footnote",
        "latex_show_pagerefs": False,
        "polybook_page_languages": {
            page: gloss.name for page, gloss in sorted(spec.page_languages.items())
        },
        "polybook_back_matter": list(spec.back_matter),
    }


def conf_py(spec: PdfSpec) -> str:
    """The site's conf.py, then the PDF's LaTeX settings and extension."""
    lines = [site_conf_py(spec.site), "# The PDF (polybook build pdf)."]
    lines += [f"{name} = {value!r}" for name, value in latex_settings(spec).items()]
    lines.append(f"extensions = [*extensions, {EXTENSION!r}]")
    return "\n".join(lines) + "\n"
