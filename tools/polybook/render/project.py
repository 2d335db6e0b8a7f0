"""The generated Sphinx source tree of one site, written only where it changed.

Keeping every unchanged file untouched (same bytes, same mtime) is what lets
Sphinx's own incremental build re-read only the pages that really changed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polybook.files import write_atomic
from polybook.layout import BuildLayout
from polybook.render.assets import STYLESHEET, SWITCHER_TEMPLATE
from polybook.render.i18n import Words
from polybook.render.site import merged
from polybook.render.theme_text import (
    LOCALE_DIR,
    catalogue_path,
    mo_file,
    script_catalogue,
    theme_messages,
)

MATHJAX_FILES = (
    "startup.js",
    "core.js",
    "input/tex-full.js",
    "output/svg.js",
    "output/svg/fonts/tex.js",
)
MATHJAX_URL = "mathjax/startup.js"


@dataclass(frozen=True, slots=True)
class SitePaths:
    work: Path  # _build/render/<lang>/<site>
    out: Path  # _build/html/<lang>/<site>

    @classmethod
    def of(cls, layout: BuildLayout, lang: str, site: str) -> SitePaths:
        return cls(layout.render(lang, site), layout.html(lang, site))

    @property
    def src(self) -> Path:
        return self.work / "src"

    @property
    def doctrees(self) -> Path:
        return self.work / "doctrees"

    @property
    def positions(self) -> Path:
        return self.work / "positions.json"

    @property
    def warnings(self) -> Path:
        return self.work / "warnings.json"

    @property
    def outputs(self) -> Path:
        return self.work / "jupyter_execute"


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """Everything conf.py says about a site."""

    # the book's site settings (`site.py`), merged into conf.py's own
    html: Mapping[str, Any] = field(default_factory=dict, kw_only=True)

    lang: str
    site: str  # a framework, or "all"
    title: str
    author: str
    release: str
    words: Words
    languages: tuple[tuple[str, str], ...]  # (code, name) of every language
    frameworks: tuple[tuple[str, str], ...]  # (key, display name) in the language's order
    outputs: str  # where myst-nb writes output images
    # what pages load MathJax from: relative to _static (copied into the site) or
    # a URL the user named (render/mathjax.py)
    mathjax: str = field(default=MATHJAX_URL, kw_only=True)
    number_all_equations: bool = field(
        default=True, kw_only=True
    )  # False: only labelled equations are numbered
    # the switchers' entries (render/switch.py `switch_conf`); empty: none
    switch: Mapping[str, Any] = field(default_factory=dict, kw_only=True)


def find_mathjax(candidate: Path) -> Path | None:
    """The `es5` folder of a MathJax 3 package (given it, the package or its prefix)."""
    for path in (candidate, candidate / "es5", candidate / "node_modules" / "mathjax" / "es5"):
        if (path / "startup.js").is_file() and (path / "input" / "tex-full.js").is_file():
            return path
    return None


def conf_py(spec: SiteSpec) -> str:
    words = spec.words
    settings: dict[str, Any] = {
        "project": spec.title,
        "author": spec.author,
        "copyright": spec.author,
        "release": spec.release,
        "version": spec.release,
        "language": spec.lang,
        "root_doc": "index",
        "extensions": [
            "myst_nb",
            "sphinx_design",
            "sphinxcontrib.bibtex",
            "sphinx.ext.mathjax",
            "polybook.render.sphinx_ext",
        ],
        "exclude_patterns": [],
        "templates_path": ["_templates"],
        # the theme's words polybook translates (absolute: Sphinx looks for the
        # script's catalogue relative to the working directory)
        "locale_dirs": [str(Path(spec.outputs).parent / "src" / LOCALE_DIR)],
        "suppress_warnings": ["myst.header"],
        "numfig": True,
        "numfig_secnum_depth": 2,
        "numfig_format": words.numfig_format(),
        "math_numfig": True,
        "math_number_all": spec.number_all_equations,
        "math_eqref_format": words.equation,
        "myst_enable_extensions": ["dollarmath", "colon_fence"],
        "myst_dmath_double_inline": True,
        "nb_execution_mode": "off",
        "nb_merge_streams": True,
        "nb_ipywidgets_js": {},
        "nb_execution_cache_path": str(Path(spec.outputs).parent / "jupyter_cache"),
        "bibtex_bibfiles": ["references.bib"],
        "bibtex_reference_style": f"polybook-{spec.lang}",
        "bibtex_default_style": "plain",
        "html_theme": "sphinx_book_theme",
        "html_title": spec.title,
        "html_static_path": ["_static"],
        "html_css_files": ["polybook.css"],
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_use_index": False,
        "html_domain_indices": False,
        "html_sidebars": {
            "**": [
                "navbar-logo.html",
                "icon-links.html",  # the header links (html.header_links), if any
                "pb-switcher.html",
                "sbt-sidebar-nav.html",
            ]
        },
        "html_theme_options": {
            "home_page_in_toc": True,
            "show_navbar_depth": 1,
            "use_download_button": False,
            "use_fullscreen_button": False,
            "use_repository_button": False,
            "search_bar_text": words.search_placeholder,
        },
        "polybook_lang": spec.lang,
        "polybook_site": spec.site,
        "polybook_languages": [list(item) for item in spec.languages],
        "polybook_frameworks": [list(item) for item in spec.frameworks],
        "polybook_words": words.as_dict(),
        "polybook_switch": dict(spec.switch),
        "polybook_outputs": spec.outputs,
    }
    # Always set: Sphinx's default would load MathJax from a CDN. A site with
    # math has it in _static (or at a URL the user named, render/mathjax.py).
    settings["mathjax_path"] = spec.mathjax
    settings["mathjax3_config"] = {
        "loader": {"load": ["input/tex-full", "output/svg"]},
        "tex": {"tags": "none"},
        "svg": {"fontCache": "global"},
    }
    settings = merged(settings, spec.html)
    lines = ["# Generated by polybook (render stage); every build rewrites it.", ""]
    lines += [f"{name} = {value!r}" for name, value in settings.items()]
    return "\n".join(lines) + "\n"


@dataclass(slots=True)
class Tree:
    """A source tree written file by file; `prune` removes what was not written."""

    root: Path
    kept: set[Path] = field(default_factory=set)
    changed: list[Path] = field(default_factory=list)
    sources: set[Path] = field(default_factory=set)  # files copied in (inputs of the site)

    def write(self, rel: str, data: bytes | str) -> bool:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = self.root / rel
        self.kept.add(path)
        try:
            if path.read_bytes() == raw:
                return False
        except OSError:
            pass
        write_atomic(path, raw)
        self.changed.append(path)
        return True

    def copy(self, rel: str, source: Path) -> bool:
        path = self.root / rel
        self.kept.add(path)
        self.sources.add(source)
        try:
            same = path.stat().st_size == source.stat().st_size and path.read_bytes() == (
                source.read_bytes()
            )
        except OSError:
            same = False
        if same:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        self.changed.append(path)
        return True

    def prune(self) -> list[Path]:
        removed: list[Path] = []
        if not self.root.is_dir():
            return removed
        for path in sorted(self.root.rglob("*"), reverse=True):
            if path.is_file() and path not in self.kept:
                path.unlink()
                removed.append(path)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return removed

    def unpublish(self, out: Path, removed: list[Path]) -> None:
        """Take out of the site at `out` what Sphinx made of sources `prune`
        removed (a page that is gone or refused, an image no page shows):
        Sphinx's incremental build forgets them but leaves their files."""
        shown = {p.name for p in self.kept}
        for path in removed:
            rel = path.relative_to(self.root)
            if path.suffix == ".ipynb":
                (out / rel.with_suffix(".html")).unlink(missing_ok=True)
            elif path.name not in shown:
                (out / "_images" / path.name).unlink(missing_ok=True)


def write_support(
    tree: Tree,
    spec: SiteSpec,
    bibliography: Path | None,
    mathjax: Path | None,
    images: Mapping[str, Path],
) -> None:
    """conf.py, templates, static files, the bibliography and the images."""
    tree.write("conf.py", conf_py(spec))
    tree.write("_templates/pb-switcher.html", SWITCHER_TEMPLATE)
    messages = theme_messages(spec.lang)
    if messages:
        tree.write(catalogue_path(spec.lang), mo_file(messages))
    script = script_catalogue(spec.lang)
    if script is not None:
        tree.write(catalogue_path(spec.lang, ".js"), script)
    tree.write("_static/polybook.css", STYLESHEET)
    if bibliography is not None:
        tree.copy("references.bib", bibliography)
    else:
        tree.write("references.bib", "")
    if mathjax is not None:
        for rel in MATHJAX_FILES:
            tree.copy(f"_static/mathjax/{rel}", mathjax / rel)
        for name in ("LICENSE",):
            if (mathjax.parent / name).is_file():
                tree.copy(f"_static/mathjax/{name}", mathjax.parent / name)
    for rel, source in sorted(images.items()):
        tree.copy(rel.lstrip("/"), source)


def write_positions(path: Path, positions: Mapping[str, tuple[str, Iterable[int]]]) -> None:
    data = {doc: {"file": file, "lines": list(lines)} for doc, (file, lines) in positions.items()}
    text = json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"
    Tree(path.parent).write(path.name, text)


def read_positions(path: Path) -> dict[str, tuple[str, list[int]]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, tuple[str, list[int]]] = {}
    if isinstance(data, dict):
        for doc, entry in data.items():
            if isinstance(entry, dict):
                out[doc] = (str(entry.get("file", "")), [int(x) for x in entry.get("lines", [])])
    return out
