"""Loading the configuration: `_config/book.toml`, or a legacy `config.ini`."""

from __future__ import annotations

import configparser
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from polybook.config.model import BookConfig

CONFIG_FILE = Path("_config") / "book.toml"
LEGACY_FILE = Path("config.ini")


class ConfigError(Exception):
    """A configuration problem, naming the file and the key."""

    def __init__(self, file: Path, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}")
        self.file = file
        self.key = key
        self.message = message


def load_config(root: Path) -> BookConfig:
    """The book's configuration: `_config/book.toml`, else a legacy `config.ini`."""
    path = root / CONFIG_FILE
    if path.is_file():
        return _load_toml(path)
    legacy = root / LEGACY_FILE
    if legacy.is_file():
        return _load_legacy(legacy)
    raise ConfigError(path, "(file)", f"no {CONFIG_FILE} or {LEGACY_FILE} in {root}")


def _describe(err: Mapping[str, Any]) -> tuple[str, str]:
    key = ".".join(str(p) for p in err["loc"]) or "(top level)"
    kind = err["type"]
    if kind == "missing":
        return key, "missing required key"
    if kind == "extra_forbidden":
        return key, "unknown key"
    return key, str(err["msg"])


def _validate(path: Path, data: dict[str, Any]) -> BookConfig:
    try:
        return BookConfig.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(err) for err in exc.errors()]
        key, message = problems[0]
        if len(problems) > 1:
            message += "; also " + "; ".join(f"{k}: {m}" for k, m in problems[1:])
        raise ConfigError(path, key, message) from None


def _load_toml(path: Path) -> BookConfig:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "(syntax)", str(exc)) from None
    book = raw.pop("book", None)
    if not isinstance(book, dict):
        raise ConfigError(path, "book", "missing required table [book]")
    data: dict[str, Any] = dict(book)
    for table in ("framework", "languages", "execute", "render"):
        if table in raw:
            data[table] = raw.pop(table)
    if raw:
        raise ConfigError(path, sorted(raw)[0], "unknown table")
    return _validate(path, data)


def _split_items(value: str, sep: str) -> tuple[str, ...]:
    if sep == "\n":
        parts = value.splitlines()
    elif sep == " ":
        parts = value.split()
    elif sep == ",\n":  # alias tables: an item per comma or per line, like d2lbook
        parts = [p for line in value.splitlines() for p in line.split(",")]
    else:
        parts = value.replace("\n", " ").split(",")
    return tuple(p.strip() for p in parts if p.strip())


def _alias_lines(value: str) -> tuple[str, ...]:
    """The `alias` table: its lines, blank lines inside kept (they are written out)."""
    return tuple(line.strip() for line in value.strip().splitlines())


def _load_legacy(path: Path) -> BookConfig:
    """An existing book's `config.ini`, read as a one-language book."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(path, "(syntax)", str(exc)) from None
    tabs = _split_items(parser.get("build", "tabs", fallback=""), ",")
    if not tabs:
        tabs = ("mxnet",)
    lang = parser.get("project", "lang", fallback="en").strip() or "en"
    title = parser.get("project", "title", fallback="") or parser.get(
        "project", "name", fallback="book"
    )
    frameworks: dict[str, Any] = {}
    packages: list[str] = []  # the directories of the declared library files
    for i, fw in enumerate(tabs):
        # d2lbook reads `[library-<fw>]`; a default framework may also be
        # described in `[library]` itself.
        section = f"library-{fw}"
        if not parser.has_section(section) and i == 0 and parser.has_option("library", "lib_file"):
            section = "library"
        sec = parser[section] if parser.has_section(section) else None
        default = f"{BookConfig.model_fields['library_dir'].default}/{fw}.py"
        lib_file = sec.get("lib_file", default) if sec else default
        if sec is not None and "lib_file" in sec:
            packages.append(Path(lib_file).parent.as_posix())
        module = Path(lib_file).stem
        entry: dict[str, Any] = {
            "display_name": fw,
            "module": module,
            "lib_name": (sec.get("lib_name", module) if sec else module).strip(),
            "library": sec is not None,
        }
        if sec is not None:
            for key, sep in (
                ("simple_alias", ",\n"),
                ("fluent_alias", ",\n"),
                ("args_alias", "\n"),
                ("reverse_alias", "\n"),
            ):
                if key in sec:
                    entry[key] = _split_items(sec[key], sep)
            if "alias" in sec:
                entry["alias"] = _alias_lines(sec["alias"])
        frameworks[fw] = entry
    library = parser["library"] if parser.has_section("library") else None
    data: dict[str, Any] = {
        "title": title.strip(),
        "release": parser.get("project", "release", fallback="0.0.0").strip() or "0.0.0",
        "author": parser.get("project", "author", fallback="").strip(),
        "source_language": lang,
        "chapters_dir": ".",
        "bibliography": parser.get("build", "bibfile", fallback="references.bib").strip()
        or "references.bib",
        "frameworks": tabs,
        "framework": frameworks,
        "languages": {lang: {"name": lang, "title": title.strip()}},
        "exclusions": _split_items(parser.get("build", "exclusions", fallback=""), " "),
        "legacy_layout": True,
    }
    # the library package is where the library files are (default: the model's)
    package = next((p for p in packages if p.isidentifier()), None)
    if package is not None:
        data["library_dir"] = package
    version_file = library.get("version_file", "").strip() if library else ""
    if version_file:
        data["version_file"] = version_file
    return _validate(path, data)
