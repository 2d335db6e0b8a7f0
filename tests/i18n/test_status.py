"""`polybook i18n status`: each kind of drift reported at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.i18n.books import translations
from polybook.i18n.status import LanguageStatus, PageState, language_status
from polybook.source.book import Book
from tests.conftest import REPO


def _status(
    root: Path, lang: str | None = None, origin: Path | None = None
) -> list[LanguageStatus]:
    return [language_status(t) for t in translations(Book.open(root), lang, origin)]


def _findings(status: LanguageStatus) -> list[tuple[str, int, str]]:
    return [(d.file, d.line, d.code) for p in status.pages for d in p.findings]


def test_each_drift_of_the_french_fixture_at_its_line(i18nbook: Path) -> None:
    (fr,) = _status(i18nbook, "fr")
    states = {p.page: p.state for p in fr.pages}
    assert states == {
        "chapter_a/code.md": PageState.STALE,
        "chapter_a/gone.md": PageState.MISSING,
        "chapter_a/half.md": PageState.PARTIAL,
        "chapter_a/index.md": PageState.CURRENT,
        "chapter_a/labels.md": PageState.STALE,
        "index.md": PageState.CURRENT,
    }
    assert _findings(fr) == [
        # the old code cell: its changed line, in both frameworks (an `all` cell)
        ("chapters/fr/chapter_a/code.md", 30, "PB302"),
        # a translated text literal in unchanged code: information only
        ("chapters/fr/chapter_a/code.md", 42, "PB307"),
        ("chapters/en/chapter_a/gone.md", 1, "PB300"),
        # English resumes with the third paragraph
        ("chapters/fr/chapter_a/half.md", 12, "PB301"),
        # the figure that lost its label
        ("chapters/fr/chapter_a/labels.md", 7, "PB305"),
    ]
    messages = {d.code: d.message for p in fr.pages for d in p.findings}
    assert messages["PB302"] == (
        "code differs from chapters/en/chapter_a/code.md:30: 'y = x * 2' here, "
        "'y = x * 2 + 1' there (every framework)"
    )
    assert messages["PB301"] == "2 paragraphs in en, not fr (lines 12-16)"
    assert "'fig_dot' (chapters/en/chapter_a/labels.md:7)" in messages["PB305"]
    assert fr.state is PageState.STALE
    assert (fr.current, len(fr.pages)) == (2, 6)
    assert fr.paragraphs == (9, 12)  # gone.md's paragraph and half.md's two count as untranslated


def test_a_legacy_translation_compares_with_a_new_syntax_source(i18nbook: Path) -> None:
    """vi: `#@tab`, unmarked cells in the mxnet default; the same code as the
    English `%%tab` page after the split, so the page is current."""
    (vi,) = _status(i18nbook, "vi")
    code = next(p for p in vi.pages if p.page == "chapter_a/code.md")
    assert code.state is PageState.CURRENT
    assert [(d.line, d.code) for d in code.findings] == [(36, "PB307")]
    assert vi.state is PageState.PARTIAL  # three pages missing, nothing stale


def test_code_cells_missing_and_extra_and_structure(i18nbook: Path) -> None:
    en = i18nbook / "chapters" / "en" / "chapter_a" / "code.md"
    text = en.read_text(encoding="utf-8")
    text += "\n## More\n\nA new section of the source.\n\n"
    text += "```{.python .input}\n%%tab pytorch\nw = x + 1\n```\n"
    en.write_text(text, encoding="utf-8")
    fr = i18nbook / "chapters" / "fr" / "chapter_a" / "code.md"
    lines = fr.read_text(encoding="utf-8").split("\n")
    lines[17:17] = ["```{.python .input}", "%%tab mxnet", "print(x)", "```", ""]
    fr.write_text("\n".join(lines), encoding="utf-8")
    (status,) = _status(i18nbook, "fr")
    page = next(p for p in status.pages if p.page == "chapter_a/code.md")
    found = [(d.line, d.code, d.message) for d in page.findings]
    assert [(line, code) for line, code, _ in found] == [
        (6, "PB306"),
        (18, "PB304"),
        (35, "PB302"),
        (47, "PB307"),
        (48, "PB303"),
    ]
    assert found[0][2] == (
        "1 section here, 2 sections in chapters/en/chapter_a/code.md; the first without "
        "a counterpart: chapters/en/chapter_a/code.md:45"
    )
    assert found[1][2].endswith("no counterpart of 'print(x)' (mxnet)")
    assert found[4][2] == (
        "the code cell at chapters/en/chapter_a/code.md:49 is missing here (pytorch)"
    )


def test_the_book_in_chapters_fr_partial_the_others_current() -> None:
    statuses = {s.lang: s for s in _status(REPO)}
    assert {lang: s.state for lang, s in statuses.items()} == {
        "id": PageState.CURRENT,
        "fr": PageState.PARTIAL,
        "vi": PageState.CURRENT,
        "tr": PageState.CURRENT,
    }
    fr = statuses["fr"]
    missing = sorted(p.page for p in fr.pages if p.state is PageState.MISSING)
    assert missing == [
        "chapter_cnn/lenet.md",
        "chapter_linear-regression/linear-regression-concise.md",
        "chapter_linear-regression/linear-regression-scratch.md",
        "chapter_linear-regression/oo-design.md",
        "chapter_linear-regression/synthetic-data.md",
    ]
    (half,) = [p for p in fr.pages if p.state is PageState.PARTIAL]
    assert half.page == "chapter_preliminaries/autograd.md"
    assert [(d.line, d.code) for d in half.findings] == [(140, "PB301")]


def test_json_for_ci(i18nbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--book", str(i18nbook), "i18n", "status", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    fr, vi = data["languages"]
    assert (fr["lang"], fr["state"], fr["pages_current"], fr["pages"]) == ("fr", "stale", 2, 6)
    assert fr["pages_current_percent"] == 33.3
    assert fr["paragraphs_translated_percent"] == 75.0
    half = next(p for p in fr["page_status"] if p["page"] == "chapter_a/half.md")
    assert half["findings"][0]["line"] == 12
    assert vi["state"] == "partial"
    assert main(["--book", str(i18nbook), "i18n", "status", "--strict"]) == 1


def test_table_output(i18nbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--book", str(i18nbook), "i18n", "status", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "fr: stale: 2 of 6 pages current (33%), 9 of 12 paragraphs translated (75%)\n"
    )
    assert "│chapter_a/half.md   │ partial │          2/4 │" in out
    assert (
        "chapters/fr/chapter_a/half.md:12: warning PB301: 2 paragraphs in en, not fr "
        "(lines 12-16)\n" in out
    )


def test_a_d2lbook_translation_with_its_origin(d2lbook_pair: tuple[Path, Path]) -> None:
    target, origin = d2lbook_pair
    (fr,) = _status(target, None, origin)
    assert (fr.lang, fr.origin) == ("fr", "en")
    assert _findings(fr) == [
        ("chapter_intro/basics.md", 8, "PB305"),
        ("chapter_intro/basics.md", 23, "PB302"),
        ("../d2lbookbook/chapter_intro/notes.md", 1, "PB300"),
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lang", "en"], "--lang en is the source language"),
        (["--lang", "de"], "unknown language 'de'"),
    ],
)
def test_setup_errors_exit_2(
    i18nbook: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["--book", str(i18nbook), "i18n", "status", *argv]) == 2
    assert message in capsys.readouterr().err
