"""A d2lbook book's `config.ini` read as a one-language polybook configuration,
with d2lbook 1.0.3's meaning of each key (`d2lbook_keys.py` lists them all).

The result is the data of a `BookConfig` and a `ConfigSource`: the line of every
key, the keys not honoured (PB103) and the values that cannot be used (PB104).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from polybook.config.d2lbook_keys import asks_nothing, key_info
from polybook.config.ini import IniSyntaxError, IniValue, parse_ini
from polybook.config.source import ConfigSource
from polybook.diagnostics import Code, Diagnostic

DEFAULT_LIBRARY = "d2l"
_TRUE = "true"


class IniError(Exception):
    """The file cannot be read as an INI file (the key names the line)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def _split_items(value: str, sep: str) -> tuple[str, ...]:
    if sep == "\n":
        parts = value.splitlines()
    elif sep == ",\n":  # alias tables: an item per comma or per line, like d2lbook
        parts = [p for line in value.splitlines() for p in line.split(",")]
    else:
        parts = value.replace("\n", " ").split(",")
    return tuple(p.strip() for p in parts if p.strip())


def _alias_lines(value: str) -> tuple[str, ...]:
    """The `alias` table: its lines, blank lines inside kept (they are written out)."""
    return tuple(line.strip() for line in value.strip().splitlines())


class _Reader:
    def __init__(self, sections: dict[str, dict[str, IniValue]], file: str) -> None:
        self.sections = sections
        self.file = file
        self.notes: list[Diagnostic] = []

    def value(self, section: str, key: str) -> IniValue | None:
        return self.sections.get(section, {}).get(key)

    def get(self, section: str, key: str, default: str = "") -> str:
        found = self.value(section, key)
        return default if found is None else found.text

    def words(self, section: str, key: str, default: str = "") -> tuple[str, ...]:
        found = self.value(section, key)
        return tuple(default.split()) if found is None else found.words()

    def flag(self, section: str, key: str, default: bool) -> bool:
        """d2lbook's booleans: "true" (any case) is true, anything else false."""
        found = self.value(section, key)
        if found is None:
            return default
        text = found.text.lower()
        if text not in (_TRUE, "false"):
            self.note(found, Code.CONFIG_VALUE, f"{found.text!r} is read as False, as d2lbook does")
        return text == _TRUE

    def note(self, at: IniValue | tuple[IniValue, int], code: Code, message: str) -> None:
        value, line = at if isinstance(at, tuple) else (at, at.line)
        target = f"{value.section}.{value.key}"
        text = f"[{value.section}] {value.key}: {message}"
        self.notes.append(Diagnostic.make(code, self.file, line, text, target=target))


def _title(root: Path, reader: _Reader) -> str:
    """`[project] title`, else the first non-empty line of the index page (d2lbook)."""
    title = reader.get("project", "title")
    if title:
        return title
    index = root / (Path(reader.get("build", "index", "index")).with_suffix("").as_posix() + ".md")
    try:
        lines = index.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:
        if line.strip():
            return line.strip().removeprefix("#").strip()
    return reader.get("project", "name", "d2lbook")


def _frameworks(reader: _Reader, tabs: tuple[str, ...]) -> tuple[dict[str, Any], list[str]]:
    frameworks: dict[str, Any] = {}
    packages: list[str] = []  # the directories of the declared library files
    for i, fw in enumerate(tabs):
        # d2lbook reads `[library-<fw>]`; a default framework may also be
        # described in `[library]` itself.
        section = f"library-{fw}"
        if section not in reader.sections and i == 0 and reader.value("library", "lib_file"):
            section = "library"
        sec = reader.sections.get(section)
        default = f"{DEFAULT_LIBRARY}/{fw}.py"
        lib_file = sec["lib_file"].text if sec and "lib_file" in sec else default
        if sec is not None and "lib_file" in sec:
            packages.append(Path(lib_file).parent.as_posix())
        module = Path(lib_file).stem
        lib_name = sec["lib_name"].text if sec and "lib_name" in sec else module
        entry: dict[str, Any] = {
            "display_name": fw,
            "module": module,
            "lib_name": lib_name,
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
                    entry[key] = _split_items(sec[key].text, sep)
            if "alias" in sec:
                entry["alias"] = _alias_lines(sec["alias"].text)
        frameworks[fw] = entry
    return frameworks, packages


def _header_links(reader: _Reader) -> list[dict[str, str]]:
    found = reader.value("html", "header_links")
    links: list[dict[str, str]] = []
    for line, text in found.items() if found else []:
        items = [item.strip() for item in text.split(",") if item.strip()]
        if len(items) == 3:
            links.append({"name": items[0], "url": items[1], "icon": items[2]})
        elif found is not None:
            reader.note(
                (found, line),
                Code.CONFIG_VALUE,
                f"a link is three items (name, URL, icon), this line has {len(items)}; left out",
            )
    return links


def _colab(reader: _Reader, tabs: tuple[str, ...]) -> dict[str, Any]:
    colab: dict[str, Any] = {}
    found = reader.value("colab", "github_repo")
    repos: dict[str, str] = {}
    items = found.items() if found else []
    if found is not None and len(items) == 1 and "," not in items[0][1]:
        repos[tabs[0]] = items[0][1]  # one repository: the default framework's notebooks
    elif found is not None:
        for line, text in items:
            parts = [p.strip() for p in text.split(",") if p.strip()]
            if len(parts) == 2 and parts[0].lower() in tabs:
                repos[parts[0].lower()] = parts[1]
            else:
                reader.note(
                    (found, line),
                    Code.CONFIG_VALUE,
                    f"expected 'framework, owner/repository' with a framework of [build] "
                    f"tabs, got {text!r}; left out",
                )
    colab["repos"] = repos
    if reader.value("colab", "exclusions") is not None:
        colab["exclusions"] = reader.words("colab", "exclusions")
    return colab


def _report_unhonoured(reader: _Reader, tabs: tuple[str, ...]) -> None:
    for section, keys in reader.sections.items():
        for key, value in keys.items():
            info = key_info(section, key, tabs)
            if not info.reason:
                continue
            if asks_nothing(value.text, info):
                continue
            reader.note(value, Code.CONFIG_UNSUPPORTED, f"not honoured: {info.reason}")


def read_config_ini(root: Path, path: Path) -> tuple[dict[str, Any], ConfigSource]:
    """The BookConfig data of a d2lbook `config.ini`, and where each key is."""
    try:
        sections = parse_ini(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise IniError("(encoding)", str(exc)) from None
    except IniSyntaxError as exc:
        raise IniError(f"(line {exc.line})", exc.message) from None
    file = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    reader = _Reader(sections, file)
    tabs = tuple(t.lower() for t in _split_items(reader.get("build", "tabs"), ",")) or ("mxnet",)
    lang = reader.get("project", "lang") or "en"
    title = _title(root, reader)
    frameworks, packages = _frameworks(reader, tabs)
    data: dict[str, Any] = {
        "title": title,
        "release": reader.get("project", "release", "0.0.1"),
        "author": reader.get("project", "author", "The contributors"),
        "copyright": reader.get("project", "copyright"),
        "source_language": lang,
        "chapters_dir": ".",
        "bibliography": reader.get("pdf", "bibfile"),
        "frameworks": tabs,
        "framework": frameworks,
        "languages": {lang: {"name": lang, "title": title}},
        "notebooks": reader.words("build", "notebooks", "**/*.md"),
        "exclusions": reader.words("build", "exclusions"),
        "non_notebooks": reader.words("build", "non-notebooks"),
        "resources": reader.words("build", "resources"),
        "execute": {"enabled": reader.flag("build", "eval_notebook", True)},
        "html": {
            "favicon": reader.get("html", "favicon"),
            "logo": reader.get("html", "html_logo"),
            "css": reader.words("html", "include_css"),
            "js": reader.words("html", "include_js"),
            "header_links": _header_links(reader),
            "colab": _colab(reader, tabs),
            "strict": reader.flag("build", "warning_is_error", False),
        },
        "legacy_layout": True,
    }
    # the library package is where the library files are (default: the model's)
    package = next((p for p in packages if p.isidentifier()), None)
    if package is not None:
        data["library_dir"] = package
    version_file = reader.get("library", "version_file")
    if version_file:
        data["version_file"] = version_file
    _report_unhonoured(reader, tabs)
    lines = {f"{s}.{k}": v.line for s, keys in sections.items() for k, v in keys.items()}
    return data, ConfigSource(file, lines, tuple(reader.notes))
