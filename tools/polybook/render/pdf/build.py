"""The PDF stage function: `build_pdf(book, lang, framework)`.

the site's pages of that language and framework -> the PDF's Sphinx project
(`generate.py`, changed files only) -> Sphinx's LaTeX builder (incremental
reads) -> latexmk + xelatex -> the LaTeX log's problems at book positions ->
`_build/pdf/<lang>/<framework>/<name>.pdf`, replaced only by a complete PDF.

Nothing changed since the last complete build (the same generated project,
the PDF in place, `state.py`): neither Sphinx nor LaTeX runs, and the last
build's problems are reported again. Before LaTeX runs, what it needs is
checked; each missing Debian package is named (PB215) and nothing runs.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from polybook import __version__
from polybook.diagnostics import Code, Diagnostic
from polybook.files import write_atomic
from polybook.render.build import dedupe_diagnostics
from polybook.render.pdf import latex
from polybook.render.pdf.generate import Project, generate
from polybook.render.pdf.languages import gloss_for
from polybook.render.pdf.settings import FONT_PACKAGES, installed_fonts, pdf_settings
from polybook.render.pdf.state import State, source_digest
from polybook.render.pdf.texlog import Issue, read_log
from polybook.render.project import SitePaths
from polybook.render.warnings import Locator, WarningCache, parse, to_diagnostics
from polybook.source.book import Book


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


def _shown(book: Book, path: Path) -> str:
    return path.relative_to(book.root).as_posix() if path.is_relative_to(book.root) else str(path)


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


def _missing(project: Project, lang: str, fonts: set[str], families: list[str]) -> list[latex.Need]:
    programs, files = latex.needs(gloss_for(lang), lang, project.svg)
    wanted = [latex.Need(name, FONT_PACKAGES.get(name, "")) for name in families]
    return latex.missing(programs, files, wanted, fonts)


def build_pdf(
    book: Book, lang: str, framework: str, *, jobs: int | None = None, verbose: bool = False
) -> PdfResult:
    """Build the PDF of `lang` for one framework (see the module's docstring)."""
    paths = pdf_paths(book, lang, framework)
    fonts = installed_fonts()
    settings = pdf_settings(book, lambda: fonts)
    out = book.layout.pdf(lang, framework) / f"{settings.name}.pdf"
    result = PdfResult(lang, framework, out, paths.out / f"{settings.name}.log")
    clock = time.perf_counter()
    project = generate(book, lang, framework, paths, settings)
    result.pages, result.rewritten = len(project.positions), project.rewritten
    result.seconds["generate"] = time.perf_counter() - clock

    state_path = paths.work / "state.json"
    state = State.load(state_path)
    digest = source_digest(
        project.tree.kept, paths.src, f"{__version__}:{latex.source_date_epoch()}"
    )
    cache = WarningCache.load(paths.warnings)
    if state.complete(digest, out):
        result.ok = True
        issues = list(state.issues)
    else:
        state_path.unlink(missing_ok=True)  # until this build completes
        absent = _missing(project, lang, fonts, settings.fonts.families)
        if absent:
            setup = latex.setup_diagnostics(absent, lang, framework)
            result.diagnostics = [*project.diagnostics, *setup]
            out.unlink(missing_ok=True)
            return result
        issues = _run(paths, result, cache, settings.name, jobs, verbose)
        if result.ok:
            write_atomic(out, (paths.out / f"{settings.name}.pdf").read_bytes())
            State(digest, State.stamp(out), tuple(issues)).save(state_path)
        else:
            out.unlink(missing_ok=True)  # no stale or partial PDF
    locator = Locator(project.positions)
    sphinx = to_diagnostics(cache.all(), locator, lang, framework)
    log = _shown(book, result.log)
    found = _issues_to_diagnostics(issues, locator, log, lang, framework)
    result.diagnostics = dedupe_diagnostics(project.diagnostics + sphinx + found)
    return result


def _run(
    paths: SitePaths,
    result: PdfResult,
    cache: WarningCache,
    name: str,
    jobs: int | None,
    verbose: bool,
) -> list[Issue]:
    """Sphinx, then LaTeX; the problems LaTeX's log shows."""
    from polybook.render.pdf.sphinx_run import run_sphinx_latex

    clock = time.perf_counter()
    workers = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    run = run_sphinx_latex(paths, jobs=workers, verbose=verbose)
    result.sphinx, result.read = True, len(run.read)
    read, written = (parse(run.warnings.get(phase, ""), paths.src) for phase in ("read", "write"))
    cache.update("read", run.read, read, run.all_docs)
    cache.update("write", run.all_docs, written, run.all_docs)  # LaTeX writes every page
    cache.save(paths.warnings)
    result.seconds["sphinx"] = time.perf_counter() - clock

    tex = paths.out / f"{name}.tex"
    latex_run = latex.run_latexmk(paths.out, name)
    result.latex, result.seconds["latex"] = latex_run.passes, latex_run.seconds
    log_text = result.log.read_text("utf-8", errors="replace") if result.log.is_file() else ""
    tex_text = tex.read_text("utf-8", errors="replace") if tex.is_file() else ""
    gloss = gloss_for(result.lang)
    hyphenation, package = (True, "") if gloss is None else (gloss.hyphenation, gloss.package)
    issues = read_log(log_text, tex_text, tex.name, hyphenation, package)
    failed = any(issue.kind is Code.PDF_LATEX_ERROR for issue in issues)
    if not latex_run.ok and not failed:
        tail = " | ".join(latex_run.output.strip().splitlines()[-3:])
        issues.append(Issue(Code.PDF_LATEX_ERROR.name, f"latexmk failed: {tail}"))
    result.ok = latex_run.ok and not failed
    return issues
