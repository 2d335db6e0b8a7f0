"""The book: configuration, language roots and pages in book (toc) order."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from polybook.config import BookConfig, ConfigSource, load_book_config
from polybook.diagnostics import Code, Diagnostic
from polybook.globs import PathPatterns
from polybook.layout import BUILD_DIR, BuildLayout
from polybook.source.contain import escape, link_escape, pages_outside
from polybook.source.model import Page
from polybook.source.parser import parse_page

if TYPE_CHECKING:
    from polybook.source.bibliography import BibSource

# Top-level directories of a legacy book that hold no pages (with the library's
# and the framework environments', which the configuration names).
_SKIP_DIRS = {BUILD_DIR, ".git", ".venv", "node_modules", "tests", "tools"}


@dataclass(frozen=True, slots=True)
class PageSet:
    """The pages of a language (posix paths relative to its root, sorted) and
    which of them are non-notebooks (rendered, never split or executed)."""

    pages: tuple[str, ...]
    plain: frozenset[str] = frozenset()
    # pages left out: links to files outside the book (posix path -> why)
    outside: tuple[tuple[str, str], ...] = ()

    @property
    def notebooks(self) -> tuple[str, ...]:
        return tuple(p for p in self.pages if p not in self.plain)


@dataclass(frozen=True, slots=True)
class Book:
    root: Path
    config: BookConfig
    # the configuration file, its key lines and what reading it noticed
    source: ConfigSource = field(default_factory=lambda: ConfigSource(""))

    @classmethod
    def open(cls, root: Path) -> Book:
        config, source = load_book_config(root)
        return cls(root.resolve(), config, source)

    @property
    def layout(self) -> BuildLayout:
        """Where the stages write the book's build outputs."""
        return BuildLayout(self.root, self.config.execute.cache_dir)

    def lang_root(self, lang: str) -> Path:
        if self.config.legacy_layout:
            return self.root
        return self.root / self.config.chapters_dir / lang

    def display(self, lang: str, rel: str) -> str:
        """Path of a page as shown in diagnostics: relative to the book root."""
        prefix = "" if self.config.legacy_layout else f"{self.config.chapters_dir}/{lang}/"
        if _plain(prefix) and _plain(rel):  # what pathlib would make of it, without pathlib
            return prefix + rel
        return (self.lang_root(lang) / rel).relative_to(self.root).as_posix()

    def page_files(self, lang: str) -> list[str]:
        """Every page of a language (posix paths relative to its root), sorted."""
        return list(self.page_set(lang).pages)

    def page_set(self, lang: str) -> PageSet:
        """The pages of a language: `notebooks` patterns (default: every .md file)
        minus `exclusions`, `non_notebooks` and `resources`, plus the
        non-notebooks (minus `exclusions` and `resources`). Within `one_walk()`
        (a command's run) the folder is walked once per book and language."""
        memo = _WALKED.get()
        if memo is None:
            return self._page_set(lang)
        key = (id(self), lang)
        if key not in memo:
            memo[key] = (self, self._page_set(lang))  # the book kept: its id stays its own
        return memo[key][1]

    def _page_set(self, lang: str) -> PageSet:
        base = self.lang_root(lang)
        if not base.is_dir():
            return PageSet(())
        config = self.config
        names = self._markdown_files(base)
        refused = pages_outside(self.root, base, names)
        found = [name for name in names if name not in refused]
        outside = list(refused.items())
        excluded = PathPatterns(config.exclusions, base)
        plain_patterns = self._plain_patterns(lang)
        resources = PathPatterns(config.resources, self.root)
        under = base.relative_to(self.root).as_posix()
        prefix = "" if under == "." else under + "/"  # resources: from the book root
        wanted = PathPatterns(config.notebooks, base)
        notebooks, plain = [], []
        for name in found:
            if excluded.matches(name) or resources.matches(prefix + name):
                continue
            if plain_patterns.matches(name):
                plain.append(name)
            elif not config.notebooks or wanted.matches(name):
                notebooks.append(name)
        return PageSet(tuple(sorted(notebooks + plain)), frozenset(plain), tuple(sorted(outside)))

    def refused_pages(self, lang: str, pages: PageSet | None = None) -> list[Diagnostic]:
        """The pages of `lang` left out because they lead out of the book (PB145);
        `pages`: its page set when the caller has it already (no second walk)."""
        found = self.page_set(lang) if pages is None else pages
        return [
            Diagnostic.make(
                Code.PAGE_OUTSIDE_BOOK,
                self.display(lang, rel),
                1,
                f"page refused: {why}; it is not read, split, executed or published",
                target=rel,
            )
            for rel, why in found.outside
        ]

    def escape(self, lang: str, rel: str, written: str) -> str | None:
        """Why `written`, a path page `rel` of `lang` names (relative to the
        page), leads out of the book; None when it stays inside."""
        base = (self.lang_root(lang) / rel).parent
        return escape(self.root, base, written)

    def is_plain(self, lang: str, rel: str) -> bool:
        """Whether page `rel` (of `page_files(lang)`) is a non-notebook page."""
        return self._plain_patterns(lang).matches(rel)

    def _plain_patterns(self, lang: str) -> PathPatterns:
        return PathPatterns(self.config.non_notebooks, self.lang_root(lang))

    def _markdown_files(self, base: Path) -> list[str]:
        """The .md files below `base` (hidden ones and build outputs left out)."""
        skip = {BUILD_DIR}
        if self.config.legacy_layout:
            env_dir = Path(self.config.execute.env_dir).parts[:1]
            skip |= {*_SKIP_DIRS, self.config.library_dir, *env_dir}
        found: list[str] = []
        for folder, dirs, files in os.walk(base):
            top = folder == str(base)
            dirs[:] = [
                d
                for d in dirs
                if not d.startswith(".") and d != BUILD_DIR and not (top and d in skip)
            ]
            rel = Path(folder).relative_to(base).as_posix()
            prefix = "" if rel == "." else rel + "/"
            found.extend(prefix + f for f in files if f.endswith(".md") and not f.startswith("."))
        return found

    def find_image(self, lang: str, rel: str, path: str) -> tuple[str, Path] | None:
        """(path relative to the book's image roots, file) of an image that page
        `rel` of `lang` shows as `path`; None when it is not a file of the book.

        Looked up in the language's tree, the book root, then the source language.
        """
        if "://" in path or not path or self.escape(lang, rel, path) is not None:
            return None
        found = self._image_file(lang, rel, path)
        if found is None or link_escape(self.root, found[1]) is not None:
            return None  # a link to a file outside the book is no file of it
        return found

    def _image_file(self, lang: str, rel: str, path: str) -> tuple[str, Path] | None:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
        while joined.startswith("../"):
            joined = joined[3:]
        roots = [self.lang_root(lang), self.root, self.lang_root(self.config.source_language)]
        for root in roots:
            candidate = root / joined
            if candidate.is_file():
                return joined, candidate
        return None

    def image_escape(self, lang: str, rel: str, path: str) -> str | None:
        """Why an image that page `rel` of `lang` shows as `path` lies outside
        the book (absolute, climbing out, or a link to elsewhere); None: inside."""
        if "://" in path or not path:
            return None
        why = self.escape(lang, rel, path)
        if why is not None:
            return why
        found = self._image_file(lang, rel, path)
        return None if found is None else link_escape(self.root, found[1])

    def bibliography(self, pages: Iterable[Page]) -> BibSource | None:
        """The book's bibliography file and where it is declared (`source.bibliography`;
        `pages` are looked through for a `:bibliography:` role when none is configured)."""
        from polybook.source.bibliography import book_bibliography

        return book_bibliography(self, pages)

    def read(self, lang: str, rel: str, data: bytes | None = None) -> Page:
        """Page `rel` of `lang`, parsed (`data`: its bytes when the caller has read them)."""
        if data is None:
            data = (self.lang_root(lang) / rel).read_bytes()
        known = self.config.frameworks_for(lang)
        return parse_page(data, lang=lang, path=rel, file=self.display(lang, rel), known=known)


# the page sets walked in the current run (`one_walk`), by book and language
_WALKED: ContextVar[dict[tuple[int, str], tuple[Book, PageSet]] | None] = ContextVar(
    "polybook_page_sets", default=None
)


@contextmanager
def one_walk() -> Iterator[None]:
    """Within: each language's pages are found once (every stage of a run sees
    the same page set, and the folders are walked once). A command's run is
    one (`cli`); `polybook preview` opens one per rebuild, so that it sees
    pages added or removed since the last."""
    token = _WALKED.set({})
    try:
        yield
    finally:
        _WALKED.reset(token)


def _plain(path: str) -> bool:
    """A relative posix path that pathlib leaves as it is."""
    return not (
        "//" in path or "./" in path or "\\" in path or path.startswith(("/", "."))
    ) and not path.endswith((".", "/.."))


def toc_entry_file(entry: str) -> str:
    """The file a toc entry names (entries are written without `.md`)."""
    return entry if entry.endswith(".md") else entry + ".md"


def toc_target(page_path: str, entry: str) -> str:
    """The page a toc entry of `page_path` points to (posix, with .md)."""
    base = posixpath.dirname(page_path)
    return posixpath.normpath(posixpath.join(base, entry)) + ".md"


def page_toc_targets(path: str, page: Page) -> list[str]:
    """The pages (posix, with .md) the toc blocks of `page` at `path` list, in order."""
    return [toc_target(path, e.target) for toc in page.tocs for e in toc.entries]


def book_order(targets: Mapping[str, Sequence[str]], root_page: str = "index.md") -> list[str]:
    """The pages toc blocks reach from the root page, depth first (book order).

    `targets` maps each existing page to the pages its tocs list; an entry
    naming no existing page is skipped, a page reached twice counts once.
    """
    order: list[str] = []
    seen: set[str] = set()
    stack = [root_page]
    while stack:
        path = stack.pop()
        if path in seen or path not in targets:
            continue
        seen.add(path)
        order.append(path)
        stack.extend(reversed(targets[path]))
    return order


def toc_diagnostics(
    pages: dict[str, Page],
    existing: set[str] | None = None,
    escape: Callable[[str, str], str | None] | None = None,
) -> list[Diagnostic]:
    """Toc entries of `pages` that lead out of the book (PB146, with `escape`:
    why a path a page names leads out, `Book.escape`) or point to no page (of
    `existing`, default: `pages`)."""
    known = set(pages) if existing is None else existing
    out: list[Diagnostic] = []
    for path, page in pages.items():
        for toc in page.tocs:
            for entry in toc.entries:
                why = None if escape is None else escape(path, toc_entry_file(entry.target))
                if why is not None:
                    out.append(
                        Diagnostic.make(
                            Code.TOC_OUTSIDE_BOOK,
                            page.file,
                            entry.line,
                            f"toc entry {entry.target!r} refused: {why}",
                            target=entry.target,
                        )
                    )
                elif toc_target(path, entry.target) not in known:
                    out.append(
                        Diagnostic.make(
                            Code.TOC_MISSING_PAGE,
                            page.file,
                            entry.line,
                            f"toc entry {entry.target!r} points to a missing page",
                            target=entry.target,
                        )
                    )
    return out
