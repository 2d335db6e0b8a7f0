"""`build_notebooks(book, lang, frameworks)`: the notebooks readers get.

For each framework, one notebook per page that has one (the split notebook,
with the executed outputs when `polybook execute` has run and `[reader]
outputs` is on), written to `_build/notebooks/<lang>/<framework>/<page>.ipynb`
with the images it shows beside it (at their path in the book, so
`../img/x.svg` still works), and all of them zipped into
`_build/notebooks/<lang>/<framework>.zip`.

Each notebook:
* starts with an install cell: `%pip install` of the book's library at its
  release (`[reader] install`) and the page's `required_libs`, inside
  `if not os.environ.get("POLYBOOK_NO_INSTALL"):` so that an environment
  that has them (CI, the book's own framework environments, offline) runs
  the notebook with that variable set and installs nothing;
* has markdown a reader's Jupyter shows (`reader/markdown.py`: no roles);
* has code without `#@save` marks (`[reader] keep_save_marks` keeps them).

Output is deterministic: cell ids from positions, sorted JSON keys, zip
entries sorted with a fixed date.
"""

from __future__ import annotations

import json
import posixpath
import shlex
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polybook.diagnostics import Diagnostic, sort_key
from polybook.library.capture import MARK as SAVE_MARK
from polybook.reader.cite import citation_texts
from polybook.reader.markdown import Context, Target, convert, plain_title
from polybook.render.i18n import Words, words_for
from polybook.render.inputs import Inputs, PageSource, site_pages
from polybook.source.book import Book
from polybook.source.model import Label, LabelKind, Page
from polybook.split.model import Cell, CellKind, Notebook

INSTALL_VAR = "POLYBOOK_NO_INSTALL"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(slots=True)
class ReaderResult:
    lang: str
    out: Path  # _build/notebooks/<lang>
    notebooks: dict[str, list[str]] = field(default_factory=dict)  # framework -> paths
    zips: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def install_source(packages: Sequence[str]) -> str:
    """The first cell: install what the notebook needs, unless POLYBOOK_NO_INSTALL is set."""
    quoted = " ".join(shlex.quote(p) for p in packages)
    return (
        "# Install what this notebook needs (Colab, a fresh environment). Where it is\n"
        f"# installed already, set {INSTALL_VAR}=1 and this cell does nothing.\n"
        "import os\n"
        "\n"
        f'if not os.environ.get("{INSTALL_VAR}"):\n'
        f"    %pip install -q {quoted}"
    )


def strip_save_marks(source: str) -> str:
    """Code without `#@save` marks: a line that is only a mark goes, a trailing one is cut."""
    out: list[str] = []
    for line in source.split("\n"):
        if SAVE_MARK.search(line) is None:
            out.append(line)
            continue
        kept = SAVE_MARK.sub("", line).rstrip()
        if kept.strip():
            out.append(kept)
    return "\n".join(out)


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head if dot else text.rstrip(".")


def _label_texts(label: Label, words: Words) -> tuple[str, str]:
    """(what a :numref:/:eqref: shows, what a :ref: shows) for a label: the
    language's word for its kind and its title or caption's first sentence
    (numbers are Sphinx's, given by the site only)."""
    title = plain_title(label.title, label.line) if label.title else ""
    if label.kind is LabelKind.EQUATION:
        return words.equation.format(number=label.name), label.name
    forms = {
        LabelKind.SECTION: words.section,
        LabelKind.FIGURE: words.figure,
        LabelKind.TABLE: words.table,
    }
    form = forms.get(label.kind)
    if form is None or not title:
        return title or label.name, title or label.name
    short = _first_sentence(title) if label.kind is not LabelKind.SECTION else title
    return form.replace("%s", f"“{short}”"), title


@dataclass(slots=True)
class _Book:
    """What every page's conversion shares: parsed pages, labels, citations."""

    book: Book
    lang: str
    words: Words
    sources: list[PageSource]
    parsed: dict[tuple[str, str], Page] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    cites: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, book: Book, lang: str) -> _Book:
        from docutils.nodes import make_id

        words = words_for(lang)
        shared = cls(book, lang, words, [])
        shared.sources = site_pages(book, lang, shared.read)
        for page in shared.sources:
            parsed = shared.read(page.lang, page.rel)
            if parsed.title:
                shared.titles[page.docname] = plain_title(parsed.title, 1)
            for label in parsed.labels:
                if label.name not in shared.targets:
                    text, title = _label_texts(label, words)
                    anchor = make_id(label.name)
                    target = Target(page.docname, anchor, text, title, label.kind)
                    shared.targets[label.name] = target
        source = book.bibliography(shared.parsed.values())
        shared.cites = citation_texts(None if source is None else source.path, words.and_two)
        return shared

    def read(self, lang: str, rel: str) -> Page:
        key = (lang, rel)
        if key not in self.parsed:
            self.parsed[key] = self.book.read(lang, rel)
        return self.parsed[key]


class _Writer:
    """The reader notebooks of one framework, written under `out`."""

    def __init__(self, shared: _Book, framework: str, out: Path) -> None:
        self.shared = shared
        self.framework = framework
        self.out = out
        self.settings = shared.book.config.reader
        self.diagnostics: list[Diagnostic] = []

    def site_page(self, docname: str) -> str | None:
        base = self.settings.site_url
        if not base:
            return None
        root = base.format(lang=self.shared.lang, framework=self.framework).rstrip("/")
        return f"{root}/{docname}.html"

    def context(self, page: PageSource) -> Context:
        book = self.shared.book
        folder = posixpath.dirname(page.docname)

        def image(path: str) -> str | None:
            found = book.find_image(page.lang, page.rel, path)
            if found is None:
                return None
            rel, file = found
            target = self.out / rel
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
            return posixpath.relpath(rel, folder or ".")

        def cite(key: str) -> str | None:
            return self.shared.cites.get(key)

        return Context(
            file=page.file,
            docname=page.docname,
            targets=self.shared.targets,
            cite=cite,
            image=image,
            site_page=self.site_page,
            titles=self.shared.titles,
            and_two=self.shared.words.and_two,
            keep_slide_marks=self.settings.keep_slide_marks,
        )

    def packages(self, nb: Notebook) -> list[str]:
        config = self.shared.book.config
        values = {"library": config.library_dir, "release": config.release}
        found = [p.format(**values) for p in self.settings.install]
        return [*found, *(lib for lib in nb.required_libs if lib not in found)]

    def cells(self, page: PageSource, nb: Notebook) -> list[dict[str, Any]]:
        parsed = self.shared.read(page.lang, page.rel)
        ctx = self.context(page)
        out: list[dict[str, Any]] = [_code(install_source(self.packages(nb)), "install")]
        for cell in nb.cells:
            if cell.kind is CellKind.MARKDOWN:
                converted = convert(parsed.elements_at(frozenset(cell.lines)), ctx)
                self.diagnostics.extend(converted.diagnostics)
                if converted.text.strip():
                    out.append(_markdown(converted.text, f"md-L{cell.line}"))
                continue
            out.append(self.code(cell))
        return out

    def code(self, cell: Cell) -> dict[str, Any]:
        source = cell.source
        if not self.settings.keep_save_marks:
            source = strip_save_marks(source)
        data = _code(source, f"code-L{cell.line}")
        if self.settings.outputs and cell.outputs:
            data["outputs"] = [dict(o) for o in cell.outputs]
            data["execution_count"] = cell.execution_count
        return data

    def write(self, page: PageSource, nb: Notebook) -> str:
        rel = page.docname + ".ipynb"
        document = {
            "cells": self.cells(page, nb),
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python"},
                "polybook": {"page": page.file, "framework": self.framework, "lang": page.lang},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        return rel


def _code(source: str, cell_id: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": {},
        "outputs": [],
        "source": source,
    }


def _markdown(source: str, cell_id: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


def _zip(folder: Path, target: Path) -> None:
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    tmp.replace(target)


def build_notebooks(book: Book, lang: str, frameworks: Sequence[str]) -> ReaderResult:
    """The reader notebooks of `lang` for each of `frameworks` (from the split
    notebooks as they are: whoever calls this splits first)."""
    shared = _Book.of(book, lang)
    inputs = Inputs.of(book)
    root = book.layout.reader(lang)
    result = ReaderResult(lang, root)
    seen: set[tuple[str, str, int, str]] = set()
    for fw in frameworks:
        staging = root / f".{fw}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        writer = _Writer(shared, fw, staging)
        written: list[str] = []
        for page in shared.sources:
            if page.plain:
                continue
            nb, _ = inputs.load(page, fw)
            if nb is not None:
                written.append(writer.write(page, nb))
        for d in writer.diagnostics:  # the same prose converts once per framework
            key = (d.code, d.file, d.line, d.target or d.message)
            if key not in seen:
                seen.add(key)
                result.diagnostics.append(d)
        final = root / fw
        shutil.rmtree(final, ignore_errors=True)
        staging.replace(final)
        _zip(final, root / f"{fw}.zip")
        result.notebooks[fw] = written
        result.zips[fw] = root / f"{fw}.zip"
    result.diagnostics.sort(key=sort_key)
    return result
