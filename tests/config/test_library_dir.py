"""A book whose library is not called `d2l` (`library_dir = "mylib"`): every
stage takes the library's name from the configuration."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.config import ConfigError, load_config
from polybook.execute.cache import Cache
from polybook.execute.envs import FrameworkEnv
from polybook.execute.run import ExecuteOptions, plan_items
from polybook.source.book import Book
from tests.conftest import FIXTURES

MYLIB = FIXTURES / "mylibbook"


@pytest.fixture
def book(tmp_path: Path) -> Book:
    root = tmp_path / "mylibbook"
    shutil.copytree(MYLIB, root)
    return Book.open(root)


def _split_code(book: Book, page: str) -> list[str]:
    path = book.root / "_build" / "split" / "en" / "pytorch" / page
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def test_the_configuration_names_the_library(book: Book) -> None:
    assert book.config.library_dir == "mylib"
    assert book.config.version_file == "mylib/__init__.py"  # its default follows


def test_split_rewrites_aliases_of_the_configured_library_only(
    book: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--book", str(book.root), "split"]) == 0
    assert capsys.readouterr().err == ""
    assert _split_code(book, "widgets.ipynb")[-1] == (
        "w = mylib.make_widget()\n"
        "w.grow()\n"
        "x = torch.ones(w.n)\n"
        "print(x.detach().numpy(), d2l.ones(2))"  # d2l is not this book's library
    )


def test_lib_writes_the_configured_package_and_binds_its_name(
    book: Book, capsys: pytest.CaptureFixture[str]
) -> None:
    d2l_before = (book.root / "d2l" / "__init__.py").read_bytes()
    assert main(["--book", str(book.root), "lib", "--clean"]) == 0
    text = (book.root / "mylib" / "torch.py").read_text("utf-8")
    assert "import sys\n\nmylib = sys.modules[__name__]\n\nimport torch\n\nclass Widget:" in text
    # the `@mylib.add_to_class(Widget)` method is assembled into the class
    assert (
        "        self.n = 0\n\n"
        "    def grow(self):\n"
        '        """Defined in :numref:`sec_widgets`"""\n'
        "        self.n += 1\n\n"
        "def make_widget():"
    ) in text
    assert "add_to_class" not in text
    init = (book.root / "mylib" / "__init__.py").read_text("utf-8")
    assert '__version__ = "3.1.4"' in init
    assert (book.root / "d2l" / "__init__.py").read_bytes() == d2l_before
    assert not (book.root / "d2l" / "torch.py").exists()
    capsys.readouterr()

    # compat mode does not bind the name: the diagnostic names the library
    assert main(["--book", str(book.root), "lib"]) == 0
    assert capsys.readouterr().err == (
        "mylib/torch.py:1: warning PB195: the library uses `mylib.` but never binds `mylib` "
        "(save `mylib = sys.modules[__name__]`, or use --clean, which adds it)\n"
    )


def test_execute_keys_depend_on_the_closure_of_the_configured_library(
    book: Book, tmp_path: Path
) -> None:
    assert main(["--book", str(book.root), "lib", "--clean"]) == 0
    assert main(["--book", str(book.root), "split"]) == 0
    options = ExecuteOptions(lang="en", frameworks=["pytorch"])
    envs = {"pytorch": FrameworkEnv("pytorch", tmp_path / "no-env")}
    cache = Cache(book.root / book.config.execute.cache_dir)
    items = {i.page: i for i in plan_items(book, options, envs, cache, None)}
    assert set(items) == {"index.md", "widgets.md"}
    assert items["index.md"].parts.library == ()
    # `mylib.make_widget()` is what is left after the rewrite: make_widget and
    # what it uses (`mylib.Widget`, the `mylib` binding and its `sys`); neither
    # `unused` nor the aliases (`d2l.ones` is not this library's)
    used = {name for name, _ in items["widgets.md"].parts.library}
    assert used == {"make_widget", "Widget", "mylib", "sys"}


def test_page_discovery_skips_the_library_of_a_legacy_book(tmp_path: Path) -> None:
    (tmp_path / "config.ini").write_text(
        "[project]\nname = old\n\n[build]\ntabs = pytorch\n\n"
        "[library-pytorch]\nlib_file = mylib/torch.py\nlib_name = torch\n",
        encoding="utf-8",
    )
    for rel in ("index.md", "mylib/README.md", "d2l/notes.md", "_build/eval/out.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("# T\n", encoding="utf-8")
    book = Book.open(tmp_path)
    assert book.config.library_dir == "mylib"
    assert book.config.version_file == "mylib/__init__.py"
    # mylib/ is the library; d2l/ is an ordinary directory of this book
    assert book.page_files("en") == ["d2l/notes.md", "index.md"]


def test_library_dir_must_be_a_package_name(tmp_path: Path) -> None:
    text = (MYLIB / "_config" / "book.toml").read_text("utf-8")
    (tmp_path / "_config").mkdir()
    (tmp_path / "_config" / "book.toml").write_text(
        text.replace('library_dir = "mylib"', 'library_dir = "lib/mylib"'), encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.key == "library_dir"
    assert "'lib/mylib' is not a Python package name" in caught.value.message
