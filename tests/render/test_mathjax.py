"""Math is never silently absent: a site has MathJax for its math, or is not built.

MathJax comes from `--mathjax PATH|URL`, the book's `_build/tools` (npm, `polybook
assets install`) or the Python package of the `mathjax` extra; the tests use
stand-in files (only the browser test needs MathJax that typesets).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.render import mathjax as mathjax_module
from polybook.render.mathjax import MATHJAX_VERSION, first_math
from polybook.render.project import MATHJAX_FILES
from polybook.source.book import Book
from tests.conftest import REPO
from tests.render.conftest import copy_minibook, stand_in_mathjax
from tests.render.htmlparse import Page

URL = "https://example.org/mathjax@3.2.2/es5/startup.js"
HOW = (
    "get it with `polybook assets install` (npm), or `pip install 'polybook[mathjax]'`, "
    "or name one with --mathjax PATH|URL (en, pytorch)"
)


@pytest.fixture
def no_python_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever is installed here, the `mathjax` extra's package is not found."""
    monkeypatch.setattr(mathjax_module, "python_package", lambda: None)


def _html(root: Path, *extra: str) -> list[str]:
    return ["--book", str(root), "build", "html", "--framework", "pytorch", "--jobs", "1", *extra]


def _scripts(out: Path) -> list[str]:
    page = Page.load(out / "chap" / "first.html")  # has math
    return [s.attrs.get("src", "") for s in page.root.find_all("script") if s.attrs.get("src")]


def _site(root: Path) -> Path:
    return root / "_build" / "html" / "en" / "pytorch"


@pytest.mark.usefixtures("no_python_package")
def test_math_without_mathjax_fails_and_says_how_to_get_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_minibook(tmp_path / "book")
    assert main(_html(book.root)) == 2
    err = capsys.readouterr().err
    assert (
        "chapters/en/chap/first.md:13: error PB209: the site has math (first here) but no "
        "MathJax 3 at _build/tools/node_modules/mathjax nor from the Python package "
        "django-static-mathjax (polybook's mathjax extra); the site is not built: " + HOW
    ) in err.splitlines()
    assert err.endswith("html en/pytorch: not built (no MathJax for its math)\n")
    assert not _site(book.root).exists()
    # a --mathjax that holds nothing is no better
    assert main(_html(book.root, "--mathjax", str(tmp_path / "none"))) == 2
    err = capsys.readouterr().err
    assert (
        f"but --mathjax {tmp_path / 'none'} holds no MathJax 3 (es5/startup.js, "
        "es5/input/tex-full.js); the site is not built: "
    ) in err
    assert not _site(book.root).exists()


def _without_math(book: Book) -> None:
    for page in (book.root / "chapters").rglob("*.md"):
        text = page.read_text("utf-8")
        page.write_text(re.sub(r"\$+([^$]*)\$+", r"\1", text), "utf-8")


@pytest.mark.usefixtures("no_python_package")
def test_a_site_without_math_needs_no_mathjax(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_minibook(tmp_path / "book")
    _without_math(book)
    assert first_math(Book.open(book.root).read("en", p) for p in ("chap/first.md",)) is None
    assert main(_html(book.root)) == 0
    assert "PB209" not in capsys.readouterr().err
    out = _site(book.root)
    assert not any("mathjax" in s for s in _scripts(out))
    assert not (out / "_static" / "mathjax").exists()
    # naming a MathJax that is not there is said, and changes nothing
    assert main(_html(book.root, "--mathjax", str(tmp_path / "none"))) == 0
    assert (
        f"(site):0: warning PB207: --mathjax {tmp_path / 'none'} holds no MathJax 3; the site "
        "has no math, so none is needed (en, pytorch)"
    ) in capsys.readouterr().err


def _assert_shipped(out: Path, es5: Path) -> None:
    """The pages load the site's own copy, and every file of it is there."""
    scripts = _scripts(out)
    assert [s.split("?")[0] for s in scripts if "mathjax" in s] == ["../_static/mathjax/startup.js"]
    assert not any("://" in s for s in scripts)
    for rel in MATHJAX_FILES:
        assert (out / "_static" / "mathjax" / rel).read_bytes() == (es5 / rel).read_bytes(), rel


@pytest.mark.usefixtures("no_python_package")
def test_mathjax_installed_in_the_book_is_shipped_with_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_minibook(tmp_path / "book")
    es5 = stand_in_mathjax(book.layout.mathjax)  # where `polybook assets install` puts it
    assert main(["--book", str(book.root), "assets", "show"]) == 0
    assert capsys.readouterr().out == f"mathjax: {es5}\n"
    assert main(_html(book.root)) == 0
    _assert_shipped(_site(book.root), es5)


def test_mathjax_from_the_python_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `pip install 'polybook[mathjax]'` installs: a package `mathjax` with
    MathJax's files under static/mathjax/es5."""
    site_packages = tmp_path / "site-packages"
    (site_packages / "mathjax").mkdir(parents=True)
    (site_packages / "mathjax" / "__init__.py").write_text("", "utf-8")
    es5 = stand_in_mathjax(site_packages / "mathjax" / "static" / "mathjax")
    monkeypatch.syspath_prepend(str(site_packages))
    book = copy_minibook(tmp_path / "book")
    assert main(["--book", str(book.root), "assets", "show"]) == 0
    assert capsys.readouterr().out == (f"mathjax: {es5} (Python package django-static-mathjax)\n")
    assert main(_html(book.root)) == 0
    _assert_shipped(_site(book.root), es5)


@pytest.mark.usefixtures("no_python_package")
def test_an_explicit_url_is_what_the_pages_load(tmp_path: Path) -> None:
    book = copy_minibook(tmp_path / "book")
    assert main(_html(book.root, "--mathjax", URL)) == 0
    out = _site(book.root)
    assert [s for s in _scripts(out) if "mathjax" in s] == [URL]
    assert not (out / "_static" / "mathjax").exists()


def _fake_npm(tmp_path: Path, body: str) -> Path:
    npm = tmp_path / "bin" / "npm"
    npm.parent.mkdir(parents=True, exist_ok=True)
    npm.write_text("#!/bin/sh\n" + body, "utf-8")
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    return npm


# A stand-in for `npm install --prefix P mathjax@V`: writes MathJax's files under
# P/node_modules/mathjax/es5 and counts its runs.
FAKE_INSTALL = """\
echo "$@" >> "$(dirname "$0")/calls"
prefix=$6
for rel in startup.js core.js input/tex-full.js output/svg.js output/svg/fonts/tex.js; do
  mkdir -p "$(dirname "$prefix/node_modules/mathjax/es5/$rel")"
  echo "/* $rel */" > "$prefix/node_modules/mathjax/es5/$rel"
done
"""


def test_assets_install_runs_npm_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = copy_minibook(tmp_path / "book")
    npm = _fake_npm(tmp_path, FAKE_INSTALL)
    argv = ["--book", str(book.root), "assets", "install", "--npm", str(npm)]
    es5 = book.layout.mathjax / "es5"
    assert main(argv) == 0
    assert capsys.readouterr().out == f"mathjax {MATHJAX_VERSION}: installed at {es5}\n"
    prefix = book.root / "_build" / "tools"
    assert (npm.parent / "calls").read_text("utf-8") == (
        f"install --no-audit --no-fund --loglevel=error --prefix {prefix} mathjax@3.2.2\n"
    )
    assert main(argv) == 0
    assert capsys.readouterr().out == f"mathjax {MATHJAX_VERSION}: already installed at {es5}\n"
    assert len((npm.parent / "calls").read_text("utf-8").splitlines()) == 1
    assert (book.layout.mathjax / f".polybook-{MATHJAX_VERSION}").is_file()


def test_assets_install_says_what_to_do_when_it_cannot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_minibook(tmp_path / "book")
    argv = ["--book", str(book.root), "assets", "install", "--npm"]
    assert main([*argv, str(tmp_path / "no-npm")]) == 2
    assert capsys.readouterr().err == (
        f"polybook: assets: {tmp_path / 'no-npm'} not found: install npm (e.g. apt-get "
        "install npm) and run this again, or `pip install 'polybook[mathjax]'` (no npm "
        "needed)\n"
    )
    failing = _fake_npm(tmp_path, "echo 'npm error network unreachable' >&2\nexit 7\n")
    assert main([*argv, str(failing)]) == 2
    assert capsys.readouterr().err == (
        "polybook: assets: `npm install mathjax@3.2.2` failed (exit status 7): npm error "
        "network unreachable; or `pip install 'polybook[mathjax]'` (no npm needed)\n"
    )
    assert not book.layout.mathjax.exists()


def test_make_names_the_version_polybook_installs() -> None:
    """`make mathjax` skips `polybook assets install` when its stamp is there."""
    render_mk = (REPO / "tools" / "make" / "render.mk").read_text("utf-8")
    found = re.search(r"^MATHJAX_VERSION := (\S+)$", render_mk, re.MULTILINE)
    assert found is not None and found.group(1) == MATHJAX_VERSION
    stamp = re.search(r"^MATHJAX_STAMP \?= (\S+)$", render_mk, re.MULTILINE)
    assert stamp is not None
    assert stamp.group(1) == "$(MATHJAX_DIR)/.polybook-$(MATHJAX_VERSION)"
