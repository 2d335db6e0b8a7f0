"""`polybook check --changed FILE...` / `--changed-since REF`: check only the
pages a commit or a pull request touches, against the book-wide label index
(what the pre-commit hook and CI run); and `--outputs FILE...`: only the
"outputs in sources" check (`check/outputs.py`), page by page.

Files are paths relative to the current directory (what pre-commit and `git
diff --name-only --relative` give) or absolute. A file that is not a page of
the book (an image, a Python file, a deleted page) is skipped and counted.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from polybook.check.outputs import pasted_outputs
from polybook.check.run import check_book
from polybook.diagnostics import Diagnostic, sort_key
from polybook.source.book import Book
from polybook.source.parser import parse_page


class ChangedError(Exception):
    """The changed files could not be listed (git failed): the message says why."""


@dataclass(slots=True)
class ChangedPages:
    """The pages among some files, per language, and the files that are not pages."""

    pages: dict[str, list[str]] = field(default_factory=dict)  # lang -> pages (sorted)
    skipped: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.pages.values())


def _inside(path: Path, root: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def changed_pages(book: Book, files: Iterable[str], cwd: Path | None = None) -> ChangedPages:
    """Which of `files` are pages of the book, and of which language."""
    base = (cwd or Path.cwd()).resolve()
    sets = {lang: book.page_set(lang).pages for lang in book.config.languages}
    out = ChangedPages()
    for name in files:
        path = (base / name).resolve()
        found = False
        for lang, pages in sets.items():
            rel = _inside(path, book.lang_root(lang).resolve())
            if rel is not None and rel in pages and path.is_file():
                out.pages.setdefault(lang, []).append(rel)
                found = True
                break
        if not found:
            out.skipped.append(name)
    for lang in out.pages:
        out.pages[lang] = sorted(set(out.pages[lang]))
    return out


def files_changed_since(book: Book, ref: str) -> list[str]:
    """Files changed between `ref`'s merge base with HEAD and the working tree
    (committed, staged or not), relative to the book root; deleted ones left out."""
    command = ["git", "-C", str(book.root), "diff", "--name-only", "--relative", "--diff-filter=d"]
    try:
        base = subprocess.run(
            ["git", "-C", str(book.root), "merge-base", ref, "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        listed = subprocess.run([*command, base], capture_output=True, text=True, check=True)
    except FileNotFoundError as exc:
        raise ChangedError("git is not installed") from exc
    except subprocess.CalledProcessError as exc:
        reason = (exc.stderr or "").strip().splitlines()
        raise ChangedError(f"git cannot compare with {ref!r}: {' '.join(reason[-1:])}") from exc
    return [str(book.root / line) for line in listed.stdout.splitlines() if line.strip()]


def check_changed(book: Book, changed: ChangedPages, jobs: int | None = None) -> list[Diagnostic]:
    """The diagnostics of the changed pages, language by language."""
    out: list[Diagnostic] = []
    for lang, rels in changed.pages.items():
        out.extend(check_book(book, lang, jobs, only=frozenset(rels)))
    return sorted(out, key=sort_key)


def check_outputs(book: Book, files: Sequence[str], cwd: Path | None = None) -> list[Diagnostic]:
    """Pasted outputs in the markdown files among `files` (pages or not)."""
    base = (cwd or Path.cwd()).resolve()
    known = tuple(book.config.frameworks)
    out: list[Diagnostic] = []
    for name in files:
        path = (base / name).resolve()
        if path.suffix != ".md" or not path.is_file():
            continue
        shown = _inside(path, book.root) or str(path)
        page = parse_page(path.read_bytes(), lang="", path=shown, file=shown, known=known)
        out.extend(pasted_outputs(page))
    return sorted(out, key=sort_key)
