"""Nothing escapes the book root (issue 12): a page that is a link to a file
outside the book, images, toc entries, the bibliography and files that
`eval_rst` directives read are refused by check and by every build, at the
book page's line, and nothing of them is published."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from polybook.check.run import check_book
from polybook.cli import main
from polybook.diagnostics import Code, Diagnostic
from polybook.source.book import Book
from polybook.source.contain import RstPath, rst_paths
from polybook.source.elements import Fence

FAULTBOOK = Path(__file__).resolve().parents[1] / "fixtures" / "faultbook"
SECRET = "SECRET-FROM-OUTSIDE"
PAGE = "chapters/en/chap/page.md"
LINK = "chapters/en/chap/link.md"
CHAP = "chapters/en/chap/index.md"
ROOT = "chapters/en/index.md"

# chapters/en/chap/page.md, one refused path per numbered line
PAGE_TEXT = """\
# A Page
:label:`sec_page`

Fine: ![arrow](../../../img/arrow.svg) and <eos>, <unk> and <b>bold</b>.

Out: ![a](../../../../etc/passwd) and ![b](/etc/hostname).

![A linked figure](../../../img/linked.svg)

```eval_rst
.. raw:: html
   :file: ../../../../outside/secret.html
```

```eval_rst
.. literalinclude:: /OUTSIDE/secret.txt
```

```eval_rst
.. raw:: html
   :url: https://example.org/x.html
```

```eval_rst
.. raw:: html

   <p>RAW-RST-KEPT</p>

.. include:: <isonum.txt>
```

:bibliography:`../../../../outside/out.bib`
"""
IMAGE_CLIMBS, IMAGE_ABSOLUTE, IMAGE_LINKED = 6, 6, 8
RAW_FILE, LITERALINCLUDE, RAW_URL, BIBLIOGRAPHY = 12, 16, 21, 32

ROOT_TEXT = "# Book\n\n```toc\n:maxdepth: 2\n\nchap/index\n../../../outside/page\n```\n"
CHAP_TEXT = "# Chap\n\n```toc\n:maxdepth: 2\n\npage\nlink\n```\n"
TOC_CLIMBS, TOC_LINK = 7, 7
PAGES = ("chap/index", "chap/page", "index")


def make_book(tmp_path: Path, *, configured_bib: bool = False) -> Path:
    """A small book with the escapes above, and a folder beside it holding the
    files they point to."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text(f"<p>{SECRET}</p>\n", "utf-8")
    (outside / "secret.txt").write_text(SECRET + "\n", "utf-8")
    (outside / "page.md").write_text(f"# Outside\n\n{SECRET} page text.\n", "utf-8")
    (outside / "out.bib").write_text("@article{Out.2020,\n  title = {Out},\n}\n", "utf-8")
    (outside / "pixel.svg").write_text(f"<svg><!-- {SECRET} --></svg>\n", "utf-8")
    root = tmp_path / "book"
    shutil.copytree(FAULTBOOK, root, ignore=shutil.ignore_patterns("chapters"))
    config = root / "_config" / "book.toml"
    if not configured_bib:
        text = config.read_text("utf-8").replace('bibliography = "references.bib"', "")
        config.write_text(text.replace("[book]\n", '[book]\nbibliography = ""\n'), "utf-8")
    (root / "chapters" / "en" / "chap").mkdir(parents=True)
    (root / ROOT).write_text(ROOT_TEXT, "utf-8")
    (root / CHAP).write_text(CHAP_TEXT, "utf-8")
    (root / PAGE).write_text(PAGE_TEXT.replace("/OUTSIDE", str(outside)), "utf-8")
    os.symlink(outside / "page.md", root / LINK)
    os.symlink(outside / "pixel.svg", root / "img" / "linked.svg")
    return root


def _at(diagnostics: list[Diagnostic]) -> set[tuple[str, str, int]]:
    return {(d.code, d.file, d.line) for d in diagnostics}


EXPECTED = {
    (Code.PAGE_OUTSIDE_BOOK.id, LINK, 1),
    (Code.TOC_OUTSIDE_BOOK.id, ROOT, TOC_CLIMBS),
    (Code.TOC_OUTSIDE_BOOK.id, CHAP, TOC_LINK),
    (Code.IMAGE_OUTSIDE_BOOK.id, PAGE, IMAGE_CLIMBS),
    (Code.IMAGE_OUTSIDE_BOOK.id, PAGE, IMAGE_LINKED),
    (Code.RST_FILE_OUTSIDE_BOOK.id, PAGE, RAW_FILE),
    (Code.RST_FILE_OUTSIDE_BOOK.id, PAGE, LITERALINCLUDE),
    (Code.RST_FILE_OUTSIDE_BOOK.id, PAGE, RAW_URL),
    (Code.BIB_OUTSIDE_BOOK.id, PAGE, BIBLIOGRAPHY),
}


def test_the_fixture_lines_hold_the_escapes() -> None:
    lines = PAGE_TEXT.split("\n")
    assert "../../../../etc/passwd" in lines[IMAGE_CLIMBS - 1]
    assert "/etc/hostname" in lines[IMAGE_ABSOLUTE - 1]
    assert "linked.svg" in lines[IMAGE_LINKED - 1]
    assert ":file:" in lines[RAW_FILE - 1]
    assert "literalinclude" in lines[LITERALINCLUDE - 1]
    assert ":url:" in lines[RAW_URL - 1]
    assert ":bibliography:" in lines[BIBLIOGRAPHY - 1]
    assert ROOT_TEXT.split("\n")[TOC_CLIMBS - 1] == "../../../outside/page"
    assert CHAP_TEXT.split("\n")[TOC_LINK - 1] == "link"


def test_check_refuses_every_path_that_leads_out_of_the_book(tmp_path: Path) -> None:
    book = Book.open(make_book(tmp_path))
    found = check_book(book, "en")
    refused = {d for d in found if d.code in {c[0] for c in EXPECTED}}
    assert _at(list(refused)) == EXPECTED
    assert all(d.severity.value == "error" for d in refused)
    by_line = {(d.file, d.line, d.target): d.message for d in refused}
    assert "an absolute path" in by_line[(PAGE, IMAGE_ABSOLUTE, "/etc/hostname")]
    assert "leads out of the book" in by_line[(PAGE, IMAGE_CLIMBS, "../../../../etc/passwd")]
    linked = by_line[(PAGE, IMAGE_LINKED, "../../../img/linked.svg")]
    assert f"a link to {tmp_path.resolve() / 'outside' / 'pixel.svg'}" in linked
    assert "a URL" in by_line[(PAGE, RAW_URL, "https://example.org/x.html")]
    # nothing else: the image inside the book, docutils' own include file and
    # the raw HTML written in the block are fine
    others = {d.code for d in found} - {c[0] for c in EXPECTED}
    assert others == set()


def test_a_configured_bibliography_outside_the_book_is_refused(tmp_path: Path) -> None:
    root = make_book(tmp_path, configured_bib=True)
    config = root / "_config" / "book.toml"
    text = config.read_text("utf-8").replace('"references.bib"', '"../outside/out.bib"')
    config.write_text(text, "utf-8")
    line = config.read_text("utf-8").split("\n").index('bibliography = "../outside/out.bib"')
    found = check_book(Book.open(root), "en")
    bib = [d for d in found if d.code == Code.BIB_OUTSIDE_BOOK.id]
    assert [(d.file, d.line) for d in bib] == [("_config/book.toml", line + 1)]
    assert "bibliography ../outside/out.bib refused" in bib[0].message


def _run(capfd: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    """The command's exit status and what it printed (stdout and stderr)."""
    capfd.readouterr()
    code = main(argv)
    out, err = capfd.readouterr()
    return code, out + err


def test_split_and_lib_refuse_the_linked_page(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root = make_book(tmp_path)
    code, output = _run(capfd, ["--book", str(root), "split"])
    assert code == 0
    line = f"{LINK}:1: error PB145: page refused: a link to {tmp_path.resolve()}/outside/page.md"
    assert line in output
    split = root / "_build" / "split" / "en"
    notebooks = sorted(p.relative_to(split).as_posix() for p in split.rglob("*.ipynb"))
    assert notebooks == [f"{fw}/{page}.ipynb" for fw in ("jax", "pytorch") for page in PAGES]
    before = (root / "d2l" / "__init__.py").read_bytes()
    code, output = _run(capfd, ["--book", str(root), "lib"])
    assert code == 1
    assert f"{LINK}:1: error PB145" in output
    assert "nothing was written" in output
    assert (root / "d2l" / "__init__.py").read_bytes() == before
    assert sorted(p.name for p in (root / "d2l").iterdir()) == ["__init__.py"]


def test_execute_reports_the_linked_page_and_fails(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root = make_book(tmp_path)
    config = root / "_config" / "book.toml"
    config.write_text(config.read_text("utf-8") + "\n[execute]\nenabled = false\n", "utf-8")
    code, output = _run(capfd, ["--book", str(root), "execute"])
    assert code == 1
    assert f"{LINK}:1: error PB145" in output
    assert not list((root / "_build" / "split").rglob("link.ipynb"))


def _site_text(site: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in sorted(site.rglob("*")) if p.is_file()
    )


def test_build_html_publishes_nothing_from_outside(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root = make_book(tmp_path)
    code, output = _run(capfd, ["--book", str(root), "build", "html", "--framework", "pytorch"])
    assert code == 1
    reported = {
        (code_, file, int(line))
        for file, line, code_ in (
            (ln.split(":")[0], ln.split(":")[1], ln.split(" ")[2].rstrip(":"))
            for ln in output.splitlines()
            if " error PB14" in ln
        )
    }
    assert reported == EXPECTED
    site = root / "_build" / "html" / "en" / "pytorch"
    assert (site / "chap" / "page.html").is_file()
    assert not (site / "chap" / "link.html").exists()
    assert sorted(p.name for p in (site / "_images").iterdir()) == ["arrow.svg"]
    text = _site_text(site)
    assert SECRET not in text
    assert "root:x:0:0" not in text
    # the raw HTML policy: HTML passes through, prose pseudo-tags stay text
    page = (site / "chap" / "page.html").read_text("utf-8")
    assert "<b>bold</b>" in page
    assert "&lt;eos&gt;, &lt;unk&gt;" in page
    assert "<p>RAW-RST-KEPT</p>" in page


def test_a_page_replaced_by_a_link_is_taken_out_of_the_site(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root = make_book(tmp_path)
    (root / LINK).unlink()
    (root / LINK).write_text("# Linked Later\n\nInside for now.\n", "utf-8")
    argv = ["--book", str(root), "build", "html", "--framework", "pytorch"]
    _run(capfd, argv)
    site = root / "_build" / "html" / "en" / "pytorch"
    assert "Inside for now." in (site / "chap" / "link.html").read_text("utf-8")
    (root / LINK).unlink()
    os.symlink(tmp_path / "outside" / "page.md", root / LINK)
    code, output = _run(capfd, argv)
    assert code == 1
    assert f"{LINK}:1: error PB145" in output
    assert not (site / "chap" / "link.html").exists()
    assert SECRET not in _site_text(site)


def _fence(*body: str) -> Fence:
    return Fence("", "```", "eval_rst", tuple((t, 10 + i) for i, t in enumerate(body)), 9, 99)


def test_rst_paths_reads_directive_arguments_and_file_options_only() -> None:
    fence = _fence(
        ".. raw:: html",
        "   :file: a.html",
        "",
        "   :file: not-an-option.html",
        ".. include:: inc.rst",
        ".. include:: <isonum.txt>",
        ".. csv-table:: T",
        "   :url: http://x/y.csv",
        ".. only:: html",
        "   :file: only-has-no-file-option-but-is-read-anyway.txt",
        ":file: top-level.txt",
        "  .. figure:: fig.png",
        "  :file: same-indent.txt",
    )
    assert rst_paths(fence) == [
        RstPath("raw", "a.html", 11),
        RstPath("include", "inc.rst", 14),
        RstPath("csv-table", "http://x/y.csv", 17, url=True),
        RstPath("only", "only-has-no-file-option-but-is-read-anyway.txt", 19),
        RstPath("figure", "fig.png", 21),
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("../../img/x.svg", None),
        ("../../../x", None),
        ("../../../../x", "the path leads out of the book"),
        ("/etc/passwd", "an absolute path"),
        ("C:/x", "an absolute path"),
        ("https://example.org/x.png", None),
    ],
)
def test_book_escape(tmp_path: Path, written: str, expected: str | None) -> None:
    book = Book.open(make_book(tmp_path))
    assert book.escape("en", "chap/page.md", written) == expected


def test_configured_files_outside_the_book_are_left_out(tmp_path: Path) -> None:
    """`[html]` favicon, logo, css and js that lead out of the book: PB104 at
    their configuration line, and the site copies none of them."""
    from polybook.render.site import site_settings

    root = make_book(tmp_path)
    (tmp_path / "outside" / "style.css").write_text(f"/* {SECRET} */\n", "utf-8")
    (root / "img" / "inside.css").write_text("p {}\n", "utf-8")
    config = root / "_config" / "book.toml"
    text = config.read_text("utf-8")
    html = (
        "\n[html]\n"
        'favicon = "../outside/pixel.svg"\n'
        'logo = "/etc/hostname"\n'
        'css = ["img/inside.css", "../outside/*.css"]\n'
    )
    config.write_text(text + html, "utf-8")
    lines = (text + html).split("\n")
    book = Book.open(root)
    found = {(d.line, d.message) for d in book.source.diagnostics if d.code == Code.CONFIG_VALUE.id}
    favicon = lines.index('favicon = "../outside/pixel.svg"') + 1
    logo = lines.index('logo = "/etc/hostname"') + 1
    assert (
        favicon,
        "[html] favicon: ../outside/pixel.svg is outside the book "
        "(the path leads out of the book); left out",
    ) in found
    assert (
        logo,
        "[html] logo: /etc/hostname is outside the book (an absolute path); left out",
    ) in found
    settings = site_settings(book)
    assert "html_favicon" not in settings.settings and "html_logo" not in settings.settings
    assert settings.settings["html_css_files"] == ["pb-site/img/inside.css"]
    assert all(root in path.parents for path in settings.files.values())
