"""Configuration: validation errors name the file and key; legacy config.ini books open."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.cli import main
from polybook.config import ConfigError, load_config
from polybook.source.book import Book, book_order, page_toc_targets
from polybook.split.run import split_book
from tests.conftest import FIXTURES, REPO

GOOD = (FIXTURES / "seedbook" / "_config" / "book.toml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "_config").mkdir(exist_ok=True)
    (tmp_path / "_config" / "book.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_repository_book_config_is_valid() -> None:
    config = load_config(REPO)
    assert config.frameworks == ("pytorch", "mxnet", "jax", "tensorflow")
    assert config.frameworks_for("vi")[0] == "mxnet"
    assert set(config.languages) == {"en", "id", "fr", "vi", "tr"}


@pytest.mark.parametrize(
    ("edit", "key", "message"),
    [
        (lambda t: t.replace('title = "Seed book"\n', "", 1), "title", "missing required key"),
        (lambda t: t.replace("[book]\n", "[book]\ncolour = 1\n"), "colour", "unknown key"),
        (
            lambda t: t.replace('lib_name = "np"', 'lib_nam = "np"'),
            "framework.mxnet.lib_name",
            "missing required key; also framework.mxnet.lib_nam: unknown key",
        ),
        (
            lambda t: t.replace('module = "torch"', 'module = "to rch"'),
            "framework.pytorch.module",
            "String should match pattern",
        ),
        (
            lambda t: t.replace('"jax"]\nbibliography', '"jax", "paddle"]\nbibliography'),
            "(top level)",
            "no [framework.paddle] table",
        ),
        (lambda t: t + "\n[extra]\nx = 1\n", "extra", "unknown table"),
        (lambda t: t.replace("[book]", "[boo]"), "book", "missing required table [book]"),
        (lambda t: t + "\n[[broken\n", "(syntax)", ""),
    ],
)
def test_config_errors_name_file_and_key(
    tmp_path: Path, edit: object, key: str, message: str
) -> None:
    root = _write(tmp_path, edit(GOOD))  # type: ignore[operator]
    with pytest.raises(ConfigError) as info:
        load_config(root)
    assert info.value.file == root / "_config" / "book.toml"
    assert info.value.key == key
    assert message in info.value.message
    assert str(info.value).startswith(f"{root / '_config' / 'book.toml'}: {key}: ")


def test_missing_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no _config/book\.toml or config\.ini"):
        load_config(tmp_path)


def test_cli_reports_config_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _write(tmp_path, GOOD.replace("[book]\n", "[book]\ncolour = 1\n"))
    assert main(["--book", str(root), "check"]) == 2
    err = capsys.readouterr().err
    assert err == f"polybook: configuration error: {root}/_config/book.toml: colour: unknown key\n"


LEGACY_INI = """[project]
name = d2l-xx
title = Buku Lama
lang = id
release = 2.0.0

[build]
tabs = mxnet, pytorch, tensorflow
notebooks = *.md */*.md
exclusions = README.md chapter_old/*

[library]
version_file = d2l/__init__.py
lib_file = d2l/mxnet.py
lib_name = np
simple_alias = ones, zeros, concat -> concatenate,
    arange

[library-pytorch]
lib_file = d2l/torch.py
lib_name = torch
simple_alias = ones, zeros
fluent_alias = numpy -> detach().numpy, size -> numel
alias =
    size = lambda X: X.numel()
    transpose = lambda X: X.t()
"""


def test_legacy_config_ini_book(tmp_path: Path) -> None:
    (tmp_path / "config.ini").write_text(LEGACY_INI, encoding="utf-8")
    (tmp_path / "index.md").write_text("# Buku\n\n```toc\nchapter_a/index\n```\n", "utf-8")
    (tmp_path / "README.md").write_text("# not a page\n", encoding="utf-8")
    for rel, text in {
        "chapter_a/index.md": "# A\n\n```toc\nsecond\nfirst\n```\n",
        "chapter_a/first.md": "# First\n```{.python .input}\nx = 1\n```\n",
        "chapter_a/second.md": "# Second\n```{.python .input}\n#@tab pytorch\ny = 2\n```\n",
        "chapter_old/gone.md": "# Excluded\n",
        "_build/eval/skip.md": "# build output\n",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    book = Book.open(tmp_path)
    config = book.config
    assert config.legacy_layout
    assert config.frameworks == ("mxnet", "pytorch", "tensorflow")
    assert list(config.languages) == ["id"] and config.languages["id"].title == "Buku Lama"
    assert config.release == "2.0.0"
    assert config.framework["mxnet"].module == "mxnet"
    assert config.framework["mxnet"].simple_alias == (
        "ones",
        "zeros",
        "concat -> concatenate",
        "arange",
    )
    assert config.framework["pytorch"].module == "torch"
    assert config.framework["pytorch"].fluent_alias == ("numpy -> detach().numpy", "size -> numel")
    assert config.framework["pytorch"].alias == (
        "size = lambda X: X.numel()",
        "transpose = lambda X: X.t()",
    )
    assert book.page_files("id") == [
        "chapter_a/first.md",
        "chapter_a/index.md",
        "chapter_a/second.md",
        "index.md",
    ]
    pages = {rel: book.read("id", rel) for rel in book.page_files("id")}
    assert book_order({p: page_toc_targets(p, page) for p, page in pages.items()}) == [
        "index.md",
        "chapter_a/index.md",
        "chapter_a/second.md",
        "chapter_a/first.md",
    ]
    out = tmp_path / "_build" / "split"
    written = split_book(book, "id", out).written
    # index pages have no code: they exist for every framework
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "mxnet/chapter_a/first.ipynb",
        "mxnet/chapter_a/index.ipynb",
        "mxnet/index.ipynb",
        "pytorch/chapter_a/index.ipynb",
        "pytorch/chapter_a/second.ipynb",
        "pytorch/index.ipynb",
        "tensorflow/chapter_a/index.ipynb",
        "tensorflow/index.ipynb",
    ]
    assert pages["chapter_a/first.md"].file == "chapter_a/first.md"
