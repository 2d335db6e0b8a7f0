"""`polybook check`: diagnostics across the book, and the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polybook.check.run import check_book
from polybook.cli import main
from polybook.diagnostics import Severity
from polybook.source.book import Book
from tests.conftest import FIXTURES, seed_path


def _errors(diagnostics: list) -> list:  # type: ignore[type-arg]
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def test_seed_003_mojibake_is_reported_at_its_line(seed_book: Book) -> None:
    found = [d for d in check_book(seed_book, "id") if d.code == "PB101"]
    assert [(d.file, d.line, d.severity) for d in found] == [
        ("chapters/id/chapter_cnn/alexnet.md", 173, Severity.WARNING)
    ]


@pytest.mark.parametrize("lang", ["id", "vi", "tr", "en"])
def test_seed_errors_are_only_dangling_references(seed_book: Book, lang: str) -> None:
    """Errors on the seeds are references to labels of pages outside the test book."""
    diagnostics = check_book(seed_book, lang)
    errors = _errors(diagnostics)
    assert {d.code for d in errors} <= {"PB151"}
    outside = {
        "sec_softmax_scratch",
        "sec_mlp-implementation",
        "sec_mlp_scratch",
        "subsec_xavier",
        "sec_resnet",
        "sec_alexnet",
        "subsec_activation-functions",
        "sec_dropout",
        "sec_multi_gpu",
        "sec_use_gpu",
        "sec_mlp",
        "sec_linear_concise",
        "sec_softmax_concise",
        "sec_linear_scratch",
        "sec_fashion_mnist",
        "sec_xavier",
    }
    assert {d.target for d in errors} <= outside
    assert all(d.target for d in errors)


def test_seed_000_exact_dangling_references(seed_book: Book) -> None:
    lenet = [d for d in check_book(seed_book, "id") if d.file.endswith("lenet.md")]
    assert [(d.code, d.line, d.target) for d in lenet] == [
        ("PB151", 12, "sec_softmax_scratch"),
        ("PB151", 13, "sec_mlp-implementation"),
        ("PB151", 120, "subsec_xavier"),
        ("PB151", 325, "sec_mlp-implementation"),
        ("PB151", 325, "sec_resnet"),
    ]


def _book(tmp_path: Path, pages: dict[str, str], bib: str = "") -> Book:
    root = tmp_path / "book"
    (root / "_config").mkdir(parents=True)
    config = (FIXTURES / "seedbook" / "_config" / "book.toml").read_text(encoding="utf-8")
    (root / "_config" / "book.toml").write_text(config, encoding="utf-8")
    (root / "references.bib").write_text(bib, encoding="utf-8")
    for rel, text in pages.items():
        path = root / "chapters" / "en" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Book.open(root)


def test_book_level_diagnostics(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "index.md": "# Book\n\n```toc\n:maxdepth: 2\n\nch/a\nch/missing.md\n```\n",
            "ch/a.md": (
                "# A\n:label:`sec_a`\n\nSee :numref:`sec_b` and :eqref:`eq_none`.\n"
                "Cited :cite:`Known.2000,Unknown.2001` and :citet:`Known.2000`.\n"
            ),
            "ch/b.md": "# B\n:label:`sec_a`\n\n## Sub\n:label:`sec_b`\n",
        },
        bib="@article{Known.2000,\n  title={T},\n  year={2000}\n}\n@comment{Unknown.2001,}\n",
    )
    got = [(d.code, d.file, d.line, d.target) for d in check_book(book, "en")]
    assert got == [
        ("PB151", "chapters/en/ch/a.md", 4, "eq_none"),
        ("PB152", "chapters/en/ch/a.md", 5, "Unknown.2001"),
        ("PB150", "chapters/en/ch/b.md", 2, "sec_a"),
        ("PB153", "chapters/en/index.md", 7, "ch/missing"),
    ]


def test_references_to_the_wrong_kind_of_label(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "index.md": "# Book\n:label:`sec_book`\n\n```toc\n:maxdepth: 2\n\nch/a\n```\n",
            "ch/a.md": (
                "# A\n:label:`sec_a`\n\n$$x = 1$$\n:eqlabel:`eq_one`\n\n"
                "Right: :eqref:`eq_one`, :numref:`sec_a`.\n"
                "Wrong: :numref:`eq_one` and :eqref:`sec_book`.\n"
            ),
        },
    )
    got = [(d.code, d.file, d.line, d.target) for d in check_book(book, "en")]
    assert got == [
        ("PB156", "chapters/en/ch/a.md", 8, "sec_book"),
        ("PB156", "chapters/en/ch/a.md", 8, "eq_one"),
    ]
    messages = [d.message for d in check_book(book, "en")]
    assert messages[1].startswith(":numref:`eq_one` points to the equation label defined at ")
    assert messages[0].startswith(
        ":eqref:`sec_book` points to the section label defined at chapters/en/index.md:2"
    )


def test_code_validity_per_framework(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "p.md": (
                "# P\n"
                "```{.python .input}\n"
                "%%tab all\n"
                "%matplotlib inline\n"
                "files = !ls\n"
                "!pip list\n"
                "if tab.selected('jax'):\n"
                "    x = (1,\n"
                "else:\n"
                "    x = 2\n"
                "```\n"
                "```{.python .input}\n"
                "%%tab pytorch, jax\n"
                "if tab.selected('jax'):\n"
                "    y = [1,\n"
                "if tab.selected('pytorch'):\n"
                "    y = 1\n"
                "print(tab.selected('jax'))\n"
                "```\n"
            )
        },
    )
    got = [(d.code, d.line, d.message[:40]) for d in check_book(book, "en")]
    assert got == [
        # the book's other frameworks have no code on the page (information)
        ("PB205", 1, "page has no MXNet code; the MXNet site s"),
        ("PB205", 1, "page has no TensorFlow code; the TensorF"),
        ("PB160", 8, "invalid Python for pytorch, jax: '(' was"),
        ("PB162", 10, "tab.selected not resolved: the cell does"),
        ("PB160", 15, "invalid Python for pytorch, jax: '[' was"),
        ("PB162", 17, "tab.selected not resolved: the cell does"),
    ]


def test_tab_selected_outside_if_after_split(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {"p.md": "# P\n```{.python .input}\n%%tab pytorch, jax\nuse = tab.selected('jax')\n```\n"},
    )
    got = [(d.code, d.line, d.message) for d in check_book(book, "en") if d.code != "PB205"]
    assert got == [
        (
            "PB161",
            4,
            "tab.selected(...) outside an if test cannot be resolved (pytorch, jax)",
        )
    ]


def test_check_cli_json_and_exit_status(
    seed_book: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--book", str(seed_book.root), "check", "--lang", "id", "--format", "json"])
    assert code == 1
    records = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in records} == {"PB101", "PB151"}
    assert next(r for r in records if r["code"] == "PB151") == {
        "code": "PB151",
        "severity": "error",
        "file": "chapters/id/chapter_cnn/alexnet.md",
        "line": 263,
        "message": ":numref:`subsec_activation-functions` points to a label no page defines",
        "target": "subsec_activation-functions",
    }
    mojibake = [r for r in records if r["code"] == "PB101"]
    assert mojibake == [
        {
            "code": "PB101",
            "severity": "warning",
            "file": "chapters/id/chapter_cnn/alexnet.md",
            "line": 173,
            "message": "double-encoded UTF-8 'â€“' (meant '–')",
        }
    ]


def test_check_cli_clean_book_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _book(tmp_path, {"index.md": "# Book\n\nNothing to see.\n"})
    assert main(["--book", str(book.root), "check"]) == 0
    assert capsys.readouterr().out == "check en: 0 errors, 0 warnings, 0 info\n"


def test_missing_translation_is_info(tmp_path: Path) -> None:
    book = _book(tmp_path, {"index.md": "# Book\n", "a.md": "# A\n"})
    fr = book.root / "chapters" / "vi"
    fr.mkdir(parents=True)
    (fr / "index.md").write_text("# Sách\n", encoding="utf-8")
    got = [(d.code, d.severity, d.file, d.target) for d in check_book(book, "vi")]
    assert got == [("PB180", Severity.INFO, "chapters/en/a.md", "a.md")]


def test_translation_takes_missing_pages_from_the_source_language(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        {
            "index.md": "# Book\n\n```toc\na\n```\n",
            "a.md": "# A\n:label:`sec_a`\n",
        },
    )
    vi = book.root / "chapters" / "vi"
    vi.mkdir(parents=True)
    (vi / "index.md").write_text("# Sách\n\n```toc\na\nb\n```\n\nXem :numref:`sec_a`.\n", "utf-8")
    got = [(d.code, d.file, d.line, d.target) for d in check_book(book, "vi")]
    assert got == [
        ("PB180", "chapters/en/a.md", 1, "a.md"),
        ("PB153", "chapters/vi/index.md", 5, "b"),
    ]


def test_check_in_worker_processes_finds_exactly_what_one_process_finds(tmp_path: Path) -> None:
    seed = seed_path("000").read_text("utf-8")
    pages = {f"ch/p{n:02d}.md": seed for n in range(66)}
    toc = "\n".join(f"ch/p{n:02d}" for n in range(66))
    pages["index.md"] = f"# Book\n\n```toc\n:maxdepth: 2\n\n{toc}\n```\n"
    book = _book(tmp_path, pages)
    one = check_book(book, "en", jobs=1)
    assert check_book(book, "en", jobs=2) == one
    assert {d.code for d in one} >= {"PB150", "PB151"}


def test_text_output_counts_the_information_of_one_code_after_five(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A book without code for some frameworks has a PB205 per page and
    framework: the text shows five and counts the rest; warnings are never
    counted away; `--verbose` and JSON list everything."""
    pages = {"index.md": "# Book\n\n```toc\n" + "\n".join(f"p{i}" for i in range(7)) + "\n```\n"}
    for i in range(7):
        pages[f"p{i}.md"] = f"# P{i}\n\n```{{.python .input}}\n%%tab pytorch\nx = {i}\n```\n"
    pages["p0.md"] += "\n```{.python .input}\n%%tab pytorch\nif x:\n\ty = 1\n```\n"  # PB102
    book = _book(tmp_path, pages)
    found = check_book(book, "en")
    infos = [d.format() for d in found if d.code == "PB205"]
    others = [d.format() for d in found if d.code != "PB205"]
    assert len(infos) == 21 and others  # 7 pages x 3 frameworks without code; a warning
    assert main(["--book", str(book.root), "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if "PB205" in line] == [
        *infos[:5],
        "... and 16 more PB205 (information; --verbose lists them)",
    ]
    assert [line for line in out if line in others] == others
    assert main(["--book", str(book.root), "check", "--verbose"]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if "PB205" in line] == infos
