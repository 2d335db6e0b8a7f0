"""Fixtures of the render tests: a small two-language book, built once per session.

The book (fixtures/minibook) has English and Indonesian, three frameworks,
one page missing from the translation, one dangling reference, one unknown
citation and one missing image. A pre-executed notebook with text and image
outputs stands in for `polybook execute` for one page.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from polybook.graph import split_site
from polybook.layout import BuildLayout
from polybook.render.build import RenderResult, build_html
from polybook.render.project import MATHJAX_FILES, find_mathjax
from polybook.source.book import Book
from polybook.split.run import split_book

REPO = Path(__file__).resolve().parents[2]
MINIBOOK = Path(__file__).resolve().parent / "fixtures" / "minibook"
MATHJAX_VERSION = "3.2.2"


def _png(width: int = 4, height: int = 4) -> str:
    """A small valid PNG (a red square), base64 as in notebook outputs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
    return base64.b64encode(data + chunk(b"IEND", b"")).decode()


PNG = _png()


def find_or_install_mathjax(install: bool = True) -> Path | None:
    """MathJax from POLYBOOK_MATHJAX or _build/tools (what `make mathjax` installs);
    with `install`, installed there with npm when missing and npm is at hand."""
    env = os.environ.get("POLYBOOK_MATHJAX")
    if env:
        return find_mathjax(Path(env))
    found = find_mathjax(BuildLayout(REPO).mathjax)
    if found is None and install and shutil.which("npm"):
        prefix = REPO / "_build" / "tools"
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                *("npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix)),
                f"mathjax@{MATHJAX_VERSION}",
            ],
            capture_output=True,
            timeout=600,
            check=False,
        )
        found = find_mathjax(BuildLayout(REPO).mathjax)
    return found


@pytest.fixture(scope="session")
def mathjax(request: pytest.FixtureRequest) -> Path | None:
    """Installed only for a session that runs slow tests (the browser test needs
    MathJax); `-m "not slow"` (make test-fast) uses it when present, never installs it."""
    slow = any(item.get_closest_marker("slow") for item in request.session.items)
    return find_or_install_mathjax(install=slow)


def stand_in_mathjax(root: Path) -> Path:
    """A MathJax 3 `es5` folder of empty scripts: the site links and ships it like
    the real one, but typesets nothing (only the browser test needs real MathJax)."""
    es5 = root / "es5"
    for rel in MATHJAX_FILES:
        if (es5 / rel).is_file():  # made once: a site's stamp sees it unchanged
            continue
        (es5 / rel).parent.mkdir(parents=True, exist_ok=True)
        (es5 / rel).write_text("/* MathJax stand-in for the tests */\n", encoding="utf-8")
    return es5


def copy_minibook(dest: Path) -> Book:
    shutil.copytree(MINIBOOK, dest)
    return Book.open(dest)


def configured_and_split(book: Book, config: str = "") -> Book:
    """The book with `config` appended to its book.toml (reopened), split in
    both of its languages."""
    if config:
        toml = book.root / "_config" / "book.toml"
        toml.write_text(toml.read_text("utf-8") + config, "utf-8")
    book = Book.open(book.root)
    for lang in ("en", "id"):
        split_book(book, lang, book.root / "_build" / "split" / lang)
    return book


def write_executed(book: Book, lang: str, framework: str, page: str) -> Path:
    """An executed notebook for a split one: every code cell gets a text and an image output."""
    split = book.root / "_build" / "split" / lang / framework / page
    nb = json.loads(split.read_text("utf-8"))
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        count += 1
        cell["execution_count"] = count
        cell["outputs"] = [
            {"output_type": "stream", "name": "stdout", "text": [f"output of cell {count}\n"]},
            {
                "output_type": "display_data",
                "data": {"image/png": PNG, "text/plain": ["<Figure size 2x2>"]},
                "metadata": {},
            },
        ]
    path = book.root / "_build" / "executed" / lang / framework / page
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), "utf-8")
    return path


def build(
    book: Book, lang: str, site: str, *, mathjax: Path | None, jobs: int | None = None
) -> RenderResult:
    """What `polybook build html` does: bring the split up to date, then render."""
    split_site(book, lang)
    return build_html(book, lang, site, mathjax=mathjax, jobs=jobs)


@dataclass
class Sites:
    book: Book
    results: dict[str, RenderResult]

    def out(self, key: str) -> Path:
        return self.results[key].out


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory, mathjax: Path | None) -> Sites:
    """en/pytorch, en/all and id/pytorch of the mini book (with MathJax when available,
    else with a stand-in: the tests without a browser need no real MathJax).
    Built in this order, en/pytorch last: its switchers link to the two others."""
    book = copy_minibook(tmp_path_factory.mktemp("render") / "minibook")
    if mathjax is None:
        mathjax = stand_in_mathjax(tmp_path_factory.mktemp("mathjax"))
    split_book(book, "en", book.root / "_build" / "split" / "en")
    write_executed(book, "en", "pytorch", "chap/first.ipynb")
    write_executed(book, "en", "jax", "chap/first.ipynb")
    results: dict[str, RenderResult] = {}
    for lang, site in (("id", "pytorch"), ("en", "all"), ("en", "pytorch")):
        results[f"{lang}/{site}"] = build(book, lang, site, mathjax=mathjax)
    return Sites(book, results)
