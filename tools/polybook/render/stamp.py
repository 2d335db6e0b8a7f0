"""The stamp of a built site: what it was built from, so that a build with
nothing to do costs a few thousand `stat` calls instead of a Sphinx run.

A site is built from the book's pages (its language's and the source
language's), their split and executed notebooks in every framework, the
configuration, the command's site arguments, the toolchain (polybook's own
files and the versions of the Sphinx packages), and the files the build copies
into the site (images, bibliography, MathJax, the book's static files: every
`Tree.copy`), with the places where a missing image was looked for. The
digests cover each file's path, size and modification time (an absent file
counts too). The stamp is written after a complete build and removed
before any other; a site is reused only when its digest is unchanged and
every page it wrote (and its static files and search index) is still there.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import polybook
from polybook.diagnostics import Diagnostic
from polybook.files import write_atomic
from polybook.graph import site_languages
from polybook.source.book import Book

STAMP = "stamp.json"
_FORMAT = 1
# the packages whose version changes the HTML of a site
_PACKAGES = (
    "sphinx",
    "docutils",
    "myst-nb",
    "myst-parser",
    "sphinx-book-theme",
    "pydata-sphinx-theme",
    "sphinx-design",
    "sphinxcontrib-bibtex",
)

Lookup = tuple[str, str, str]  # (language, page, image path as written)


def _stat(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}\t-"
    return f"{path}\t{st.st_size}\t{st.st_mtime_ns}"


def _toolchain() -> list[str]:
    package = Path(polybook.__file__).resolve().parent
    lines = [_stat(path) for path in sorted(package.rglob("*")) if path.suffix in (".py", ".html")]
    for name in _PACKAGES:
        try:
            lines.append(f"{name}\t{metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name}\t-")
    return lines


def site_digest(book: Book, lang: str, site: str, mathjax: object, more: Iterable[str] = ()) -> str:
    """Digest of the inputs of the site of `lang`/`site` known before it is built:
    the command's arguments, the configuration, the pages and their notebooks,
    the toolchain (the files copied into the site are `files_digest`'s), and
    `more` (the sites its switchers link to)."""
    lines = [f"format {_FORMAT}", f"site {lang} {site} {mathjax!r}", *more]
    lines.append(book.config.model_dump_json())
    layout = book.layout
    for each in site_languages(book, lang):
        root = book.lang_root(each)
        for rel in book.page_files(each):
            lines.append(_stat(root / rel))
            notebook = rel[: -len(".md")] + ".ipynb"
            for fw in book.config.frameworks_for(each):
                lines.append(_stat(layout.split(each) / fw / notebook))
                lines.append(_stat(layout.executed(each) / fw / notebook))
    lines += _toolchain()
    return _digest(lines)


def files_digest(book: Book, files: Iterable[str], lookups: Iterable[Lookup]) -> str:
    """Digest of the files a build copied into the site (images, bibliography,
    MathJax, the book's static files) and of what the pages' image paths
    resolve to (an image added where a page looked for it changes it)."""
    lines = [_stat(Path(name)) for name in sorted(set(files))]
    for lang, rel, path in sorted(set(lookups)):
        found = book.find_image(lang, rel, path)
        lines.append(f"{lang}\t{rel}\t{path}\t" + ("-" if found is None else str(found[1])))
    return _digest(lines)


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Stamp:
    digest: str  # site_digest
    files_digest: str  # files_digest of `files` and `lookups`
    files: list[str] = field(default_factory=list)  # copied into the site
    lookups: list[Lookup] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # docnames written
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        book: Book,
        digest: str,
        files: Iterable[Path],
        lookups: Iterable[Lookup],
        pages: Iterable[str],
        diagnostics: list[Diagnostic],
    ) -> Stamp:
        names = sorted({str(f) for f in files})
        found = sorted(set(lookups))
        return cls(
            digest, files_digest(book, names, found), names, found, sorted(pages), diagnostics
        )

    @classmethod
    def load(cls, path: Path) -> Stamp | None:
        try:
            data = json.loads(path.read_text("utf-8"))
            return cls(
                str(data["digest"]),
                str(data["files_digest"]),
                [str(f) for f in data["files"]],
                [(str(a), str(b), str(c)) for a, b, c in data["lookups"]],
                [str(p) for p in data["pages"]],
                [Diagnostic.from_json(d) for d in data["diagnostics"]],
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, path: Path) -> None:
        data = {
            "digest": self.digest,
            "files_digest": self.files_digest,
            "files": self.files,
            "lookups": self.lookups,
            "pages": self.pages,
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }
        write_atomic(path, json.dumps(data, indent=0, sort_keys=True) + "\n")

    def current(self, book: Book, digest: str, out: Path) -> bool:
        """Whether the site in `out` is what a build from the present inputs gives."""
        return (
            self.digest == digest
            and (out / "_static").is_dir()
            and (out / "searchindex.js").is_file()
            and all((out / f"{page}.html").is_file() for page in self.pages)
            and self.files_digest == files_digest(book, self.files, self.lookups)
        )
