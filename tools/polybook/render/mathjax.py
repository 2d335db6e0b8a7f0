"""MathJax for a site: where it comes from, whether the site needs it, how to get it.

A site typesets math with MathJax 3, copied into the site so that it works from
disk with no network; a CDN is used only when the user names one. `build html`
takes MathJax from, in this order:

1. `--mathjax PATH` (a MathJax 3 package, its `es5` folder or an npm prefix), or
   `--mathjax URL` (`http(s)://...`, loaded by the pages from there, as is);
2. the book's `_build/tools/node_modules/mathjax`, which `polybook assets
   install` and `make mathjax` write (npm);
3. the Python package of polybook's `mathjax` extra (`pip install
   'polybook[mathjax]'`: MathJax 3.2.2's files packaged for pip).

A site whose pages have math (a display equation, `$...$`) and no MathJax from
any of these is not built: PB209 at the first math line, naming the three ways
to get it. A site without math needs no MathJax and is built without it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.render.project import MATHJAX_URL, find_mathjax
from polybook.source.book import Book
from polybook.source.elements import Equation, TokenKind, inlines
from polybook.source.model import Page, TextBlock

MATHJAX_VERSION = "3.2.2"
# the distribution behind `pip install 'polybook[mathjax]'` (its import name: mathjax)
PYTHON_PACKAGE = "django-static-mathjax"
HOW_TO_GET = (
    "get it with `polybook assets install` (npm), or `pip install 'polybook[mathjax]'`, "
    "or name one with --mathjax PATH|URL"
)


class AssetError(Exception):
    """MathJax could not be installed; the message says what to do."""


@dataclass(frozen=True, slots=True)
class MathJax:
    """The MathJax a site uses."""

    script: str  # what the pages load: relative to the site's _static folder, or a URL
    files: Path | None  # the `es5` folder copied into the site; None for a URL
    origin: str  # where it was found, in words


def is_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def python_package() -> Path | None:
    """The `es5` folder of the `mathjax` extra's package, when it is installed."""
    try:
        spec = importlib.util.find_spec("mathjax")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.submodule_search_locations is None:
        return None
    for location in spec.submodule_search_locations:
        found = find_mathjax(Path(location) / "static" / "mathjax")
        if found is not None:
            return found
    return None


def locate(option: str | None, default: Path) -> MathJax | None:
    """The MathJax `--mathjax` names (`option`), else the book's (`default`), else
    the Python package's; None when there is none."""
    if option is not None and is_url(option):
        return MathJax(option, None, option)
    if option is not None:
        found = find_mathjax(Path(option))
        return None if found is None else MathJax(MATHJAX_URL, found, str(found))
    found = find_mathjax(default)
    if found is not None:
        return MathJax(MATHJAX_URL, found, str(found))
    found = python_package()
    if found is not None:
        return MathJax(MATHJAX_URL, found, f"{found} (Python package {PYTHON_PACKAGE})")
    return None


def first_math(pages: Iterable[Page]) -> tuple[str, int] | None:
    """(file, line) of the first display equation or inline math of the pages."""
    for page in sorted(pages, key=lambda p: p.file):
        for block in page.blocks:
            if not isinstance(block, TextBlock) or "$" not in block.text:
                continue
            for element in block.elements:
                if isinstance(element, Equation):
                    return page.file, element.line
                for content in inlines(element):
                    for token in content.tokens:
                        if token.kind is TokenKind.MATH:
                            return page.file, token.line
    return None


def missing(option: str | None, default: str, where: tuple[str, int], context: str) -> Diagnostic:
    """PB209: the site has math (first at `where`) and no MathJax."""
    if option is not None:
        looked = f"--mathjax {option} holds no MathJax 3 (es5/startup.js, es5/input/tex-full.js)"
    else:
        looked = (
            f"no MathJax 3 at {default} nor from the Python package {PYTHON_PACKAGE} "
            "(polybook's mathjax extra)"
        )
    return Diagnostic.make(
        Code.RENDER_NO_MATHJAX,
        where[0],
        where[1],
        f"the site has math (first here) but {looked}; the site is not built: "
        f"{HOW_TO_GET} ({context})",
    )


def not_needed(option: str, context: str) -> Diagnostic:
    """PB207: a --mathjax that names nothing, for a site without math."""
    return Diagnostic.make(
        Code.RENDER_SETUP,
        "(site)",
        0,
        f"--mathjax {option} holds no MathJax 3; the site has no math, so none is needed "
        f"({context})",
    )


def stamp(prefix: Path) -> Path:
    """The file recording which MathJax version `install` put under `prefix`."""
    return prefix / "node_modules" / "mathjax" / f".polybook-{MATHJAX_VERSION}"


def install(prefix: Path, npm: str = "npm") -> tuple[Path, bool]:
    """MathJax MATHJAX_VERSION installed with npm under `prefix` (an npm prefix);
    returns its `es5` folder and whether anything was installed (False: it was
    there already). Raises AssetError, saying what to do, when it cannot."""
    found = find_mathjax(prefix / "node_modules" / "mathjax")
    if found is not None and stamp(prefix).is_file():
        return found, False
    exe = shutil.which(npm)
    if exe is None:
        raise AssetError(
            f"{npm} not found: install npm (e.g. apt-get install npm) and run this again, "
            f"or `pip install 'polybook[mathjax]'` (no npm needed)"
        )
    prefix.mkdir(parents=True, exist_ok=True)
    command = [exe, "install", "--no-audit", "--no-fund", "--loglevel=error"]
    command += ["--prefix", str(prefix), f"mathjax@{MATHJAX_VERSION}"]
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    try:
        run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    except OSError as exc:
        raise AssetError(f"{npm} could not be started: {exc}") from None
    if run.returncode != 0:
        said = (run.stderr.strip() or run.stdout.strip()).splitlines()
        last = said[-1] if said else "no message"
        raise AssetError(
            f"`npm install mathjax@{MATHJAX_VERSION}` failed (exit status {run.returncode}): "
            f"{last}; or `pip install 'polybook[mathjax]'` (no npm needed)"
        )
    found = find_mathjax(prefix / "node_modules" / "mathjax")
    if found is None:
        raise AssetError(
            f"npm finished but {prefix / 'node_modules' / 'mathjax'} holds no MathJax 3"
        )
    stamp(prefix).write_text(f"{MATHJAX_VERSION}\n", encoding="utf-8")
    return found, True


def choose(
    book: Book, option: Path | str | None, pages: Iterable[Page], context: str
) -> tuple[MathJax | None, Diagnostic | None]:
    """The MathJax of a site (`option`: what --mathjax says), and its problem: an
    error (PB209, the site must not be built) when the pages have math and no
    MathJax is found, a warning when --mathjax names nothing for a site without math."""
    named = None if option is None else str(option)
    found = locate(named, book.layout.mathjax)
    if found is not None:
        return found, None
    where = first_math(pages)
    if where is not None:
        default = book.layout.mathjax
        shown = default.relative_to(book.root) if default.is_relative_to(book.root) else default
        return None, missing(named, shown.as_posix(), where, context)
    return None, None if named is None else not_needed(named, context)
