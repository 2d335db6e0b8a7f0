"""Where the library definitions that explanations name are defined: the
book page and line that save them (`library.sites`), when the module on disk
is what the book generates; else their line in the module itself. The
library is generated in memory once per run, and only when a library change
has to be named."""

from __future__ import annotations

from polybook.execute.explain import Library
from polybook.execute.libdeps import LibIndex
from polybook.library.sites import Site, definition_sites
from polybook.source.book import Book


class SiteFinder:
    def __init__(self, book: Book) -> None:
        self.book = book
        self._sites: dict[str, dict[str, Site]] | None = None

    def _book_sites(self) -> dict[str, dict[str, Site]]:
        if self._sites is None:
            from polybook.library.model import LibraryError
            from polybook.library.run import generate_library

            self._sites = {}
            try:
                result = generate_library(self.book)
            except (LibraryError, OSError, ValueError):
                return self._sites
            stale = {f.path for f in result.files if f.changed}
            library_dir = self.book.root / self.book.config.library_dir
            for fw, blocks in result.saved.items():
                module = self.book.config.framework[fw].module
                if library_dir / f"{module}.py" not in stale:
                    self._sites[fw] = definition_sites(blocks, self.book.config.library_dir)
        return self._sites

    def library(self, framework: str, index: LibIndex) -> Library:
        config = self.book.config
        display = f"{config.library_dir}/{config.framework[framework].module}.py"

        def find(name: str) -> Site | None:
            found = self._book_sites().get(framework, {}).get(name)
            if found is not None:
                return found
            line = index.lines.get(name)
            return (display, line) if line else None

        return Library(index, config.library_dir, find)
