"""Every key d2lbook 1.0.3 reads from `config.ini`, and what polybook does with it.

A key is honoured (`Key()`), or polybook does not do what d2lbook does with
it (`Key(reason)`): such a key is reported once, as information (PB103), at
its line, unless its value asks for nothing (empty, or d2lbook's default).
Keys d2lbook does not know are reported the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from polybook.layout import BUILD_DIR


@dataclass(frozen=True, slots=True)
class Key:
    reason: str = ""  # why polybook does not honour it ("": honoured)
    default: str = ""  # d2lbook's default value (a value equal to it asks for nothing)


_PDF_OFFLINE = (
    "the PDF is built offline with polybook's own LaTeX settings: a style, post-processing "
    "script or downloaded class would need the network (`build pdf` reports it too, PB217)"
)
_NO_DEPLOY = "polybook does not deploy sites"
_COLAB_NOTEBOOKS = (
    "it shapes the Colab notebooks d2lbook generates; polybook links to them "
    "([colab] github_repo) but does not generate them"
)
_SPHINX = (
    "polybook generates its own Sphinx project (myst-nb, sphinx-book-theme); "
    "settings for d2lbook's (recommonmark, mxtheme) do not apply"
)
_DEPRECATED = "deprecated in d2lbook, which fails on it"
_TRANSLATE = "`d2lbook translate` (machine translation) has no polybook counterpart"
_SAGEMAKER = "polybook makes no SageMaker notebooks"
_SLIDES = "polybook makes no slides"

LIBRARY_KEYS = frozenset(
    {
        "lib_file",
        "lib_name",
        "simple_alias",
        "fluent_alias",
        "args_alias",
        "alias",
        "reverse_alias",
    }
)

KEYS: dict[str, dict[str, Key]] = {
    "project": {
        "name": Key(),
        "title": Key(),
        "author": Key(),
        "release": Key(),
        "copyright": Key(),
        "lang": Key(),
    },
    "translation": {
        "origin_repo": Key(_TRANSLATE),
        "origin_lang": Key(_TRANSLATE),
        "translator": Key(_TRANSLATE),
        "terminology": Key(_TRANSLATE),
    },
    "build": {
        "index": Key("the root page is always index.md", "index"),
        "notebooks": Key(),
        "rsts": Key("raw .rst pages are not rendered: polybook's pages are markdown"),
        "non-notebooks": Key(),
        "exclusions": Key(),
        "dependencies": Key(
            "polybook re-runs a notebook when its code, its environment or the library "
            "definitions it uses change, not when listed files change"
        ),
        "resources": Key(),
        "eval_notebook": Key(),
        "source_dir": Key("pages are read from the book root (the folder of config.ini)", "."),
        "output_dir": Key(f"outputs go to {BUILD_DIR}/ (layout in polybook's README)", BUILD_DIR),
        "html_dir": Key(f"sites go to {BUILD_DIR}/html/<lang>/<site>/", f"{BUILD_DIR}/html"),
        "warning_is_error": Key(),
        "sphinx_extensions": Key(_SPHINX),
        "sphinx_configs": Key(_SPHINX),
        "tabs": Key(),
        "origin_repo": Key(),  # unused by d2lbook too
    },
    "html": {
        "header_links": Key(),
        "favicon": Key(),
        "html_logo": Key(),
        "include_css": Key(),
        "include_js": Key(),
    },
    "pdf": {
        "main_font": Key(),
        "sans_font": Key(),
        "mono_font": Key(),
        "post_latex": Key(_PDF_OFFLINE),
        "latex_logo": Key(),
        "bibfile": Key(),
        "latex_url": Key(_PDF_OFFLINE),
        "style": Key(_PDF_OFFLINE),
    },
    "library": {
        "version_file": Key(),
        "save_filename": Key(_DEPRECATED),
        "save_mark": Key(_DEPRECATED),
        "save_patterns": Key(
            "deprecated in d2lbook; polybook saves to [library-<framework>] lib_file"
        ),
        "version": Key("deprecated in d2lbook; the version written is [project] release"),
        "root_dir": Key(_DEPRECATED),
        **{key: Key() for key in LIBRARY_KEYS},
    },
    "deploy": {
        "google_analytics_tracking_id": Key(
            "polybook sites load nothing from the network (no analytics)"
        ),
        "github_repo": Key(_NO_DEPLOY),
        "s3_bucket": Key(_NO_DEPLOY),
        "other_file_s3urls": Key(_NO_DEPLOY),
    },
    "colab": {
        "github_repo": Key(),
        "exclusions": Key(),
        "libs": Key(_COLAB_NOTEBOOKS),
        "libs_header": Key(
            _COLAB_NOTEBOOKS,
            "The following additional libraries are needed to run this notebook. Note that "
            "running on Colab is experimental, please report a Github issue if you have any "
            "problem.",
        ),
        "gpu_pattern": Key(_COLAB_NOTEBOOKS, "gpu"),
        "replace_svg_url": Key(_COLAB_NOTEBOOKS),
    },
    "sagemaker": {
        "github_repo": Key(_SAGEMAKER),
        "kernel": Key(_SAGEMAKER, "conda_python3"),
        "libs": Key(_SAGEMAKER),
        "libs_header": Key(
            _SAGEMAKER,
            "Installing (updating) the following libraries for your Sagemaker instance.",
        ),
    },
    "slides": {
        "top_left": Key(_SLIDES),
        "top_right": Key(_SLIDES),
        "github_repo": Key(_SLIDES),
    },
}


def key_info(section: str, key: str, frameworks: tuple[str, ...]) -> Key:
    """What polybook does with `[section] key` of a book with these frameworks."""
    if section.startswith("library-"):
        framework = section.removeprefix("library-")
        if key not in LIBRARY_KEYS:
            return Key("not a d2lbook key; ignored")
        if framework not in frameworks:
            return Key(f"{framework!r} is not a framework of [build] tabs; d2lbook ignores it too")
        return Key()
    known = KEYS.get(section)
    if known is None:
        return Key(f"[{section}] is not a d2lbook section; ignored")
    return known.get(key, Key("not a d2lbook key; ignored"))


def asks_nothing(value: str, info: Key) -> bool:
    """Whether a value leaves d2lbook's behaviour as it is (empty or its default)."""
    normal = " ".join(value.split())
    return not normal or normal == " ".join(info.default.split())
