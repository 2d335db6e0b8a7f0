"""The one validated book configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from polybook.config.pdf import PdfConfig
from polybook.layout import DEFAULT_CACHE_DIR


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FrameworkConfig(_Strict):
    """One framework: its display name, library module and alias tables.

    Alias tables have the semantics of the `[library-<fw>]` sections of existing
    `config.ini` books; each entry is one item as written there.
    """

    display_name: str
    module: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    lib_name: str
    simple_alias: tuple[str, ...] = ()
    fluent_alias: tuple[str, ...] = ()
    alias: tuple[str, ...] = ()
    args_alias: tuple[str, ...] = ()
    reverse_alias: tuple[str, ...] = ()
    # Whether `polybook lib` writes `<library_dir>/<module>.py` for this framework
    # (a legacy config.ini book without a `[library-<fw>]` section has none).
    library: bool = True


class LanguageConfig(_Strict):
    name: str
    title: str
    # Per-language override of the framework order (legacy translations use
    # mxnet as their default tab). The first entry is the default tab.
    frameworks: tuple[str, ...] | None = None
    # Where the language's sites are published: `<url>/<site>/` is what the
    # build writes to `_build/html/<code>/<site>/`. The language switchers of
    # the other languages' sites link there ("": to sites built next to them).
    url: str = ""

    @field_validator("url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")


class PageExecuteConfig(_Strict):
    """Execution settings of the pages matching one `[execute.pages."<glob>"]` table.

    The key is an fnmatch pattern over the page path relative to the language
    root (`chapter_cnn/lenet.md`, `chapter_optimization/*.md`), so one table
    covers the page in every language. Unset fields keep the book-wide value.
    """

    cell_timeout: int | None = Field(default=None, gt=0)
    notebook_timeout: int | None = Field(default=None, gt=0)
    # GPUs the page needs; clamped to what the machine has (0: CPU only).
    gpus: int | None = Field(default=None, ge=0)
    # every cell may raise (like nbclient's allow_errors)
    allow_errors: bool | None = None


class ExecuteConfig(_Strict):
    # False: nothing is executed; pages show their code without outputs
    # (d2lbook's `[build] eval_notebook = False`)
    enabled: bool = True
    cell_timeout: int = Field(default=600, gt=0)
    notebook_timeout: int = Field(default=3600, gt=0)
    # where the framework environments live (`<env_dir>/<framework>/`)
    env_dir: str = "_envs"
    # the content-addressed cache of executed outputs
    cache_dir: str = DEFAULT_CACHE_DIR
    # parallel notebooks of a local run (`--jobs` overrides)
    jobs: int = Field(default=1, ge=1)
    # per-page settings, matched in order; later tables override earlier ones
    pages: dict[str, PageExecuteConfig] = Field(default_factory=dict)


class HeaderLink(_Strict):
    """A link in the site's header: d2lbook's `name, URL, icon` triple."""

    name: str
    url: str
    icon: str = ""  # a Font Awesome class, e.g. "fab fa-github"


class ColabConfig(_Strict):
    """ "Open in Colab" links: the GitHub repository holding each framework's
    notebooks (at the page's path, `.ipynb`), and the pages left without links."""

    repos: dict[str, str] = Field(default_factory=dict)
    # patterns over a page's HTML path (`chapter_x/page.html`), d2lbook's default
    exclusions: tuple[str, ...] = ("*.html", "**/index.html")
    # the branch of those repositories the links name (d2lbook's: master)
    branch: str = Field(default="master", pattern=r"^[\w./-]+$")
    # also a "Download notebook" link to the same notebook, raw, from that branch
    download: bool = False


class HtmlConfig(_Strict):
    """Site settings; files are paths relative to the book root."""

    favicon: str = ""
    logo: str = ""
    css: tuple[str, ...] = ()  # stylesheets added to every page (patterns)
    js: tuple[str, ...] = ()  # scripts added to every page (patterns)
    header_links: tuple[HeaderLink, ...] = ()
    colab: ColabConfig = ColabConfig()
    # `build html` fails on warnings, as with --strict
    strict: bool = False


class ReaderConfig(_Strict):
    """`[reader]`: the notebooks readers download or open in Colab
    (`polybook build notebooks`)."""

    # The HTML site the notebooks link to (references, citations' pages):
    # `{lang}` and `{framework}` are replaced; empty: references are text only.
    site_url: str = ""
    # What the first cell installs besides the page's `required_libs`:
    # `{library}` is the library's package name, `{release}` the book's release.
    install: tuple[str, ...] = ("{library}=={release}",)
    # Slide marks `(**...**)` and slide-only text kept as written (default: the
    # book's reading: marks removed, slide-only text dropped).
    keep_slide_marks: bool = False
    # `#@save` marks kept in code (default: removed).
    keep_save_marks: bool = False
    # Executed outputs (when `polybook execute` has run) kept in the notebooks.
    outputs: bool = True


class RenderConfig(_Strict):
    """`[render]`: how the site shows the book."""

    # Every display equation gets a number, labelled or not (what d2lbook
    # books rely on); False numbers only the equations that have a label.
    number_all_equations: bool = True
    # Where a page or section has no code for a site's framework, the code of
    # this framework is shown under a notice (None: the first framework, in
    # the language's order, that has code there).
    fallback_framework: str | None = None


class ApiConfig(_Strict):
    """`[api]`: intended differences in the library's public API
    (`polybook lib --api`); each entry is an fnmatch pattern over names
    (`train_ch3`, `Trainer.*`)."""

    # names a framework's module is meant to lack: framework (or "*") -> names
    gaps: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # names removed (or renamed) on purpose since an earlier release
    removed: tuple[str, ...] = ()
    # names whose signatures differ on purpose (between frameworks or releases)
    signatures: tuple[str, ...] = ()


class BookConfig(_Strict):
    title: str
    release: str = "0.0.0"
    author: str = ""
    # the site's copyright line (None: the author)
    copyright: str | None = None
    source_language: str = "en"
    chapters_dir: str = "chapters"
    bibliography: str = "references.bib"
    # The book's library: a package directory at the book root, and the name
    # the book's code imports and uses (`from d2l import torch as d2l`, `d2l.foo`).
    library_dir: str = "d2l"
    # The file `polybook lib` records the release in (default: <library_dir>/__init__.py).
    version_file: str = ""
    # How `polybook lib` writes the library: "compat" reproduces d2lbook 1.0.3
    # byte for byte (known defects included; what a config.ini book gets),
    # "clean" fixes those defects. `polybook lib --compat|--clean` overrides it.
    library_mode: Literal["compat", "clean"] = "compat"
    # The ordered framework list: the first one is the default tab.
    frameworks: tuple[str, ...]
    framework: dict[str, FrameworkConfig]
    languages: dict[str, LanguageConfig]
    # The page set (patterns relative to a language's root, `source.globs`):
    # `notebooks` (empty: every .md file) minus `exclusions`; `non_notebooks`
    # are pages without notebooks (rendered, never split or executed);
    # `resources` (relative to the book root) are copied into each site and
    # are never pages.
    notebooks: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    non_notebooks: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    html: HtmlConfig = HtmlConfig()
    execute: ExecuteConfig = ExecuteConfig()
    render: RenderConfig = RenderConfig()
    api: ApiConfig = ApiConfig()
    reader: ReaderConfig = ReaderConfig()
    # True for a book opened through a legacy config.ini: pages live directly
    # under the book root, in one language.
    legacy_layout: bool = False
    # `[pdf]`: the PDF's file name, fonts and logo (`polybook build pdf`)
    pdf: PdfConfig = PdfConfig()

    @field_validator("frameworks")
    @classmethod
    def _frameworks_nonempty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one framework is required")
        if len(set(value)) != len(value):
            raise ValueError("a framework is listed twice")
        return value

    @field_validator("library_dir")
    @classmethod
    def _library_is_a_package_name(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError(
                f"{value!r} is not a Python package name (the library is a directory "
                "at the book root that code imports by that name)"
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _default_version_file(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("version_file"):
            library = data.get("library_dir", cls.model_fields["library_dir"].default)
            return {**data, "version_file": f"{library}/__init__.py"}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> BookConfig:
        missing = [fw for fw in self.frameworks if fw not in self.framework]
        if missing:
            raise ValueError(f"no [framework.{missing[0]}] table for a listed framework")
        extra = [fw for fw in self.framework if fw not in self.frameworks]
        if extra:
            raise ValueError(f"[framework.{extra[0]}] is not in the frameworks list")
        fallback = self.render.fallback_framework
        if fallback is not None and fallback not in self.framework:
            raise ValueError(f"render.fallback_framework names unknown framework {fallback!r}")
        for fw in self.api.gaps:
            if fw != "*" and fw not in self.framework:
                raise ValueError(f"api.gaps names unknown framework {fw!r}")
        for fw in self.html.colab.repos:
            if fw not in self.framework:
                raise ValueError(f"html.colab.repos names unknown framework {fw!r}")
        if self.source_language not in self.languages:
            raise ValueError(f"source_language {self.source_language!r} has no [languages] entry")
        for code, lang in self.languages.items():
            for fw in lang.frameworks or ():
                if fw not in self.framework:
                    raise ValueError(f"languages.{code}.frameworks names unknown framework {fw!r}")
        return self

    def frameworks_for(self, lang: str) -> tuple[str, ...]:
        """The ordered framework list of one language (first = default tab)."""
        conf = self.languages.get(lang)
        if conf is not None and conf.frameworks:
            return conf.frameworks
        return self.frameworks
