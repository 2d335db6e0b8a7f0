"""The PDF stage function: `build_pdf(book, lang, framework)`.

pages and their notebooks (the HTML site's inputs and conversion: one
framework's notebook per page, executed outputs attached, a translation's
missing pages taken from the source language with a notice) -> the PDF's
Sphinx project (changed files only) -> Sphinx's LaTeX builder (incremental
reads) -> latexmk + xelatex -> the LaTeX log's problems at book positions ->
`_build/pdf/<lang>/<framework>/<name>.pdf`, replaced only by a complete PDF.

Nothing changed since the last complete build (the same generated project,
the PDF in place): neither Sphinx nor LaTeX runs, and the last build's
problems are reported again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from polybook import __version__
from polybook.diagnostics import Code, Diagnostic
from polybook.files import write_atomic
from polybook.render.build import _dedupe, _needs_bibliography, _Pages
from polybook.render.i18n import words_for
from polybook.render.inputs import Inputs, site_pages
from polybook.render.pdf import latex
from polybook.render.pdf.languages import gloss_for
from polybook.render.pdf.project import PdfSpec, conf_py
from polybook.render.pdf.settings import FONT_PACKAGES, PdfSettings, installed_fonts, pdf_settings
from polybook.render.pdf.state import State, source_digest
from polybook.render.pdf.texlog import Issue, read_log
from polybook.render.project import SitePaths, SiteSpec, Tree, write_positions
from polybook.render.warnings import Locator, WarningCache, parse, to_diagnostics
from polybook.source.book import Book

BIBLIOGRAPHY_PAGE = "bibliography.md"  # citations but no :bibliography: page
LOGO_DIR = "_static"


@dataclass(slots=True)
class PdfResult:
    lang: str
    framework: str
    pdf: Path  # where the PDF is (when `ok`)
    log: Path  # the LaTeX log
    ok: bool = False
    pages: int = 0
    rewritten: list[str] = field(default_factory=list)  # generated pages whose text changed
    read: int = 0  # pages Sphinx re-read
    sphinx: bool = False  # Sphinx ran
    latex: int = 0  # how many times xelatex ran
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def pdf_paths(book: Book, lang: str, framework: str) -> SitePaths:
    """The PDF's project (`work/src`), Sphinx's state and the LaTeX folder (`out`)."""
    work = book.layout.pdf_work(lang, framework)
    return SitePaths(work, work / "latex")


def _bibliography_page() -> str:
    # no title: LaTeX's bibliography has its own, in the book's language
    return "---\norphan: true\n---\n\n```{bibliography}\n:filter: cited\n```\n"


def _spec(
    book: Book,
    lang: str,
    framework: str,
    paths: SitePaths,
    settings: PdfSettings,
    pages: dict[str, str],
    back: list[str],
    logo: str | None,
) -> PdfSpec:
    """`pages`: page -> the language of its text, for pages not in `lang`."""
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
    epoch = latex.source_date_epoch()
    date = "" if epoch == "0" else time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
    glosses = {page: gloss_for(other) for page, other in pages.items()}
    languages = {page: gloss for page, gloss in glosses.items() if gloss is not None}
    return PdfSpec(
        site, settings.name, gloss_for(lang), settings.fonts, logo, date, languages, tuple(back)
    )


def _write_project(
    book: Book, pages: _Pages, tree: Tree, spec: PdfSpec, settings: PdfSettings
) -> None:
    tree.write("conf.py", conf_py(spec))
    bib = book.root / settings.bibliography if settings.bibliography else None
    if bib is not None and bib.is_file():
        tree.copy("references.bib", bib)
    else:
        tree.write("references.bib", "")
    if bib is not None and not bib.is_file():
        site = spec.site
        message = f"bibliography {settings.bibliography} not found ({site.lang}, {site.site})"
        pages.diagnostics.append(
            Diagnostic.make(Code.RENDER_SETUP, settings.bibliography, 0, message)
        )
    for rel, source in sorted(pages.images.items()):
        tree.copy(rel.lstrip("/"), source)


def _logo(book: Book, tree: Tree, settings: PdfSettings, pages: _Pages) -> str | None:
    """The title page's logo in the project (an SVG converted to PDF): its path."""
    source = settings.logo
    if source is None:
        return None
    if source.suffix.lower() != ".svg":
        rel = f"{LOGO_DIR}/logo{source.suffix.lower()}"
        tree.copy(rel, source)
        return rel
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
        inside = source.is_relative_to(book.root)
        shown = source.relative_to(book.root).as_posix() if inside else str(source)
        message = f"logo {shown} could not be converted to PDF: {why}"
        pages.diagnostics.append(Diagnostic.make(Code.PDF_SETTING, shown, 0, message))
        return None
    tree.write(rel, run.stdout)
    return rel


def _needs_svg(pages: _Pages, texts: list[str], settings: PdfSettings) -> bool:
    logo_svg = settings.logo is not None and settings.logo.suffix.lower() == ".svg"
    images = any(path.suffix.lower() == ".svg" for path in pages.images.values())
    return logo_svg or images or any("image/svg+xml" in text for text in texts)


def _issues_to_diagnostics(
    issues: list[Issue], locator: Locator, log: str, lang: str, framework: str
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for issue in issues:
        if issue.docname is None:
            file, line = log, 0
        else:
            file, line = locator.locate(issue.docname, issue.line)
        message = f"{issue.message} (log: {log}) ({lang}, {framework})"
        out.append(Diagnostic.make(issue.kind, file, line, message, issue.target))
    return out


def build_pdf(
    book: Book, lang: str, framework: str, *, jobs: int | None = None, verbose: bool = False
) -> PdfResult:
    """Build the PDF of `lang` for one framework (see the module's docstring)."""
    paths = pdf_paths(book, lang, framework)
    fonts = installed_fonts()
    settings = pdf_settings(book, lambda: fonts)
    out = book.layout.pdf(lang, framework) / f"{settings.name}.pdf"
    log = paths.out / f"{settings.name}.log"
    shown_log = log.relative_to(book.root).as_posix() if log.is_relative_to(book.root) else str(log)
    result = PdfResult(lang, framework, out, log)
    clock = time.perf_counter()
    pages = _Pages(book, lang, framework, words_for(lang), Inputs.of(book))
    pages.diagnostics.extend(settings.diagnostics)
    tree = Tree(paths.src)
    positions: dict[str, tuple[str, tuple[int, ...]]] = {}
    texts: list[str] = []
    others: dict[str, str] = {}  # untranslated pages: page -> their language
    for page in site_pages(book, lang, pages.read):
        if page.lang != lang:
            others[page.docname] = page.lang
        generated = pages.generate(page)
        if generated is None:
            continue
        pages.report(generated.file, generated.problems)
        if tree.write(f"{page.docname}.ipynb", generated.notebook):
            result.rewritten.append(page.docname)
        positions[page.docname] = (generated.file, generated.positions)
        texts.append(generated.notebook)
    result.pages = len(positions)
    back: list[str] = []
    if _needs_bibliography(texts):
        tree.write(BIBLIOGRAPHY_PAGE, _bibliography_page())
        back.append(BIBLIOGRAPHY_PAGE.removesuffix(".md"))
    logo = _logo(book, tree, settings, pages)
    spec = _spec(book, lang, framework, paths, settings, others, back, logo)
    _write_project(book, pages, tree, spec, settings)
    tree.prune()
    write_positions(paths.positions, positions)
    locator = Locator(positions)
    result.seconds["generate"] = time.perf_counter() - clock

    state_path = paths.work / "state.json"
    state = State.load(state_path)
    digest = source_digest(tree.kept, paths.src, f"{__version__}:{latex.source_date_epoch()}")
    cache = WarningCache.load(paths.warnings)
    if state.complete(digest, out):
        result.ok = True
        issues = list(state.issues)
    else:
        state_path.unlink(missing_ok=True)  # until this build completes
        gloss = gloss_for(lang)
        programs, files = latex.needs(gloss, lang, _needs_svg(pages, texts, settings))
        wanted = [latex.Need(name, FONT_PACKAGES.get(name, "")) for name in vars_fonts(settings)]
        absent = latex.missing(programs, files, wanted, fonts)
        if absent:
            result.diagnostics = [
                *pages.diagnostics,
                *latex.setup_diagnostics(absent, lang, framework),
            ]
            out.unlink(missing_ok=True)
            return result
        issues = _run(
            book,
            paths,
            result,
            cache,
            settings.name,
            gloss is None or gloss.hyphenation,
            jobs,
            verbose,
        )
        if result.ok:
            write_atomic(out, (paths.out / f"{settings.name}.pdf").read_bytes())
            State(digest, State.stamp(out), tuple(issues)).save(state_path)
        else:
            out.unlink(missing_ok=True)  # no stale or partial PDF
    sphinx = to_diagnostics(cache.all(), locator, lang, framework)
    latex_diagnostics = _issues_to_diagnostics(issues, locator, shown_log, lang, framework)
    result.diagnostics = _dedupe(pages.diagnostics + sphinx + latex_diagnostics)
    return result


def vars_fonts(settings: PdfSettings) -> list[str]:
    fonts = settings.fonts
    return [fonts.main, fonts.sans, fonts.mono]


def _run(
    book: Book,
    paths: SitePaths,
    result: PdfResult,
    cache: WarningCache,
    name: str,
    hyphenation: bool,
    jobs: int | None,
    verbose: bool,
) -> list[Issue]:
    """Sphinx, then LaTeX; the problems LaTeX's log shows."""
    from polybook.render.pdf.sphinx_run import run_sphinx_latex

    clock = time.perf_counter()
    workers = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    run = run_sphinx_latex(paths, jobs=workers, verbose=verbose)
    result.sphinx, result.read = True, len(run.read)
    cache.update("read", run.read, parse(run.warnings.get("read", ""), paths.src), run.all_docs)
    cache.update(
        "write", run.all_docs, parse(run.warnings.get("write", ""), paths.src), run.all_docs
    )
    cache.save(paths.warnings)
    result.seconds["sphinx"] = time.perf_counter() - clock

    tex = paths.out / f"{name}.tex"
    latex_run = latex.run_latexmk(paths.out, name)
    result.latex = latex_run.passes
    result.seconds["latex"] = latex_run.seconds
    log_text = result.log.read_text("utf-8", errors="replace") if result.log.is_file() else ""
    tex_text = tex.read_text("utf-8", errors="replace") if tex.is_file() else ""
    issues = read_log(log_text, tex_text, tex.name, hyphenation)
    result.ok = latex_run.ok and not any(i.kind is Code.PDF_LATEX_ERROR for i in issues)
    if not latex_run.ok and not any(i.kind is Code.PDF_LATEX_ERROR for i in issues):
        tail = " | ".join(latex_run.output.strip().splitlines()[-3:])
        issues.append(Issue(Code.PDF_LATEX_ERROR.name, f"latexmk failed: {tail}"))
    return issues
