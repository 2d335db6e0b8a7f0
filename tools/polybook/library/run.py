"""The library stage: the book's `#@save` code -> `<library_dir>/<module>.py` per framework.

Everything is generated in memory (`generate_library`); writing
(`write_library`) and comparing with the committed files (`stale_files`) are
the only side effects, at the edge.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic, Severity
from polybook.library.assemble import assemble
from polybook.library.capture import has_mark
from polybook.library.collect import PageCollector, library_split
from polybook.library.model import GeneratedFile, LibraryError, LibraryResult, Mode, SavedBlock
from polybook.library.writer import (
    binds_self,
    header_of,
    module_text,
    read_text,
    version_text,
    write_files,
)
from polybook.source.book import Book, book_order, page_toc_targets
from polybook.source.model import Page
from polybook.split.aliases import library_aliases


def library_pages(targets: Mapping[str, Sequence[str]], root: str = "index.md") -> list[str]:
    """Pages reachable from the root page's toc, in book order (`targets`: every
    page and the pages its tocs list). Pages no toc reaches are not part of
    the library."""
    return book_order(targets, root)


def first_party(root: Path) -> frozenset[str]:
    """Module names isort counts as first party when run from the book root."""
    names: set[str] = set()
    for base in (root, root / "src"):
        if base.is_dir():
            for entry in base.iterdir():
                if entry.is_dir():
                    names.add(entry.name)
                elif entry.suffix == ".py":
                    names.add(entry.stem)
    return frozenset(names)


class _Pages:
    """The pages of a language as the stage reads them: every page's bytes; the
    pages that may hold a toc parsed at once (the book order comes from them),
    the others when they are collected. Each page is taken once: its model is
    not kept once its blocks are collected."""

    def __init__(self, book: Book, lang: str, names: tuple[str, ...]) -> None:
        self.book, self.lang = book, lang
        base = book.lang_root(lang)
        self.data = {rel: (base / rel).read_bytes() for rel in names}
        self.tocs = {
            rel: book.read(lang, rel, data) for rel, data in self.data.items() if b"toc" in data
        }

    def targets(self) -> dict[str, list[str]]:
        """Every page and the pages its tocs list."""
        return {
            rel: page_toc_targets(rel, self.tocs[rel]) if rel in self.tocs else []
            for rel in self.data
        }

    def take(self, rel: str) -> Page | None:
        """Page `rel`, parsed, when it has a save mark in a code cell; else None."""
        data = self.data[rel]
        if b"@save" not in data:
            return None
        page = self.tocs.pop(rel, None) or self.book.read(self.lang, rel, data)
        return page if any(has_mark(cell.source) for cell in page.code_cells) else None


def _syntax(text: str, blocks: list[SavedBlock], display: str) -> list[Diagnostic]:
    try:
        ast.parse(text)
        return []
    except SyntaxError as exc:
        # not the exception itself: its traceback would hold the stage's frames
        # (every page read) in a reference cycle
        message, module_line = exc.msg, exc.lineno
    # placed in the first saved block that does not parse on its own, through
    # its line map; else (blocks assembled wrongly) at the module's line
    file, line = display, module_line or 1
    for block in blocks:
        try:
            ast.parse(block.text)
        except SyntaxError as exc:
            file, line = block.file, block.book_line((exc.lineno or 1) - 1)
            break
    return [
        Diagnostic.make(
            Code.SAVED_CODE_SYNTAX,
            file,
            line,
            f"the generated {display} does not parse: {message} (its line {module_line})",
        )
    ]


def book_mode(book: Book) -> Mode:
    """The library mode the book's configuration sets (`library_mode`)."""
    return Mode(book.config.library_mode)


def generate_library(
    book: Book, lang: str | None = None, mode: Mode | None = None
) -> LibraryResult:
    """Every library module and the version file, in memory (`mode`: the
    book's `library_mode` unless given)."""
    config = book.config
    mode = mode if mode is not None else book_mode(book)
    lang = lang or config.source_language
    ordered = config.frameworks_for(lang)
    frameworks = tuple(fw for fw in ordered if config.framework[fw].library)
    package = book.root / config.library_dir
    version_path = book.root / config.version_file
    if not (package / "__init__.py").is_file():
        raise LibraryError(
            f"{config.library_dir}/__init__.py is missing: the library directory must be a "
            'package (create it with a line `__version__ = "..."`); nothing was written'
        )
    old_version = read_text(version_path)
    if old_version is None:
        raise LibraryError(f"version file {config.version_file} is missing; nothing was written")

    page_set = book.page_set(lang)
    pages = _Pages(book, lang, page_set.pages)
    if "index.md" not in pages.data:
        where = book.display(lang, "index.md")
        raise LibraryError(
            f"{where} is missing: the book order starts at its toc; nothing was written"
        )
    order = library_pages(pages.targets())
    library = config.library_dir
    collector = PageCollector(frameworks, mode, first_party(book.root), library)
    result = LibraryResult()
    result.diagnostics.extend(book.refused_pages(lang, page_set))  # links out: not collected
    saved: dict[str, list[SavedBlock]] = {fw: [] for fw in frameworks}
    plain = page_set.plain  # non-notebook pages: never collected (d2lbook)
    for rel in order:
        page = None if rel in plain else pages.take(rel)
        if page is None:
            continue
        per_fw, diagnostics = collector.collect(page, library_split(page, ordered, mode))
        result.diagnostics.extend(diagnostics)
        for fw, blocks in per_fw.items():
            saved[fw].extend(blocks)
    collected = set(order) | plain
    for rel in pages.data:
        page = None if rel in collected else pages.take(rel)
        if page is not None:
            result.diagnostics.append(
                Diagnostic.make(
                    Code.SAVE_OUTSIDE_TOC,
                    page.file,
                    1,
                    "no toc reaches this page: its #@save code is not in the library",
                )
            )

    for fw in frameworks:
        fw_config = config.framework[fw]
        path = package / f"{fw_config.module}.py"
        display = path.relative_to(book.root).as_posix()
        old = read_text(path)
        chunks, diagnostics = assemble([(b.text, b) for b in saved[fw]], mode, library)
        result.diagnostics.extend(diagnostics)
        header = header_of(old)
        text = module_text(header, mode, chunks, library_aliases(fw_config), library)
        result.diagnostics.extend(_syntax(text, saved[fw], display))
        if f"{library}." in text and not binds_self(text, library):
            result.diagnostics.append(
                Diagnostic.make(
                    Code.LIBRARY_NO_SELF,
                    display,
                    1,
                    f"the library uses `{library}.` but never binds `{library}` (save "
                    f"`{library} = sys.modules[__name__]`, or use --clean, which adds it)",
                )
            )
        result.files.append(GeneratedFile(path, text, old))
        result.modules[fw] = text
        result.saved[fw] = saved[fw]
    result.files.append(
        GeneratedFile(version_path, version_text(old_version, config.release), old_version)
    )
    if "__version__" not in old_version:
        result.diagnostics.append(
            Diagnostic.make(
                Code.VERSION_NOT_SET,
                config.version_file,
                1,
                f"no `__version__` line: release {config.release} is not recorded "
                f'(add `__version__ = "{config.release}"`)',
            )
        )
    # a cell or class shared by several frameworks reports its problem once
    result.diagnostics = list(dict.fromkeys(result.diagnostics))
    return result


def write_library(result: LibraryResult) -> list[Path]:
    """Write the files that changed (all or none, each atomically); returns their
    paths. A result with an error diagnostic (a module that does not parse, PB192;
    a method for an unknown class, PB193) writes nothing: `LibraryError`."""
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise LibraryError(
            f"{len(errors)} error{'s' if len(errors) > 1 else ''} in the saved code "
            f"(first: {errors[0].file}:{errors[0].line} {errors[0].code}); nothing was written"
        )
    return write_files(result.files)


def stale_files(result: LibraryResult) -> list[GeneratedFile]:
    return [f for f in result.files if f.changed]
