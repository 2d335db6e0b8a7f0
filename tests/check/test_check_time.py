"""`check` finds at check time what render would fail on later (issue 12):
a bibliography that cannot be read or that BibTeX rejects (at the file and
line of the bad entry), missing images, empty pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from polybook.check.run import check_book
from polybook.cli import main
from polybook.diagnostics import Code, Diagnostic
from polybook.source.book import Book

FAULTBOOK = Path(__file__).resolve().parents[1] / "fixtures" / "faultbook"
BIB = "references.bib"

GOOD_ENTRY = "@article{Good.2020,\n  title = {Good},\n  year = {2020}\n}\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    book = tmp_path / "faultbook"
    shutil.copytree(FAULTBOOK, book)
    return book


def _only(diagnostics: list[Diagnostic], *codes: Code) -> list[tuple[str, str, int]]:
    wanted = {c.id for c in codes}
    return [(d.code, d.file, d.line) for d in diagnostics if d.code in wanted]


def _bib_problems(root: Path, text: str | bytes) -> list[Diagnostic]:
    path = root / BIB
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    found = check_book(Book.open(root), "en")
    return [d for d in found if d.code in (Code.BIB_MALFORMED.id, Code.BIB_UNREADABLE.id)]


def test_an_unclosed_brace_is_reported_at_its_entry(root: Path) -> None:
    # the title's brace is never closed: BibTeX reads on and stops at the next
    # entry's `@` (line 7); the damage is in the entry of line 1
    text = (
        "@article{LeCun.Bottou.Bengio.ea.1998,\n"
        "  title = {Gradient-based learning,\n"
        "  author = {LeCun, Yann},\n"
        "  year = {1998}\n"
        "}\n"
        "\n" + GOOD_ENTRY
    )
    (problem,) = _bib_problems(root, text)
    assert (problem.code, problem.file, problem.line) == (Code.BIB_MALFORMED.id, BIB, 1)
    assert problem.message.startswith("entry 'LeCun.Bottou.Bengio.ea.1998' is malformed")
    assert "syntax error in line 7" in problem.message


def test_a_bad_field_is_reported_at_its_entry(root: Path) -> None:
    bad = "@article{Bad.2021,\n  title = {Bad},\n  year = 20 21\n}\n"
    (problem,) = _bib_problems(root, GOOD_ENTRY + "\n% a comment\n" + bad)
    assert (problem.file, problem.line) == (BIB, 7)
    assert "entry 'Bad.2021' is malformed" in problem.message


def test_a_truncated_file_is_reported_at_its_last_entry(root: Path) -> None:
    (problem,) = _bib_problems(root, GOOD_ENTRY + "@book{Cut.2022,\n  title = {Cut")
    assert (problem.code, problem.file, problem.line) == (Code.BIB_MALFORMED.id, BIB, 5)
    assert "premature end of file" in problem.message


def test_a_repeated_key_is_reported_at_the_repetition(root: Path) -> None:
    (problem,) = _bib_problems(root, GOOD_ENTRY + "\n" + GOOD_ENTRY)
    assert (problem.code, problem.file, problem.line) == (Code.BIB_MALFORMED.id, BIB, 6)
    assert "Good.2020" in problem.message and "first at line 1" in problem.message


def test_a_bibliography_that_is_not_utf8_cannot_be_read(root: Path) -> None:
    (problem,) = _bib_problems(root, GOOD_ENTRY.encode() + b"@misc{X, note = {\xff\xfe}}\n")
    config = (root / "_config" / "book.toml").read_text("utf-8").split("\n")
    line = config.index('bibliography = "references.bib"') + 1
    assert (problem.code, problem.file, problem.line) == (
        Code.BIB_UNREADABLE.id,
        "_config/book.toml",
        line,
    )
    assert "cannot be read" in problem.message


def test_a_well_formed_bibliography_is_quiet(root: Path) -> None:
    assert _bib_problems(root, (root / BIB).read_text("utf-8")) == []


def test_build_html_names_the_bad_entry_and_builds_the_site(
    root: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (root / BIB).write_text("@article{Broken.2020,\n  title = {Broken\n", "utf-8")
    code = main(["--book", str(root), "build", "html", "--framework", "pytorch"])
    out, err = capfd.readouterr()
    assert code == 1
    assert f"{BIB}:1: error PB154: entry 'Broken.2020' is malformed" in out + err
    assert "threw an exception" not in out + err
    assert (root / "_build" / "html" / "en" / "pytorch" / "chap" / "faults.html").is_file()


def test_a_missing_image_is_reported_by_check(root: Path) -> None:
    page = root / "chapters" / "en" / "chap" / "faults.md"
    page.write_text(page.read_text("utf-8") + "\n![gone](../../../img/gone.png)\n", "utf-8")
    line = len(page.read_text("utf-8").split("\n")) - 1
    found = _only(check_book(Book.open(root), "en"), Code.MISSING_IMAGE)
    assert found == [
        (Code.MISSING_IMAGE.id, "chapters/en/chap/faults.md", 69),
        (Code.MISSING_IMAGE.id, "chapters/en/chap/faults.md", line),
    ]


@pytest.mark.parametrize("text", ["", "\n", "  \n\t\n\n", "\ufeff\n"])
def test_an_empty_page_is_reported(root: Path, text: str) -> None:
    page = root / "chapters" / "en" / "chap" / "empty.md"
    page.write_text(text, "utf-8")
    found = check_book(Book.open(root), "en")
    empty = [d for d in found if d.code == Code.EMPTY_PAGE.id]
    assert [(d.file, d.line, d.severity.value) for d in empty] == [
        ("chapters/en/chap/empty.md", 1, "warning")
    ]


def test_a_page_with_a_title_only_is_not_empty(root: Path) -> None:
    (root / "chapters" / "en" / "chap" / "short.md").write_text("# Short\n", "utf-8")
    found = check_book(Book.open(root), "en")
    assert _only(found, Code.EMPTY_PAGE) == []
