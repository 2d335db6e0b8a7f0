"""`polybook migrate --syntax new`: legacy pages in the new syntax, split-equivalent."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.cli import main
from polybook.i18n.edits import PageText
from polybook.i18n.migrate import code_by_framework, is_legacy, migrate_page, sources
from polybook.source.book import Book
from polybook.source.model import Page, Syntax
from polybook.source.parser import parse_page
from polybook.split.page import split_page
from tests.conftest import seed_path

LEGACY = ("mxnet", "pytorch", "tensorflow", "jax")  # the vi/tr order: mxnet is the default


def _parse(data: bytes, known: tuple[str, ...] = LEGACY) -> Page:
    return parse_page(data, lang="vi", path="p.md", file="p.md", known=known)


def _notebook_code(page: Page, known: tuple[str, ...] = LEGACY) -> dict[str, list[str]]:
    """Each framework's notebook: its code cells' sources (the whole split,
    prose included, so that notebook existence is compared too)."""
    split = split_page(page, known)
    return {
        fw: [c.source for c in nb.cells if c.kind == "code"] for fw, nb in split.notebooks.items()
    }


@pytest.mark.parametrize("seed", ["002", "004"])
def test_legacy_seeds_migrate_split_equivalent_and_idempotent(seed: str) -> None:
    data = seed_path(seed).read_bytes()
    page = _parse(data)
    assert is_legacy(page)
    result = migrate_page(page, PageText.parse(data.decode()), LEGACY)
    assert result.changed and not result.diagnostics
    migrated = _parse(result.after.data())
    # the same notebooks, with the same code cells, in every framework
    assert _notebook_code(migrated) == _notebook_code(page)
    assert set(_notebook_code(page)) == {"mxnet", "pytorch", "tensorflow"}
    # the new syntax throughout
    assert migrated.interact_line == 1  # the header cell's fence
    assert all(c.marker is not None and c.marker.syntax is Syntax.NEW for c in migrated.code_cells)
    assert not is_legacy(migrated)
    # idempotent
    again = migrate_page(migrated, result.after, LEGACY)
    assert not again.changed
    # nothing else changed: removing the header and the marker lines gives the page back
    before = [ln for ln in data.decode().split("\n") if not ln.startswith("#@tab")]
    header = 5
    after = [ln for ln in result.after.text().split("\n")[header:] if not ln.startswith("%%tab")]
    assert after == before


def test_the_header_names_the_language_frameworks_and_markers_keep_their_names() -> None:
    data = seed_path("002").read_bytes()
    result = migrate_page(_parse(data), PageText.parse(data.decode()), LEGACY)
    assert list(result.after.lines[:5]) == [
        "```{.python .input}",
        "%load_ext d2lbook.tab",
        "tab.interact_select(['mxnet', 'pytorch', 'tensorflow', 'jax'])",
        "```",
        "",
    ]
    old, new = data.decode().split("\n"), list(result.after.lines)
    markers = [ln for ln in old if ln.startswith("#@tab")]
    assert [ln for ln in new if ln.startswith("%%tab") and ln != "%%tab mxnet"] == [
        "%%tab" + ln[len("#@tab") :] for ln in markers
    ]
    # every unmarked cell (the mxnet default) names mxnet now
    unmarked = [c for c in _parse(data).code_cells if c.marker is None]
    assert new.count("%%tab mxnet") == len(unmarked) + sum(1 for m in markers if m == "#@tab mxnet")


def test_new_syntax_pages_are_left_alone() -> None:
    for seed in ("000", "001", "003"):
        data = seed_path(seed).read_bytes()
        page = _parse(data)
        assert not is_legacy(page)
        result = migrate_page(page, PageText.parse(data.decode()), LEGACY)
        assert not result.changed


def test_a_changed_split_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rewritten page is split again and compared: a rewrite that would
    change a notebook (here a header that is not the interact cell, so it
    becomes a code cell of the default tab) leaves the page as it is (PB320)."""
    import polybook.i18n.migrate as migrate

    monkeypatch.setattr(migrate, "header", lambda fws: ["```{.python .input}", "x = 0", "```", ""])
    data = seed_path("004").read_bytes()
    page = _parse(data)
    result = migrate_page(page, PageText.parse(data.decode()), LEGACY)
    assert not result.changed
    (d,) = result.diagnostics
    assert (d.code, d.line) == ("PB320", 23)  # the first mxnet cell, which would follow x = 0
    assert sources(code_by_framework(page, LEGACY))["mxnet"][0].startswith("from d2l import mxnet")


def test_cli_dry_run_then_write_on_the_seed_book(
    seed_book_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = seed_book_root / "chapters" / "vi" / "chapter_cnn" / "lenet.md"
    before = page.read_bytes()
    argv = ["--book", str(seed_book_root), "migrate", "--syntax", "new", "--lang", "vi"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(
        "--- a/chapters/vi/chapter_cnn/lenet.md\n+++ b/chapters/vi/chapter_cnn/lenet.md\n"
    )
    assert "+%%tab pytorch\n" in captured.out and "-#@tab pytorch\n" in captured.out
    assert "migrate vi: 1 of 3 pages to migrate" in captured.err
    assert page.read_bytes() == before
    assert main([*argv, "--write", "chapter_cnn/lenet"]) == 0
    book = Book.open(seed_book_root)
    migrated = book.read("vi", "chapter_cnn/lenet.md")
    assert _notebook_code(migrated) == _notebook_code(_parse(before))
    capsys.readouterr()
    assert main(argv) == 0
    out = capsys.readouterr()
    assert out.out == "" and "migrate vi: 0 of 3 pages to migrate" in out.err


def test_the_legacy_fixture_translation(i18nbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--book", str(i18nbook), "migrate", "--syntax", "new", "--lang", "vi", "--write"]
    assert main(argv) == 0
    text = (i18nbook / "chapters" / "vi" / "chapter_a" / "code.md").read_text(encoding="utf-8")
    assert text.startswith(
        "```{.python .input}\n%load_ext d2lbook.tab\n"
        "tab.interact_select(['mxnet', 'pytorch'])\n```\n\n# Mã\n"
    )
    assert "```{.python .input}\n%%tab mxnet\nfrom mxnet import np\n" in text
    assert "#@tab" not in text
