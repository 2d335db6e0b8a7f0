"""The PDF's Sphinx project: the site's pages of one language and framework, and conf.py.

The pages are generated exactly as for the HTML site of that language and
framework (`render.build.SitePages`: one framework's notebook per page, executed
outputs attached, a translation's missing pages taken from the source
language with a notice), written file by file where they changed
(`render.project.Tree`), with the bibliography, the images and the title
page's logo next to them.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.render.build import SitePages, needs_bibliography, site_bibliography
from polybook.render.i18n import words_for
from polybook.render.inputs import Inputs, site_pages
from polybook.render.pdf.languages import gloss_for
from polybook.render.pdf.latex import source_date_epoch
from polybook.render.pdf.project import PdfSpec, conf_py
from polybook.render.pdf.settings import PdfSettings
from polybook.render.project import SitePaths, SiteSpec, Tree, write_positions
from polybook.source.book import Book

BIBLIOGRAPHY_PAGE = "bibliography.md"  # citations but no :bibliography: page
LOGO_DIR = "_static"


@dataclass(slots=True)
class Project:
    """The generated project of one PDF and what its generation found."""

    pages: SitePages
    tree: Tree
    positions: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)
    rewritten: list[str] = field(default_factory=list)  # pages whose text changed
    svg: bool = False  # an SVG to convert (figures, outputs, logo)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.pages.diagnostics


def _bibliography_page() -> str:
    # no title: LaTeX's bibliography has its own, in the book's language
    return "---\norphan: true\n---\n\n```{bibliography}\n:filter: cited\n```\n"


def _shown(book: Book, path: Path) -> str:
    return path.relative_to(book.root).as_posix() if path.is_relative_to(book.root) else str(path)


def _logo(book: Book, project: Project, settings: PdfSettings) -> str | None:
    """The title page's logo in the project (an SVG converted to PDF): its path."""
    source, tree = settings.logo, project.tree
    if source is None:
        return None
    if source.suffix.lower() != ".svg":
        rel = f"{LOGO_DIR}/logo{source.suffix.lower()}"
        tree.copy(rel, source)
        return rel
    project.svg = True
    rel = f"{LOGO_DIR}/logo.pdf"
    target = tree.root / rel
    with contextlib.suppress(OSError):
        if target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
            tree.kept.add(target)
            return rel
    if shutil.which("rsvg-convert") is None:
        return None  # reported with the other programs the PDF needs (librsvg2-bin)
    run = subprocess.run(["rsvg-convert", "--format=pdf", str(source)], capture_output=True)
    if run.returncode != 0:
        why = run.stderr.decode("utf-8", "replace").strip()
        shown = _shown(book, source)
        message = f"logo {shown} could not be converted to PDF: {why}"
        project.diagnostics.append(Diagnostic.make(Code.PDF_SETTING, shown, 0, message))
        return None
    tree.write(rel, run.stdout)
    return rel


def _spec(
    book: Book,
    lang: str,
    framework: str,
    paths: SitePaths,
    settings: PdfSettings,
    others: dict[str, str],
    back: list[str],
    logo: str | None,
) -> PdfSpec:
    """`others`: page -> the language of its text, for pages not in `lang`."""
    config = book.config
    site = SiteSpec(
        lang=lang,
        site=framework,
        title=config.languages[lang].title,
        author=config.author,
        release=config.release,
        words=words_for(lang),
        languages=tuple((code, conf.name) for code, conf in config.languages.items()),
        frameworks=tuple(
            (fw, config.framework[fw].display_name) for fw in config.frameworks_for(lang)
        ),
        outputs=str(paths.outputs.resolve()),
    )
    epoch = source_date_epoch()
    date = "" if epoch == "0" else time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
    main = gloss_for(lang)
    glosses = {page: gloss_for(other) for page, other in others.items()}
    # pages are typeset in their own language when both languages are known here
    languages = {page: gloss for page, gloss in glosses.items() if gloss and main}
    return PdfSpec(site, settings.name, main, settings.fonts, logo, date, languages, tuple(back))


def _support(book: Book, project: Project, settings: PdfSettings, spec: PdfSpec) -> None:
    """conf.py, the bibliography and the images."""
    tree = project.tree
    tree.write("conf.py", conf_py(spec))
    bib = site_bibliography(project.pages)  # the site's choice: [pdf] bibfile, :bibliography:
    if bib is not None:
        tree.copy("references.bib", bib)
    else:
        tree.write("references.bib", "")
    for rel, source in sorted(project.pages.images.items()):
        tree.copy(rel.lstrip("/"), source)
        project.svg = project.svg or source.suffix.lower() == ".svg"


def generate(
    book: Book, lang: str, framework: str, paths: SitePaths, settings: PdfSettings
) -> Project:
    """Write the PDF's project under `paths.src` (changed files only) and its position map."""
    pages = SitePages(book, lang, framework, words_for(lang), Inputs.of(book))
    pages.diagnostics.extend(settings.diagnostics)
    pages.refuse_pages()
    project = Project(pages, Tree(paths.src))
    texts: list[str] = []
    others: dict[str, str] = {}  # untranslated pages: page -> the language of their text
    for page in site_pages(book, lang, pages.read):
        if page.lang != lang:
            others[page.docname] = page.lang
        generated = pages.generate(page)
        if generated is None:
            continue
        pages.report(generated.file, generated.problems)
        if project.tree.write(f"{page.docname}.ipynb", generated.notebook):
            project.rewritten.append(page.docname)
        project.positions[page.docname] = (generated.file, generated.positions)
        texts.append(generated.notebook)
    back: list[str] = []
    if needs_bibliography(texts):
        project.tree.write(BIBLIOGRAPHY_PAGE, _bibliography_page())
        back.append(BIBLIOGRAPHY_PAGE.removesuffix(".md"))
    project.svg = any("image/svg+xml" in text for text in texts)
    logo = _logo(book, project, settings)
    spec = _spec(book, lang, framework, paths, settings, others, back, logo)
    _support(book, project, settings, spec)
    project.tree.prune()
    write_positions(paths.positions, project.positions)
    return project
