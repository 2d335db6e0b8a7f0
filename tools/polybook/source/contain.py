"""Nothing escapes the book root.

A page, an image, a toc entry, the bibliography or a file an `eval_rst`
directive reads is used only when it lies inside the book's root folder,
after `..` and symbolic links are followed. Whatever leads out is refused
(PB145-PB149): check reports it, and no build reads or publishes it.
The stages ask here; nothing else decides what is inside.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from polybook.source import grammar
from polybook.source.elements import Fence


def is_url(written: str) -> bool:
    return "://" in written


def within(root: Path, path: Path) -> bool:
    """Whether `path` (absolute, normalised) is `root` or below it."""
    return path == root or root in path.parents


def escape(root: Path, base: Path, written: str) -> str | None:
    """Why `written`, a path that a file in folder `base` names, leads out of
    the book at `root`; None when it stays inside. URLs are not paths."""
    if is_url(written):
        return None
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).drive:
        return "an absolute path"
    return path_escape(root, base / written)


def path_escape(root: Path, path: Path) -> str | None:
    """Why the file at `path` (absolute) lies outside the book at `root`: the
    path leads out, or a symbolic link on its way does; None: it stays inside."""
    lexical = Path(os.path.normpath(path))
    if not within(root, lexical):
        return "the path leads out of the book"
    return link_escape(root, lexical)


def link_escape(root: Path, path: Path) -> str | None:
    """Why the file at `path` (inside the book as written) is read from outside
    the book: a symbolic link, or a folder on its way that is one, to elsewhere."""
    real = path.resolve()
    return None if within(root.resolve(), real) else f"a link to {real}, outside the book"


def pages_outside(root: Path, base: Path, names: list[str]) -> dict[str, str]:
    """Of the files `names` found below `base` by a walk that does not enter
    linked folders: those read from outside the book at `root`, with why.
    `base` is resolved once; a file is resolved only when it is a link."""
    real_root = root.resolve()
    real_base = base.resolve()
    if not within(real_root, real_base):
        why = f"a link to {real_base}, outside the book"
        return {name: why for name in names}
    out: dict[str, str] = {}
    for name in names:
        path = base / name
        if os.path.islink(path):
            real = path.resolve()
            if not within(real_root, real):
                out[name] = f"a link to {real}, outside the book"
    return out


@dataclass(frozen=True, slots=True)
class RstPath:
    """A file (or URL) that a directive of an `eval_rst` block reads."""

    directive: str
    value: str
    line: int
    url: bool = False  # a `:url:` option: read from the network at build time

    def shown(self) -> str:
        option = "url" if self.url else "file"
        if self.directive in grammar.RST_FILE_DIRECTIVES:
            return f".. {self.directive}:: {self.value}"
        return f".. {self.directive}:: :{option}: {self.value}"


def rst_paths(fence: Fence) -> list[RstPath]:
    """The files and URLs the directives of an `eval_rst` block read: the
    argument of `include`, `literalinclude`, `image` and `figure`, and the
    `:file:`/`:url:` options of any directive (`raw`, `csv-table`), in order.
    `<name>` (docutils' standard include files) is not a file of anyone's."""
    found: list[RstPath] = []
    directive: str | None = None
    indent = 0
    for text, line in fence.body:
        if not text.strip():
            directive = None  # options come right after their directive
            continue
        match = grammar.RST_DIRECTIVE.match(text)
        if match is not None:
            directive, indent = match.group("name"), len(match.group("indent"))
            arg = (match.group("arg") or "").strip()
            if directive in grammar.RST_FILE_DIRECTIVES and arg and not arg.startswith("<"):
                found.append(RstPath(directive, arg, line))
            continue
        option = grammar.RST_OPTION.match(text)
        if directive is None or option is None or len(option.group("indent")) <= indent:
            continue
        name, value = option.group("name"), (option.group("value") or "").strip()
        if name in grammar.RST_FILE_OPTIONS and value:
            found.append(RstPath(directive, value, line, url=name == "url"))
    return found


def rst_escape(item: RstPath, escape: Callable[[str], str | None]) -> str | None:
    """Why a file an `eval_rst` directive reads lies outside the book (None:
    inside); `escape`: why a path the page names leads out (`Book.escape`)."""
    if item.url or is_url(item.value):
        return "a URL, read from the network at build time"
    return escape(item.value)
