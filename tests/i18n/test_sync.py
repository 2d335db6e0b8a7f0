"""`polybook i18n sync-code`: the source's code, prose byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.cli import main
from polybook.i18n.books import Translation, translations
from polybook.i18n.code import CodeComparison
from polybook.i18n.merge import merge_code
from polybook.i18n.sync import sync_page
from polybook.source.book import Book
from polybook.source.parser import parse_page

FR_CODE = "chapters/fr/chapter_a/code.md"


def _fr(root: Path, lang: str = "fr") -> Translation:
    return translations(Book.open(root), lang, None)[0]


def _non_code_lines(data: bytes, known: tuple[str, ...]) -> list[bytes]:
    """Every line outside the code cells, as bytes (the header cell included)."""
    page = parse_page(data, lang="x", path="p.md", file="p.md", known=known)
    inside = {n for c in page.code_cells for n in range(c.line, c.end_line + 1)}
    return [line for n, line in enumerate(data.split(b"\n"), 1) if n not in inside]


def test_dry_run_prints_the_diff_and_writes_nothing(
    i18nbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (i18nbook / FR_CODE).read_bytes()
    assert main(["--book", str(i18nbook), "i18n", "sync-code", "--lang", "fr"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"--- a/{FR_CODE}\n+++ b/{FR_CODE}\n@@ -26,8 +26,8 @@\n \n"
        " ```{.python .input}\n %%tab all\n"
        "-# mettre à l'échelle et décaler\n-y = x * 2\n"
        "+# scale and shift\n+y = x * 2 + 1\n"
        " z = y - 1\n # afficher le résultat\n print(y, z)\n"
    )
    assert "sync-code fr: 1 of 5 pages to change (dry run: --write applies)" in captured.err
    assert (i18nbook / FR_CODE).read_bytes() == before


def test_write_fixes_the_code_and_keeps_every_prose_line(i18nbook: Path) -> None:
    path = i18nbook / FR_CODE
    before = path.read_bytes()
    assert main(["--book", str(i18nbook), "i18n", "sync-code", "--lang", "fr", "--write"]) == 0
    after = path.read_bytes()
    known = ("pytorch", "mxnet")
    assert _non_code_lines(after, known) == _non_code_lines(before, known)
    # the code is now the English code in every framework
    translation = _fr(i18nbook)
    page = translation.target.read("chapter_a/code.md")
    origin = translation.origin.read("chapter_a/code.md")
    findings = CodeComparison(page, origin, known, known).run()
    assert [d.code for d in findings] == ["PB307"]  # the translated literal stays
    # the translated comments around unchanged code are kept
    assert "# afficher le résultat\nprint(y, z)" in after.decode()
    assert "total = y.sum()  # la somme\nprint('le total est', total)" in after.decode()
    # a second run has nothing to do
    assert not sync_page(translation, "chapter_a/code.md").changed


def test_labels_restores_the_dropped_label(i18nbook: Path) -> None:
    result = sync_page(_fr(i18nbook), "chapter_a/labels.md", labels=True)
    added = [line for line in result.after.lines if line not in result.before.lines]
    assert added == [":label:`fig_dot`"]
    assert result.after.lines.index(":label:`fig_dot`") == 7  # right after the image (line 7)
    assert not result.diagnostics
    # without --labels the page is left alone
    assert not sync_page(_fr(i18nbook), "chapter_a/labels.md").changed


def test_legacy_translation_gets_a_cell_in_its_own_syntax(i18nbook: Path) -> None:
    """An English cell the legacy vi page lacks is inserted after the cell
    before it, with a `#@tab` marker naming its frameworks."""
    en = i18nbook / "chapters" / "en" / "chapter_a" / "code.md"
    text = en.read_text(encoding="utf-8").replace(
        "x = torch.ones(3)\n```\n",
        "x = torch.ones(3)\n```\n\n```{.python .input}\n%%tab pytorch\nprint(x.shape)\n```\n",
    )
    en.write_text(text, encoding="utf-8")
    vi = i18nbook / "chapters" / "vi" / "chapter_a" / "code.md"
    before = vi.read_bytes()
    result = sync_page(_fr(i18nbook, "vi"), "chapter_a/code.md")
    assert not result.diagnostics
    inserted = list(result.after.lines[15:21])
    assert inserted == ["```", "", "```{.python .input}", "#@tab pytorch", "print(x.shape)", "```"]
    known = ("mxnet", "pytorch")
    assert [ln for ln in _non_code_lines(result.after.data(), known) if ln] == [
        ln for ln in _non_code_lines(before, known) if ln
    ]


def test_removed_cell_and_ambiguous_pairing(i18nbook: Path) -> None:
    fr = i18nbook / FR_CODE
    text = fr.read_text(encoding="utf-8")
    extra = "```{.python .input}\n%%tab mxnet\nprint(x)\n```\n\n"
    fr.write_text(text.replace("Nous multiplions", extra + "Nous multiplions"), encoding="utf-8")
    result = sync_page(_fr(i18nbook), "chapter_a/code.md")
    assert "print(x)" not in result.after.text()
    # two English cells of the same frameworks, equally like the translated one
    en = i18nbook / "chapters" / "en" / "chapter_a" / "code.md"
    text = en.read_text(encoding="utf-8")
    second = (
        "\n```{.python .input}\n%%tab all\n# scale and shift\ny = x * 2 + 1\nz = y - 3\n"
        "# show the result\nprint(y, z)\n```\n"
    )
    text = text.replace("z = y - 1\n", "z = y - 2\n")
    text = text.replace("print(y, z)\n```\n", "print(y, z)\n```\n" + second)
    en.write_text(text, encoding="utf-8")
    result = sync_page(_fr(i18nbook), "chapter_a/code.md")
    assert not result.changed
    (d,) = [d for d in result.diagnostics if d.code == "PB310"]
    assert d.line == 32
    assert "chapters/en/chapter_a/code.md:27" in d.message
    assert "chapters/en/chapter_a/code.md:36" in d.message


def test_cli_exit_1_on_ambiguity_and_unknown_page(
    i18nbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--book", str(i18nbook), "i18n", "sync-code", "--lang", "fr", "chapter_a/nope.md"]
    assert main(argv) == 1
    assert "chapter_a/nope.md:1: error PB309: no page of fr matches" in capsys.readouterr().err
    assert main(["--book", str(i18nbook), "i18n", "sync-code"]) == 2


def test_d2lbook_translation_written_with_its_origin(d2lbook_pair: tuple[Path, Path]) -> None:
    target, origin = d2lbook_pair
    argv = ["--book", str(target), "i18n", "sync-code", "--origin", str(origin)]
    assert main([*argv, "--labels", "--write", "chapter_intro/basics.md"]) == 0
    text = (target / "chapter_intro" / "basics.md").read_text(encoding="utf-8")
    assert "x = np.ones(3)\n" in text
    assert "![Un point.](../img/dot.svg)\n:label:`fig_dot`\n" in text
    status = translations(Book.open(target), None, origin)[0]
    page = status.target.read("chapter_intro/basics.md")
    assert not sync_page(status, "chapter_intro/basics.md", labels=True).changed
    assert page.labels[-1].name == "fig_dot"


@pytest.mark.parametrize(
    ("translated", "origin", "expected"),
    [
        # unchanged code: everything the translator wrote stays
        (
            "# un\nx = 1  # deux\ny = 'titre'\n",
            "# one\nx = 1  # two\ny = 'title'\n",
            "# un\nx = 1  # deux\ny = 'titre'\n",
        ),
        # a changed line takes the source's comment before it
        ("# un\nx = 1\n", "# one\nx = 2\n", "# one\nx = 2\n"),
        # a comment between two unchanged lines stays
        (
            "x = 0\n# un\ny = 1\nz = 1\n",
            "x = 9\n# one\ny = 1\nz = 2\n",
            "x = 9\n# one\ny = 1\nz = 2\n",
        ),
        (
            "a = 0\nb = 1\n# un\nc = 2\nd = 5\n",
            "a = 0\nb = 1\n# one\nc = 2\nd = 6\n",
            "a = 0\nb = 1\n# un\nc = 2\nd = 6\n",
        ),
        # lines the source added
        ("x = 1\n", "x = 1\ny = 2\n", "x = 1\ny = 2\n"),
    ],
)
def test_merge_code(translated: str, origin: str, expected: str) -> None:
    assert merge_code(translated.rstrip("\n"), origin.rstrip("\n")) == expected.rstrip("\n")


def test_a_page_the_source_lacks_is_named(
    i18nbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = i18nbook / "chapters" / "fr" / "chapter_a" / "extra.md"
    extra.write_text("# En plus\n\nUne page que la source n'a pas.\n", encoding="utf-8")
    argv = ["--book", str(i18nbook), "i18n", "sync-code", "--lang", "fr", "chapter_a/extra.md"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "chapters/fr/chapter_a/extra.md:1: warning PB313: no en page chapter_a/extra.md" in err
    assert "sync-code fr: 0 of 0 pages" in err
