"""The LaTeX log -> problems at generated-page positions (texlog.py)."""

from __future__ import annotations

from polybook.diagnostics import Code
from polybook.render.pdf.texlog import Issue, TexIndex, read_log

# a .tex as the PDF's translator writes it: a marker before each block; a
# paragraph's marker comes after `\sphinxAtStartPar`, its lines follow one for one
TEX = "\n".join(
    [
        r"\documentclass{sphinxmanual}",  # 1
        r"\begin{document}",  # 2
        "%pb:chap/first:10:1",  # 3
        r"\section{First}",  # 4
        r"\sphinxAtStartPar",  # 5
        "%pb:chap/first:12:3",  # 6
        r"One line \ref{a}",  # 7  -> line 12
        r"two \(\foo\) lines",  # 8  -> line 13
        r"three, with ấ",  # 9  -> line 14
        "",  # 10
        "%pb:chap/first:20:1",  # 11
        r"\begin{sphinxVerbatim}[commandchars=\\\{\}]",  # 12
        r"x = 'a very long line'",  # 13
        r"\end{sphinxVerbatim}",  # 14
        r"after the code ấ",  # 15
        r"\end{document}",  # 16
    ]
)


def test_a_tex_line_is_placed_at_its_block_and_paragraph_line() -> None:
    index = TexIndex(TEX)
    assert index.position(2) is None  # before any marker: the preamble
    assert index.position(4) == ("chap/first", 10)
    assert index.position(7) == ("chap/first", 12)
    assert index.position(8) == ("chap/first", 13)
    assert index.position(9) == ("chap/first", 14)
    assert index.position(10) == ("chap/first", 14)  # past the paragraph: its last line
    assert index.position(13) == ("chap/first", 20)
    assert index.in_code(13, 13) and not index.in_code(8, 9)
    assert index.first_use("ấ") == 9


def test_errors_missing_characters_references_and_overfull_code() -> None:
    log = "\n".join(
        [
            "This is XeTeX, Version 3.141592653-2.6-0.999994",
            "./book.tex:8: Undefined control sequence.",
            r"l.8 two \(\foo",
            r"                \) lines",
            "! Emergency stop.",
            "Missing character: There is no ấ (U+1EA5) in font NotoSansMono:mapping=tex-text;!",
            "Missing character: There is no ấ (U+1EA5) in font NotoSansMono:mapping=tex-text;!",
            "LaTeX Warning: Reference `chap/first:sec-x' on page 3 undefined on input line 7.",
            "LaTeX Warning: Citation `Nobody.2000' on page 3 undefined on input line 8.",
            r"Overfull \hbox (12.5pt too wide) in paragraph at lines 13--13",
            r"Overfull \hbox (3.0pt too wide) in paragraph at lines 7--9",
            r"Overfull \hbox (0.2pt too wide) in paragraph at lines 7--9",
            "./sphinx.sty:12: Undefined control sequence.",
        ]
    )
    issues = read_log(log, TEX, "book.tex")
    assert issues == [
        Issue(
            "PDF_LATEX_ERROR",
            r"LaTeX error: Undefined control sequence. (book.tex:8: two \(\foo)",
            "chap/first",
            13,
        ),
        Issue(
            "PDF_UNRESOLVED_REFERENCE",
            "LaTeX: undefined reference 'sec-x'",
            "chap/first",
            12,
            "sec-x",
        ),
        Issue(
            "PDF_UNRESOLVED_REFERENCE",
            "LaTeX: undefined citation 'Nobody.2000'",
            "chap/first",
            13,
            "Nobody.2000",
        ),
        Issue("PDF_OVERFULL_CODE", "a code line is 12.5pt wider than the page", "chap/first", 20),
        Issue("PDF_OVERFULL_TEXT", "a line is 3.0pt wider than the page", "chap/first", 12),
        Issue("PDF_LATEX_ERROR", "LaTeX error: Undefined control sequence. (./sphinx.sty:12)"),
        Issue(
            "PDF_MISSING_CHARACTER",
            "the font NotoSansMono has no 'ấ'; it is missing from the PDF (2 times)",
            "chap/first",
            14,
            "ấ",
        ),
    ]
    assert [i.kind for i in issues][:2] == [Code.PDF_LATEX_ERROR, Code.PDF_UNRESOLVED_REFERENCE]


def test_language_warnings_joined_and_vietnamese_patterns_not_reported() -> None:
    log = "\n".join(
        [
            "Package polyglossia Warning: No hyphenation patterns were loaded for `turkish'",
            "(polyglossia)" + " " * 16 + r"I will use \language=\l@nohyphenation instead "
            "on input line 5.",
            "Package polyglossia Warning: Neither file gloss-vietnam.ldf "
            "nor file gloss-vietnam.lde exists!",
            "(polyglossia)" + " " * 16 + "I will nevertheless try to use hyphenation patterns "
            "for vietnam.",
        ]
    )
    issues = read_log(log, TEX, "book.tex", package="texlive-lang-european")
    assert [(i.code, i.message) for i in issues] == [
        (
            "PDF_LANGUAGE",
            "polyglossia: No hyphenation patterns were loaded for `turkish' "
            r"I will use \language=\l@nohyphenation instead on input line 5. "
            "(the patterns are in the Debian package texlive-lang-european)",
        ),
        (
            "PDF_LANGUAGE",
            "polyglossia: Neither file gloss-vietnam.ldf nor file gloss-vietnam.lde exists! "
            "I will nevertheless try to use hyphenation patterns for vietnam.",
        ),
    ]
    # a language TeX has no patterns for: its (expected) warning is not a problem
    without = read_log(log, TEX, "book.tex", hyphenation=False)
    assert [i.message.split(":")[1].split()[0] for i in without] == ["Neither"]


def test_issues_survive_json() -> None:
    issue = Issue("PDF_MISSING_CHARACTER", "m", "a/b", 3, "ấ")
    assert Issue.from_json(issue.to_json()) == issue
    assert Issue.from_json(Issue("PDF_LATEX_ERROR", "m").to_json()) == Issue("PDF_LATEX_ERROR", "m")
