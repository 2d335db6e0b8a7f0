"""Per-framework split of whole pages and books: goldens, existence rule, incrementality."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from polybook.source.book import Book
from polybook.split.page import kernelspec, split_page
from polybook.split.run import split_book
from polybook.split.select import ExistenceRule
from tests.conftest import SEED_PAGES, parse_text

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("POLYBOOK_REGEN_GOLDEN") == "1"


def _notebooks(book: Book, number: str) -> dict[str, str]:
    lang, rel = SEED_PAGES[number]
    page = book.read(lang, rel)
    ordered = book.config.frameworks_for(lang)
    return {
        fw: replace(nb, kernelspec=kernelspec(book, fw)).to_json()
        for fw, nb in split_page(page, ordered).notebooks.items()
    }


@pytest.mark.parametrize(
    ("number", "frameworks"),
    [
        ("000", ["pytorch", "mxnet", "tensorflow", "jax"]),
        ("002", ["mxnet", "pytorch", "tensorflow"]),
    ],
)
def test_seed_notebooks_match_golden_files(
    seed_book: Book, number: str, frameworks: list[str]
) -> None:
    produced = _notebooks(seed_book, number)
    assert list(produced) == frameworks
    for fw, text in produced.items():
        golden = GOLDEN / number / f"{fw}.ipynb"
        if REGENERATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8"), f"{number}/{fw} differs from golden"
        nbformat.validate(nbformat.reads(text, as_version=4))  # type: ignore[no-untyped-call]


def test_new_syntax_default_is_first_configured_framework(seed_book: Book) -> None:
    lang, rel = SEED_PAGES["000"]
    page = seed_book.read(lang, rel)
    nbs = split_page(page, ("pytorch", "mxnet", "tensorflow", "jax")).notebooks
    # the `%load_ext` cell is gone everywhere; every cell of the page is marked
    assert all(not c.source.startswith("%load_ext") for nb in nbs.values() for c in nb.cells)
    assert [c.line for c in nbs["jax"].cells if c.kind == "code"] == [63, 174, 248, 304]


def test_legacy_default_tab_mxnet_takes_unmarked_cells(seed_book: Book) -> None:
    lang, rel = SEED_PAGES["002"]
    page = seed_book.read(lang, rel)
    legacy = split_page(page, ("mxnet", "pytorch", "tensorflow", "jax")).notebooks
    unmarked = [c.line for c in page.code_cells if c.marker is None]
    assert unmarked == [23, 85, 127, 167]
    mx_lines = [c.line for c in legacy["mxnet"].cells if c.kind == "code"]
    pt_lines = [c.line for c in legacy["pytorch"].cells if c.kind == "code"]
    assert set(unmarked) <= set(mx_lines)
    assert not set(unmarked) & set(pt_lines)
    # the same page in a book whose default is pytorch: unmarked cells move to pytorch
    modern = split_page(page, ("pytorch", "mxnet", "tensorflow", "jax")).notebooks
    # mxnet is still named by the page's `:begin_tab:` prose
    assert list(modern) == ["pytorch", "mxnet", "tensorflow"]
    assert [c.line for c in modern["mxnet"].cells if c.kind == "code"] == [115, 298]
    assert set(unmarked) <= {c.line for c in modern["pytorch"].cells if c.kind == "code"}


def test_existence_rule_named_and_all() -> None:
    page = parse_text(
        "# P\n```{.python .input}\n%%tab all\nx = 1\n```\n"
        "```{.python .input}\n%%tab jax\ny = 2\n```\n"
    )
    ordered = ("pytorch", "mxnet", "jax", "tensorflow")
    assert list(split_page(page, ordered).notebooks) == ["pytorch", "jax"]
    assert list(split_page(page, ordered, ExistenceRule.ALL).notebooks) == list(ordered)
    # a page without code exists everywhere
    prose_only = parse_text("# Only prose\n\nText.\n")
    assert list(split_page(prose_only, ordered).notebooks) == list(ordered)
    # prose regions name frameworks too, `all` does not; empty regions do not count
    regions = parse_text(
        "```{.python .input}\nx = 1\n```\n:begin_tab:`mxnet`\nMX.\n:end_tab:\n"
        ":begin_tab:`all`\nAll.\n:end_tab:\n:begin_tab:`jax`\n:end_tab:\n"
    )
    assert list(split_page(regions, ordered).notebooks) == ["pytorch", "mxnet"]
    assert list(split_page(regions, ordered, ExistenceRule.NAMED_IN_CODE).notebooks) == ["pytorch"]
    # every framework needs a cell of its own, the default one included
    others = parse_text("```{.python .input}\n%%tab jax\nx = 1\n```\n")
    assert list(split_page(others, ordered).notebooks) == ["jax"]
    only_interact = parse_text("```{.python .input}\n%load_ext d2lbook.tab\n```\n# T\n")
    assert list(split_page(only_interact, ordered).notebooks) == []


def test_markdown_cells_tab_regions_and_markers() -> None:
    page = parse_text(
        "Intro\n"
        "\n"
        ":begin_tab:`pytorch`\n"
        "Torch words.\n"
        ":end_tab:\n"
        "\n"
        ":begin_tab:`jax`\n"
        "JAX words.\n"
        ":end_tab:\n"
        "\n"
        "Outro\n"
        "```{.python .input}\n"
        "%%tab pytorch, jax\n"
        "z = 0\n"
        "```\n"
    )
    nbs = split_page(page, ("pytorch", "jax")).notebooks
    pt = [(c.kind, c.source, c.line, c.frameworks) for c in nbs["pytorch"].cells]
    assert pt == [
        ("markdown", "Intro", 1, ()),
        ("markdown", "Torch words.", 4, ("pytorch",)),
        ("markdown", "Outro", 11, ()),
        ("code", "z = 0", 12, ("pytorch", "jax")),
    ]
    jx = [(c.kind, c.source) for c in nbs["jax"].cells]
    assert jx == [
        ("markdown", "Intro"),
        ("markdown", "JAX words."),
        ("markdown", "Outro"),
        ("code", "z = 0"),
    ]


def test_bash_cell_becomes_bash_magic() -> None:
    page = parse_text("```{.bash .input}\n%%tab pytorch\nls -l\n```\n")
    (cell,) = split_page(page, ("pytorch",)).notebooks["pytorch"].cells
    assert cell.source == "%%bash\nls -l"


def test_split_writes_paths_and_is_byte_identical_on_rerun(seed_book: Book, tmp_path: Path) -> None:
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    result = split_book(seed_book, "id", out_a)
    assert sorted(p.relative_to(out_a).as_posix() for p in result.written) == [
        f"{fw}/{page}.ipynb"
        for fw in ("jax", "mxnet", "pytorch", "tensorflow")
        for page in ("chapter_cnn/alexnet", "chapter_cnn/index", "chapter_cnn/lenet", "index")
    ]
    split_book(seed_book, "id", out_b, jobs=1)
    files = sorted(p.relative_to(out_a) for p in out_a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(out_b) for p in out_b.rglob("*") if p.is_file())
    for rel in files:
        assert (out_a / rel).read_bytes() == (out_b / rel).read_bytes()
    assert [d.code for d in result.diagnostics] == ["PB101"]


def test_rerun_skips_unchanged_pages_and_follows_edits(seed_book: Book, tmp_path: Path) -> None:
    out = tmp_path / "out"
    split_book(seed_book, "id", out)
    again = split_book(seed_book, "id", out)
    assert again.written == [] and again.unchanged == 4
    assert [d.code for d in again.diagnostics] == ["PB101"]  # remembered, not lost
    page = seed_book.lang_root("id") / "chapter_cnn" / "lenet.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")
    edited = split_book(seed_book, "id", out)
    assert sorted(p.relative_to(out).as_posix() for p in edited.written) == [
        "jax/chapter_cnn/lenet.ipynb",
        "mxnet/chapter_cnn/lenet.ipynb",
        "pytorch/chapter_cnn/lenet.ipynb",
        "tensorflow/chapter_cnn/lenet.ipynb",
    ]
    nb = json.loads((out / "pytorch/chapter_cnn/lenet.ipynb").read_text(encoding="utf-8"))
    assert nb["cells"][-1]["source"][-1] == "Satu kalimat lagi."
    # a deleted output is rewritten; a deleted page takes its notebooks with it
    (out / "jax/chapter_cnn/alexnet.ipynb").unlink()
    assert [p.name for p in split_book(seed_book, "id", out).written] == ["alexnet.ipynb"] * 4
    (seed_book.lang_root("id") / "chapter_cnn" / "alexnet.md").unlink()
    removed = split_book(seed_book, "id", out).removed
    assert sorted(p.relative_to(out).as_posix() for p in removed) == [
        "jax/chapter_cnn/alexnet.ipynb",
        "mxnet/chapter_cnn/alexnet.ipynb",
        "pytorch/chapter_cnn/alexnet.ipynb",
        "tensorflow/chapter_cnn/alexnet.ipynb",
    ]


def test_one_framework_only(seed_book: Book, tmp_path: Path) -> None:
    result = split_book(seed_book, "vi", tmp_path, ["tensorflow"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in result.written) == [
        "tensorflow/chapter_cnn/index.ipynb",
        "tensorflow/chapter_cnn/lenet.ipynb",
        "tensorflow/index.ipynb",
    ]


def test_source_positions_in_metadata(seed_book: Book) -> None:
    nb = json.loads(_notebooks(seed_book, "000")["jax"])
    lines = (seed_book.lang_root("id") / "chapter_cnn/lenet.md").read_text("utf-8").split("\n")
    for cell in nb["cells"]:
        meta = cell["metadata"]["polybook"]
        assert meta["file"] == "chapters/id/chapter_cnn/lenet.md"
        first = "".join(cell["source"]).split("\n")[0]
        if cell["cell_type"] == "code":
            assert lines[meta["line"] - 1].startswith("```{.python .input")
            assert first in lines[meta["line"] : meta["line"] + 40]
        else:
            assert lines[meta["line"] - 1] == first
    assert {c["id"] for c in nb["cells"]} == {
        f"{'code' if c['cell_type'] == 'code' else 'md'}-L{c['metadata']['polybook']['line']}"
        for c in nb["cells"]
    }


def test_split_of_one_framework_does_not_hide_stale_others(seed_book: Book, tmp_path: Path) -> None:
    out = tmp_path / "out"
    split_book(seed_book, "id", out)
    page = seed_book.lang_root("id") / "chapter_cnn" / "lenet.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    only = split_book(seed_book, "id", out, ["pytorch"])
    assert [p.relative_to(out).as_posix() for p in only.written] == [
        "pytorch/chapter_cnn/lenet.ipynb"
    ]
    rest = split_book(seed_book, "id", out)
    assert sorted(p.relative_to(out).as_posix() for p in rest.written) == [
        "jax/chapter_cnn/lenet.ipynb",
        "mxnet/chapter_cnn/lenet.ipynb",
        "pytorch/chapter_cnn/lenet.ipynb",
        "tensorflow/chapter_cnn/lenet.ipynb",
    ]
    jax = json.loads((out / "jax/chapter_cnn/lenet.ipynb").read_text(encoding="utf-8"))
    assert jax["cells"][-1]["source"][-1] == "Tambahan."
    assert split_book(seed_book, "id", out).written == []


def test_notebook_json_is_json_dumps_layout_for_every_cell_shape() -> None:
    from polybook.split.model import Cell, CellKind, Notebook

    cells = (
        Cell(CellKind.MARKDOWN, 'Text with "quotes" and é\n\nmore', 1, (1, 2, 3)),
        Cell(CellKind.MARKDOWN, "", 5, (5,), ("pytorch", "jax")),
        Cell(CellKind.CODE, "x = 1\ny = 2\n", 7, (8, 9, 10), ("pytorch",)),
        Cell(
            CellKind.CODE,
            "print(x)",
            12,
            (13,),
            (),
            ({"output_type": "stream", "name": "stdout", "text": ["1\n"]},),
            3,
        ),
    )
    nb = Notebook("chapters/en/p.md", "p.md", "en", "pytorch", cells, ("pkg==1",), {"a": "b"})
    text = nb.to_json()
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    assert Notebook.from_json(text) == nb
    empty = Notebook("f.md", "f.md", "en", "jax")
    assert empty.to_json() == (
        json.dumps(json.loads(empty.to_json()), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    )
