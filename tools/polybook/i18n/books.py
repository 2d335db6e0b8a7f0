"""The two sides of a translation: the translated pages and their origin.

In a polybook book both are languages of the same book (`chapters/<lang>/`
and the source language). A d2lbook-layout translation is a book of its own
(its `config.ini`, one language) whose origin is another tree, opened the
same way (`--origin PATH`). Pages are paired by their path relative to the
language root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from polybook.config import ConfigError
from polybook.source.book import Book
from polybook.source.model import Page
from polybook.source.parser import parse_page


class I18nSetupError(Exception):
    """The languages or books cannot be paired (a user-facing message)."""


@dataclass(frozen=True, slots=True)
class Side:
    """One language of one book: where its pages are and how it splits."""

    book: Book
    lang: str
    # how diagnostics show the book's root: "" for the book given with
    # --book, else the origin's path relative to it ("../en/")
    shown_root: str = ""

    @property
    def frameworks(self) -> tuple[str, ...]:
        return self.book.config.frameworks_for(self.lang)

    @property
    def default(self) -> str:
        return self.frameworks[0]

    def pages(self) -> tuple[str, ...]:
        """Every page of the language (notebooks and non-notebooks), sorted."""
        return self.book.page_set(self.lang).pages

    def has(self, rel: str) -> bool:
        return (self.book.lang_root(self.lang) / rel).is_file()

    def read(self, rel: str) -> Page:
        data = self.path(rel).read_bytes()
        return parse_page(
            data, lang=self.lang, path=rel, file=self.display(rel), known=self.frameworks
        )

    def path(self, rel: str) -> Path:
        return self.book.lang_root(self.lang) / rel

    def display(self, rel: str) -> str:
        """The page as diagnostics name it: relative to the translation's book root."""
        return self.shown_root + self.book.display(self.lang, rel)


@dataclass(frozen=True, slots=True)
class Translation:
    target: Side
    origin: Side

    def page_pairs(self) -> list[tuple[str, bool]]:
        """Every page of the origin (in path order) and whether it is translated."""
        return [(rel, self.target.has(rel)) for rel in sorted(self.origin.pages())]

    def extra_pages(self) -> list[str]:
        """Translated pages the origin does not have."""
        origin = set(self.origin.pages())
        return sorted(p for p in self.target.pages() if p not in origin)


def translations(book: Book, lang: str | None, origin: Path | None) -> list[Translation]:
    """The translations to look at: `lang`, or every language but the source one.

    With `origin`, `book` is a one-language translation (a d2lbook
    `config.ini` book) and `origin` the book it translates.
    """
    if origin is not None:
        try:
            source_book = Book.open(origin)
        except ConfigError as exc:
            raise I18nSetupError(f"--origin {origin}: configuration error: {exc}") from None
        target_lang = book.config.source_language
        if lang is not None and lang != target_lang:
            raise I18nSetupError(
                f"--lang {lang}: the translation at {book.root} is in {target_lang!r}"
            )
        shown = os.path.relpath(source_book.root, book.root).replace(os.sep, "/") + "/"
        source = Side(source_book, source_book.config.source_language, shown)
        if source.lang == target_lang:
            raise I18nSetupError(
                f"the translation and its origin are both in {target_lang!r}: set "
                "[project] lang in the translation's config.ini"
            )
        return [Translation(Side(book, target_lang), source)]
    source_lang = book.config.source_language
    known = [code for code in book.config.languages if code != source_lang]
    if lang is not None:
        if lang == source_lang:
            raise I18nSetupError(f"--lang {lang} is the source language: it translates nothing")
        if lang not in book.config.languages:
            raise I18nSetupError(f"unknown language {lang!r} (known: {', '.join(known)})")
        known = [lang]
    if not known:
        raise I18nSetupError("the book has one language; give the origin with --origin PATH")
    source = Side(book, source_lang)
    return [Translation(Side(book, code), source) for code in known]
