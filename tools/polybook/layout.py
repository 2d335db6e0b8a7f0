"""The one owner of the build directory's layout: where each stage writes and
the next one reads.

    _build/split/<lang>/<framework>/<page>.ipynb     split notebooks
    _build/executed/<lang>/<framework>/<page>.ipynb  executed notebooks
    _build/work/                                     kernels' working directories
    _build/work/.scratch/<key>.<pid>/                a kernel's TMPDIR (removed with it)
    _build/cache/                                    execution cache (execute.cache_dir)
    _build/verified/<sha of folder>.json             checksums verified per stat (verified.py),
                                                     one per output folder, wherever it is
    _build/render/<lang>/<site>/                     a site's generated Sphinx project
    _build/html/<lang>/<site>/                       a site (<site>: a framework or "all")
    _build/render-pdf/<lang>/<framework>/            a PDF's Sphinx project and LaTeX run
    _build/pdf/<lang>/<framework>/<name>.pdf         the PDF of a language and framework
    _build/tools/node_modules/mathjax/               MathJax 3 (`make mathjax`)
    _build/edit/<lang>/<framework>/<page>.ipynb      `polybook edit` notebooks (+ .versions.json)
    _build/notebooks/<lang>/<framework>/<page>.ipynb reader notebooks (`build notebooks`)
    _build/notebooks/<lang>/<framework>.zip          the same, zipped

The Makefile fragments (`tools/make/*.mk`) spell the same paths at the shell edge.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

BUILD_DIR = "_build"
DEFAULT_CACHE_DIR = f"{BUILD_DIR}/cache"


@dataclass(frozen=True, slots=True)
class BuildLayout:
    """The build paths of the book at `root` (all absolute when `root` is)."""

    root: Path  # the book root
    cache_dir: str = DEFAULT_CACHE_DIR  # the execution cache, relative to `root`

    @property
    def build(self) -> Path:
        return self.root / BUILD_DIR

    def split(self, lang: str) -> Path:
        """The split notebooks of `lang`: `<framework>/<page>.ipynb` below."""
        return self.build / "split" / lang

    def executed(self, lang: str) -> Path:
        """The executed notebooks of `lang`: `<framework>/<page>.ipynb` below."""
        return self.build / "executed" / lang

    @property
    def work(self) -> Path:
        """The kernels' working directories."""
        return self.build / "work"

    @property
    def cache(self) -> Path:
        return self.root / self.cache_dir

    def verified(self, out: Path) -> Path:
        """The stat-gated checksums (`polybook.verified`) of the files of the
        output folder `out` (keyed by its absolute path: `split --out` may
        point anywhere) and of the files its stage reads back."""
        name = hashlib.sha256(os.path.abspath(out).encode()).hexdigest()[:16]
        return self.build / "verified" / f"{name}.json"

    def render(self, lang: str, site: str) -> Path:
        """The generated Sphinx project (and Sphinx's state) of a site."""
        return self.build / "render" / lang / site

    def html(self, lang: str, site: str) -> Path:
        return self.build / "html" / lang / site

    def pdf_work(self, lang: str, framework: str) -> Path:
        """The PDF's generated Sphinx project, Sphinx's state and the LaTeX run."""
        return self.build / "render-pdf" / lang / framework

    def pdf(self, lang: str, framework: str) -> Path:
        """The folder of the PDF of a language and framework."""
        return self.build / "pdf" / lang / framework

    def edit(self, lang: str, framework: str) -> Path:
        """`polybook edit`'s notebooks of a language and framework."""
        return self.build / "edit" / lang / framework

    def reader(self, lang: str) -> Path:
        """Reader notebooks: `<framework>/<page>.ipynb` and `<framework>.zip` below."""
        return self.build / "notebooks" / lang

    @property
    def mathjax(self) -> Path:
        """Where `make mathjax` installs MathJax 3 (the default of `build html --mathjax`)."""
        return self.build / "tools" / "node_modules" / "mathjax"
