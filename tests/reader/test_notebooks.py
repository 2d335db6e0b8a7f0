"""`polybook build notebooks`: reader notebooks of the render tests' mini book."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from polybook.cli import main
from polybook.graph import split_site
from polybook.reader.build import INSTALL_VAR, build_notebooks, install_source, strip_save_marks
from polybook.source.book import Book
from tests.render.conftest import MINIBOOK, write_executed

SITE = "https://example.org/book/{lang}/{framework}"
# what a reader must never see: a role, a slide mark, a MyST target, a #@save mark
RAW = re.compile(r":[a-z]+:`|\(\*\*|\*\*\)|\[~~|~~\]|\{numref\}|^\([\w-]+\)=$|#\s*@save", re.M)


def _book(tmp_path: Path, reader: str = "") -> Book:
    root = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, root)
    config = root / "_config" / "book.toml"
    config.write_text(config.read_text("utf-8") + reader, encoding="utf-8")
    return Book.open(root)


def _cells(path: Path) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["cells"]
    return cells


def _text(cells: list[dict[str, Any]], kind: str) -> str:
    return "\n".join(c["source"] for c in cells if c["cell_type"] == kind)


def test_clean_notebooks_per_framework(tmp_path: Path) -> None:
    book = _book(tmp_path, f'\n[reader]\nsite_url = "{SITE}"\n')
    split_site(book, "en")
    write_executed(book, "en", "pytorch", "chap/first.ipynb")
    result = build_notebooks(book, "en", ["pytorch", "jax"])
    out = book.layout.reader("en")
    assert result.notebooks["pytorch"] == [
        "index.ipynb",
        "chap/index.ipynb",
        "chap/first.ipynb",
        "chap/second.ipynb",
        "refs.ipynb",
    ]
    first = _cells(out / "pytorch" / "chap" / "first.ipynb")
    prose = _text(first, "markdown")
    assert RAW.search(prose) is None, RAW.search(prose)
    url = "https://example.org/book/en/pytorch"
    assert prose.startswith("# First Steps\n\nWe follow Kingma and Ba (2015) and keep the slide")
    assert "here\n while a model predicts &lt;eos&gt; at the end." in prose
    assert f"defined in [Equation (eq_loss)]({url}/chap/first.html#eq-loss)." in prose
    assert "$$\nL = \\frac{1}{n}\\sum_i (y_i - \\hat{y}_i)^2.\n$$" in prose
    # the image beside the notebook, at its path in the book
    assert '<img src="../img/arrow.svg" alt="An arrow from $x$ to $y$." width="200px">' in prose
    assert (out / "pytorch" / "img" / "arrow.svg").read_bytes() == (
        book.root / "img" / "arrow.svg"
    ).read_bytes()
    assert f"As [Figure “An arrow from $x$ to $y$”]({url}/chap/first.html#fig-arrow) shows" in prose
    assert f"[Table “Sizes of things”]({url}/chap/first.html#tab-sizes) lists" in prose
    assert "**Sizes of things**\n\n| thing | size |" in prose
    assert "PyTorch calls its arrays tensors." in prose
    assert "MXNet and JAX" not in prose  # jax's prose is in jax's notebook
    assert f"[Section “Second Steps”]({url}/chap/second.html#sec-second)" in prose
    # the install cell first, then the page's code with its executed outputs
    assert first[0]["source"] == install_source(["d2l==0.1.0"])
    code = [c for c in first if c["cell_type"] == "code"][1:]
    assert code[0]["source"] == "import torch\nx = torch.arange(3)\nprint(x)"
    assert code[0]["outputs"][0]["text"] == ["output of cell 1\n"]
    jax = _cells(out / "jax" / "chap" / "first.ipynb")
    assert "MXNet and JAX call them arrays." in _text(jax, "markdown")
    assert "jnp.arange" in _text(jax, "code")
    assert all(c["outputs"] == [] for c in jax if c["cell_type"] == "code")  # never executed
    # the toc of a page links the listed pages' notebooks
    index = _text(_cells(out / "pytorch" / "index.ipynb"), "markdown")
    assert "- [Basics](chap/index.ipynb)\n\n- [refs](refs.ipynb)" in index  # no title: the entry
    # problems at the book's lines, once for both frameworks
    assert [(d.code, d.file, d.line, d.target) for d in result.diagnostics] == [
        ("PB450", "chapters/en/chap/second.md", 5, "fig_missing"),
        ("PB453", "chapters/en/chap/second.md", 6, "Nobody.2000"),
        ("PB451", "chapters/en/chap/second.md", 8, "../img/missing.svg"),
    ]
    # the zip holds exactly the folder's files
    with zipfile.ZipFile(result.zips["pytorch"]) as archive:
        names = sorted(archive.namelist())
        assert archive.read("chap/first.ipynb") == (out / "pytorch/chap/first.ipynb").read_bytes()
    files = sorted(p.relative_to(out / "pytorch").as_posix() for p in out.glob("pytorch/**/*.*"))
    assert names == files


def test_no_site_no_links_and_settings(tmp_path: Path) -> None:
    reader = '\n[reader]\nkeep_slide_marks = true\ninstall = ["d2l=={release}", "numpy<3"]\n'
    book = _book(tmp_path, reader)
    split_site(book, "en")
    build_notebooks(book, "en", ["pytorch"])
    first = _cells(book.layout.reader("en") / "pytorch" / "chap" / "first.ipynb")
    prose = _text(first, "markdown")
    assert "The loss is defined in Equation (eq_loss)." in prose
    assert "](http" not in prose
    assert "(**keep the slide text**) here\n[~~only on slides~~]" in prose
    assert "%pip install -q d2l==0.1.0 'numpy<3'" in first[0]["source"]


def test_reruns_give_the_same_bytes(tmp_path: Path) -> None:
    book = _book(tmp_path)
    assert main(["--book", str(book.root), "build", "notebooks", "--framework", "jax"]) == 0
    zipped = (book.layout.reader("en") / "jax.zip").read_bytes()
    (book.layout.reader("en") / "jax" / "stale.ipynb").write_text("{}", "utf-8")
    assert main(["--book", str(book.root), "build", "notebooks", "--framework", "jax"]) == 0
    assert (book.layout.reader("en") / "jax.zip").read_bytes() == zipped
    assert not (book.layout.reader("en") / "jax" / "stale.ipynb").exists()
    assert main(["--book", str(book.root), "build", "notebooks", "--strict"]) == 1  # warnings


def test_translation_takes_missing_pages_from_the_source_language(tmp_path: Path) -> None:
    book = _book(tmp_path)
    split_site(book, "id")
    result = build_notebooks(book, "id", ["pytorch"])
    assert "chap/second.ipynb" in result.notebooks["pytorch"]  # not translated
    second = _cells(book.layout.reader("id") / "pytorch" / "chap" / "second.ipynb")
    assert _text(second, "markdown").startswith("# Second Steps")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():  #@save\n    pass", "def f():\n    pass"),
        ("#@save\nx = 1", "x = 1"),
        ("    # @save\n    y = 2", "    y = 2"),
        ("z = 3", "z = 3"),
    ],
)
def test_save_marks_removed(source: str, expected: str) -> None:
    assert strip_save_marks(source) == expected


def test_install_cell_is_skipped_by_the_variable() -> None:
    source = install_source(["d2l==1.0.3", "pkg>=2"])
    assert f'if not os.environ.get("{INSTALL_VAR}"):' in source
    assert source.endswith("    %pip install -q d2l==1.0.3 'pkg>=2'")
