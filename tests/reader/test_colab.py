""" "Open in Colab" and "Download notebook" links on a configured repository and branch."""

from __future__ import annotations

import shutil
from pathlib import Path

from polybook.render.colab import colab_links
from polybook.render.inputs import PageSource, site_pages
from polybook.source.book import Book
from tests.render.conftest import MINIBOOK

COLAB = """
[html.colab]
repos = {pytorch = "owner/book-pytorch", jax = "owner/book-jax"}
branch = "release-1.0"
download = true
"""


def test_links_name_the_branch_and_download_the_notebook(tmp_path: Path) -> None:
    root = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, root)
    config = root / "_config" / "book.toml"
    config.write_text(config.read_text("utf-8") + COLAB, encoding="utf-8")
    book = Book.open(root)
    pages = site_pages(book, "en")

    def has(page: PageSource, framework: str) -> bool:
        return framework == "pytorch" or page.docname == "chap/second"

    links = colab_links(book, ["pytorch", "mxnet", "jax"], pages, has)
    assert links["chap/second"] == [
        [
            "Colab [PyTorch]",
            "https://colab.research.google.com/github/owner/book-pytorch/blob/release-1.0/"
            "chap/second.ipynb",
        ],
        [
            "Download notebook [PyTorch]",
            "https://github.com/owner/book-pytorch/raw/release-1.0/chap/second.ipynb",
        ],
        [
            "Colab [JAX]",
            "https://colab.research.google.com/github/owner/book-jax/blob/release-1.0/"
            "chap/second.ipynb",
        ],
        [
            "Download notebook [JAX]",
            "https://github.com/owner/book-jax/raw/release-1.0/chap/second.ipynb",
        ],
    ]
    assert [label for label, _ in links["chap/first"]] == [
        "Colab [PyTorch]",
        "Download notebook [PyTorch]",
    ]
    assert "index" not in links and "chap/index" not in links  # d2lbook's exclusions
