"""Loading the configuration: `_config/book.toml`, or a legacy `config.ini`."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from polybook.config.model import BookConfig
from polybook.config.source import ConfigSource, missing_files, toml_lines
from polybook.diagnostics import Diagnostic, sort_key

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
    return load_book_config(root)[0]


def load_book_config(root: Path) -> tuple[BookConfig, ConfigSource]:
    """The book's configuration and where it came from (key lines, diagnostics:
    keys not honoured, values that cannot be used)."""
    path = root / CONFIG_FILE
    legacy = root / LEGACY_FILE
    if path.is_file():
        config, source = _load_toml(path)
    elif legacy.is_file():
        config, source = _load_legacy(root, legacy)
    else:
        raise ConfigError(path, "(file)", f"no {CONFIG_FILE} or {LEGACY_FILE} in {root}")
    notes = sorted([*source.diagnostics, *_site_files(root, config, source)], key=sort_key)
    return config, ConfigSource(source.file, source.lines, tuple(notes))


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


def _load_toml(path: Path) -> tuple[BookConfig, ConfigSource]:
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "(syntax)", str(exc)) from None
    book = raw.pop("book", None)
    if not isinstance(book, dict):
        raise ConfigError(path, "book", "missing required table [book]")
    data: dict[str, Any] = dict(book)
    for table in ("framework", "languages", "execute", "html", "render", "api"):
        if table in raw:
            data[table] = raw.pop(table)
    if "pdf" in raw:  # polybook build pdf (config/pdf.py)
        data["pdf"] = raw.pop("pdf")
    if "reader" in raw:  # polybook build notebooks (reader/)
        data["reader"] = raw.pop("reader")
    if raw:
        raise ConfigError(path, sorted(raw)[0], "unknown table")
    return _validate(path, data), ConfigSource(CONFIG_FILE.as_posix(), toml_lines(text))


def _site_files(root: Path, config: BookConfig, source: ConfigSource) -> list[Diagnostic]:
    html = config.html
    files = {
        ("html.favicon",): (html.favicon,) if html.favicon else (),
        ("html.html_logo", "html.logo"): (html.logo,) if html.logo else (),
        ("html.include_css", "html.css"): html.css,
        ("html.include_js", "html.js"): html.js,
    }
    resources: dict[tuple[str, ...], tuple[str, ...]] = {
        ("build.resources", "book.resources"): config.resources
    }
    return missing_files(root, source, files) + missing_files(root, source, resources, True)


def _load_legacy(root: Path, path: Path) -> tuple[BookConfig, ConfigSource]:
    """An existing d2lbook book's `config.ini`, read as a one-language book."""
    # imported here: a book with a book.toml has no use for the ini reader
    from polybook.config.d2lbook import IniError, read_config_ini

    try:
        data, source = read_config_ini(root, path)
    except IniError as exc:
        raise ConfigError(path, exc.key, exc.message) from None
    return _validate(path, data), source
