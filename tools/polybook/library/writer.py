"""Library file text, the version file, and the edges: atomic writes and diffs.

A library module is: the hand-written header (the existing file's text above
the WARNING banner, verbatim; nothing when the file or the banner is absent),
the banner and its three comment lines, the saved blocks separated by a blank
line, then the framework's aliases.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from polybook.library.model import GeneratedFile, Mode
from polybook.split.aliases import ALIAS_BANNER

BANNER = "#################   WARNING   ################"
# compat: the old banner, byte for byte; clean: the command that writes the file
_COMMAND = {Mode.COMPAT: "d2lbook build lib", Mode.CLEAN: "polybook lib"}


def self_binding(library: str) -> str:
    """The lines that bind a module of `library` to the name `library` (itself)."""
    return f"import sys\n\n{library} = sys.modules[__name__]\n\n"


def read_text(path: Path) -> str | None:
    """A file's text with universal newlines (as Python's text mode reads it)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def header_of(old: str | None) -> str:
    """The hand-written part of an existing library file."""
    if not old:
        return ""
    lines = old.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() == BANNER:
            return "".join(lines[:i])
    return ""


def banner(mode: Mode) -> str:
    return (
        f"{BANNER}\n"
        "# The below part is generated automatically through:\n"
        f"#    {_COMMAND[mode]}\n"
        "# Don't edit it directly\n\n"
    )


def binds_self(text: str, library: str) -> bool:
    """Whether module text binds `library` at top level (to itself, by convention)."""
    lib = re.escape(library)
    pattern = rf"^(?:{lib}\s*=|import\s+{lib}\b|from\s+{lib}\s+import\s+\w+\s+as\s+{lib}\b)"
    return re.search(pattern, text, re.MULTILINE) is not None


def module_text(header: str, mode: Mode, chunks: list[str], aliases: str, library: str) -> str:
    """A module of `library` (the name its code uses for the library)."""
    body = "\n\n".join(chunks)
    binding = ""
    if mode is Mode.CLEAN and f"{library}." in body and not binds_self(header + body, library):
        binding = self_binding(library)
    text = header + banner(mode) + binding + body
    if aliases:
        text += f"\n\n\n{ALIAS_BANNER}\n{aliases}\n\n"
    elif mode is Mode.CLEAN:
        text += "\n"
    return text


def version_text(old: str, release: str) -> str:
    lines = old.split("\n")
    return "\n".join(
        f'__version__ = "{release}"' if "__version__" in line else line for line in lines
    )


def write_files(files: list[GeneratedFile]) -> list[Path]:
    """Write the changed files: every temporary file first, then rename them
    all into place; on an error nothing is left half-written."""
    changed = [f for f in files if f.changed]
    temps: list[tuple[Path, Path]] = []
    target = None
    try:
        for f in changed:
            target = f.path
            f.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = f.path.with_name(f".{f.path.name}.{os.getpid()}.tmp")
            temps.append((tmp, f.path))
            with tmp.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(f.text)
        for tmp, path in temps:
            target = path
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        # the error names the library file, never its temporary file
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc
    return [path for _, path in temps]


def diff(file: GeneratedFile, root: Path, context: int = 2) -> list[str]:
    """Unified diff of a file from its current content to the generated one."""
    name = file.path.relative_to(root).as_posix()
    new = file.text.splitlines(keepends=True)
    lines: Iterable[str]
    if file.old is None:  # every line is added: nothing to match
        lines = _added(f"{name} (missing)", f"{name} (generated)", new)
    else:
        import difflib  # `lib --check` alone shows diffs

        old = file.old.splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, name, f"{name} (generated)", n=context)
    return [
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    ]


def _added(label: str, generated: str, new: list[str]) -> list[str]:
    """The unified diff (as difflib writes it) of a file that does not exist yet."""
    if not new:
        return []
    span = "1" if len(new) == 1 else f"1,{len(new)}"
    return [f"--- {label}\n", f"+++ {generated}\n", f"@@ -0,0 +{span} @@\n"] + [
        "+" + line for line in new
    ]
