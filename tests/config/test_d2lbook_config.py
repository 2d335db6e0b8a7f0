"""A d2lbook book's config.ini (fixtures/d2lbookbook): every key honoured with
d2lbook's meaning, or reported once at its line."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.config import ConfigError, load_book_config
from polybook.config.ini import IniSyntaxError, parse_ini
from polybook.config.model import HeaderLink
from polybook.diagnostics import Diagnostic
from polybook.source.book import Book
from tests.conftest import FIXTURES

D2LBOOK = FIXTURES / "d2lbookbook"

# (line, code, key) of every diagnostic the fixture's config.ini gets
CONFIG_NOTES = [
    (18, "PB103", "build.dependencies"),
    (24, "PB104", "html.header_links"),
    (32, "PB103", "pdf.post_latex"),
    (33, "PB103", "pdf.latex_url"),
    (35, "PB103", "pdf.style"),
    (45, "PB103", "deploy.google_analytics_tracking_id"),
    (51, "PB103", "colab.libs"),
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "book"
    shutil.copytree(D2LBOOK, dest)
    return dest


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "config.ini"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _check(root: Path, capsys: pytest.CaptureFixture[str]) -> list[Diagnostic]:
    main(["--book", str(root), "check", "--format", "json"])
    return [Diagnostic.from_json(d) for d in json.loads(capsys.readouterr().out)]


def test_page_set_follows_notebooks_exclusions_non_notebooks_and_resources(root: Path) -> None:
    book = Book.open(root)
    pages = book.page_set("en")
    # not pages: README.md (exclusions), img/README.md (a resource folder),
    # chapter_intro/extra/deep.md and static/vol1/root-index.md (two levels down)
    assert pages.pages == (
        "chapter_intro/basics.md",
        "chapter_intro/index.md",
        "chapter_intro/notes.md",
        "chapter_references/zreferences.md",
        "index.md",
    )
    assert pages.plain == frozenset({"chapter_intro/notes.md"})
    assert book.page_files("en") == list(pages.pages)


def test_config_values_have_d2lbook_meaning(root: Path) -> None:
    config = Book.open(root).config
    assert (config.title, config.author, config.copyright, config.release) == (
        "A Fixture Book",
        "Ada Author and Bo Builder",
        "2024, the fixture authors",
        "1.2.3",
    )
    assert config.frameworks == ("pytorch", "mxnet")
    assert config.bibliography == "book.bib"
    assert config.notebooks == ("*.md", "*/*.md")
    assert config.resources == ("img/", "book.bib", "static/site.css")
    assert config.execute.enabled is True
    html = config.html
    assert (html.favicon, html.logo, html.css, html.js) == (
        "static/favicon.png",
        "static/logo.png",
        ("static/site.css",),
        (),
    )
    assert html.header_links == (
        HeaderLink(name="GitHub", url="https://github.com/example/fixture", icon="fab fa-github"),
        HeaderLink(name="Notebooks", url="https://example.org/fixture.zip", icon="fas fa-download"),
    )
    assert html.colab.repos == {
        "pytorch": "example/fixture-pytorch-colab",
        "mxnet": "example/fixture-mxnet-colab",
    }
    assert html.colab.exclusions == ("*.html", "**/index.html")
    assert html.strict is False


def test_every_key_not_honoured_is_reported_once_at_its_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _check(root, capsys)
    notes = [(d.line, d.code, d.target) for d in found if d.file == "config.ini"]
    assert notes == CONFIG_NOTES
    by_target = {d.target: d for d in found if d.file == "config.ini"}
    assert by_target["pdf.style"].format() == (
        "config.ini:35: info PB103: [pdf] style: not honoured: the PDF is built offline with "
        "polybook's own LaTeX settings: a style, post-processing script or downloaded class "
        "would need the network (`build pdf` reports it too, PB217)"
    )
    assert by_target["html.header_links"].format() == (
        "config.ini:24: warning PB104: [html] header_links: a link is three items "
        "(name, URL, icon), this line has 2; left out"
    )
    # the book's own findings: no false toc, label or bibliography errors; the
    # citations are checked against [pdf] bibfile
    book = [(d.file, d.line, d.code) for d in found if d.file != "config.ini"]
    assert book == [("chapter_intro/basics.md", 6, "PB152")]


def test_keys_that_ask_nothing_are_not_reported(root: Path) -> None:
    _edit(
        root,
        "[html]",
        "[build2]\ncolour = red\n\n[library-paddle]\nlib_name = paddle\n\n[html]",
    )
    _edit(root, "eval_notebook = True", "eval_notebook = True\nindex = index\nrsts =\n")
    notes = {(d.target, d.message) for d in Book.open(root).source.diagnostics}
    assert (
        "build2.colour",
        "[build2] colour: not honoured: [build2] is not a d2lbook section; ignored",
    ) in notes
    assert (
        "library-paddle.lib_name",
        "[library-paddle] lib_name: not honoured: 'paddle' is not "
        "a framework of [build] tabs; d2lbook ignores it too",
    ) in notes
    targets = {target for target, _ in notes}
    assert not targets & {"build.index", "build.rsts", "build.eval_notebook", "build.tabs"}


def test_defaults_and_the_title_of_the_index_page(root: Path) -> None:
    for line in ("title = A Fixture Book\n", "author = Ada Author and Bo Builder\n"):
        _edit(root, line, "")
    _edit(root, "release = 1.2.3\n", "")
    config = Book.open(root).config
    assert (config.title, config.author, config.release) == (
        "A Fixture Book",  # the first line of index.md
        "The contributors",
        "0.0.1",
    )


def test_non_notebook_pages_are_never_split(root: Path) -> None:
    assert main(["--book", str(root), "split"]) == 0
    split = root / "_build" / "split" / "en"
    assert sorted(p.relative_to(split).as_posix() for p in split.rglob("*.ipynb")) == [
        f"{fw}/{page}.ipynb"
        for fw in ("mxnet", "pytorch")
        for page in (
            "chapter_intro/basics",
            "chapter_intro/index",
            "chapter_references/zreferences",
            "index",
        )
    ]


@pytest.mark.parametrize(
    ("old", "new", "resplit"),
    [
        ("title = A Fixture Book", "title = Another Title", 0),
        ("favicon = static/favicon.png", "favicon = static/logo.png", 0),
        ("bibfile = book.bib", "bibfile = other.bib", 0),
        ("example/fixture-pytorch-colab", "example/other-colab", 0),
        ("UA-000000-1", "UA-000000-2", 0),
        ("simple_alias = ones, zeros", "simple_alias = ones", 4),
        ("tabs = pytorch, mxnet", "tabs = mxnet, pytorch", 4),
    ],
)
def test_only_settings_notebooks_depend_on_resplit(
    root: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, resplit: int
) -> None:
    assert main(["--book", str(root), "split"]) == 0
    capsys.readouterr()
    _edit(root, old, new)
    assert main(["--book", str(root), "split"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert f"4 pages, {resplit} written" in line


def test_eval_notebook_false_executes_nothing(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(root, "eval_notebook = True", "eval_notebook = False")
    book = Book.open(root)
    assert book.config.execute.enabled is False
    assert main(["--book", str(root), "execute"]) == 0
    out = capsys.readouterr().out
    assert (
        out.splitlines()[-1]
        == "execute en: execution is off in the configuration; nothing executed"
    )
    assert not (root / "_build" / "executed").exists()


def test_bibliography_falls_back_to_the_bibliography_role(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(root, "bibfile = book.bib\n", "")
    found = [(d.file, d.line, d.code) for d in _check(root, capsys) if d.file != "config.ini"]
    assert found == [("chapter_intro/basics.md", 6, "PB152")]


def test_an_unreadable_bibfile_is_reported_at_its_key(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(root, "bibfile = book.bib", "bibfile = missing.bib")
    found = [d for d in _check(root, capsys) if d.code == "PB155"]
    assert [d.format() for d in found] == [
        "config.ini:34: error PB155: bibliography missing.bib cannot be read "
        "(No such file or directory)"
    ]


def test_colab_repository_forms(root: Path) -> None:
    _edit(
        root,
        "github_repo = pytorch, example/fixture-pytorch-colab\n"
        "              mxnet, example/fixture-mxnet-colab",
        "github_repo = example/one-colab",
    )
    config, source = load_book_config(root)
    assert config.html.colab.repos == {"pytorch": "example/one-colab"}  # the default tab's
    _edit(root, "github_repo = example/one-colab", "github_repo = jax, example/jax-colab")
    config, source = load_book_config(root)
    assert config.html.colab.repos == {}
    [note] = [d for d in source.diagnostics if d.target == "colab.github_repo"]
    assert (note.line, note.code) == (49, "PB104")


def test_missing_site_files_are_reported(root: Path) -> None:
    (root / "static" / "favicon.png").unlink()
    _edit(root, "resources = img/", "resources = data/ img/")
    _, source = load_book_config(root)
    notes = [
        d.format() for d in source.diagnostics if d.target in ("html.favicon", "build.resources")
    ]
    assert notes == [
        "config.ini:13: warning PB104: [build] resources: data/ is not a file or folder "
        "of the book; left out",
        "config.ini:26: warning PB104: [html] favicon: static/favicon.png is not a file "
        "of the book; left out",
    ]


def test_ini_syntax_keeps_lines() -> None:
    text = (
        "[a]\n"
        "# a comment\n"
        "Key = one,\n"
        "      two\n"
        "  # a comment inside the value\n"
        "\n"
        "      three %% done\n"
        "other: x = y\n"
    )
    sections = parse_ini(text)
    key = sections["a"]["key"]
    assert (key.line, key.items()) == (3, [(3, "one,"), (4, "two"), (7, "three % done")])
    assert key.text == "one,\ntwo\n\nthree % done"
    assert sections["a"]["other"].text == "x = y"
    with pytest.raises(IniSyntaxError, match="line 3: section \\[a\\] already exists"):
        parse_ini("[a]\nx = 1\n[a]\n")
    with pytest.raises(IniSyntaxError, match="line 3: key 'x' already set in \\[a\\]"):
        parse_ini("[a]\nx = 1\nX = 2\n")
    with pytest.raises(IniSyntaxError, match="line 1: a key before the first"):
        parse_ini("x = 1\n")


def test_ini_syntax_error_names_the_line(root: Path) -> None:
    _edit(root, "[pdf]", "[pdf]\nbibfile = twice.bib")
    with pytest.raises(ConfigError) as info:
        Book.open(root)
    assert str(info.value) == (
        f"{root / 'config.ini'}: (line 35): key 'bibfile' already set in [pdf]"
    )


def test_notes_are_counted_once_per_key(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    counts = Counter((d.file, d.line, d.code) for d in _check(root, capsys))
    assert max(counts.values()) == 1


def test_lib_collects_notebook_pages_only(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--book", str(root), "lib"]) == 0
    torch = (root / "d2l" / "torch.py").read_text("utf-8")
    assert "def ones3():\n    return torch.ones(3)\n" in torch
    assert "never_saved" not in torch  # chapter_intro/notes.md is a non-notebook
    assert (root / "d2l" / "__init__.py").read_text("utf-8").endswith('__version__ = "1.2.3"\n')
    assert not (root / "d2l" / "mxnet.py").exists()  # no [library-mxnet] section


def test_book_toml_has_the_same_site_settings(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "seedbook", tmp_path / "book")
    path = tmp_path / "book" / "_config" / "book.toml"
    html = (
        '\n[html]\nfavicon = "img/missing.png"\ncss = ["img/site.css"]\n'
        'header_links = [{name = "GitHub", url = "https://github.com/x/y", '
        'icon = "fab fa-github"}]\n'
        '\n[html.colab]\nrepos = {pytorch = "x/pytorch-colab"}\n'
    )
    path.write_text(path.read_text("utf-8") + html, "utf-8")
    config, source = load_book_config(tmp_path / "book")
    assert config.html.header_links == (
        HeaderLink(name="GitHub", url="https://github.com/x/y", icon="fab fa-github"),
    )
    assert config.html.colab.repos == {"pytorch": "x/pytorch-colab"}
    assert [d.format() for d in source.diagnostics] == [
        f"_config/book.toml:{source.line('html.favicon')}: warning PB104: [html] favicon: "
        "img/missing.png is not a file of the book; left out",
        f"_config/book.toml:{source.line('html.css')}: warning PB104: [html] css: "
        "img/site.css is not a file of the book; left out",
    ]
    path.write_text(path.read_text("utf-8").replace("{pytorch =", "{paddle ="), "utf-8")
    with pytest.raises(ConfigError, match=r"html\.colab\.repos names unknown framework 'paddle'"):
        load_book_config(tmp_path / "book")
