"""Running LaTeX: what it needs from the system (named by Debian package), and latexmk.

xelatex runs through latexmk (as many passes as the cross-references need,
nothing when the .tex and everything it reads are unchanged) in non-stop
mode, stopping at the first error. Dates in the PDF come from
SOURCE_DATE_EPOCH (the caller's, else 0) so that a rebuild of the same
sources gives the same bytes; log lines are not wrapped (max_print_line).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.interrupt import checkpoint
from polybook.render.pdf.languages import Gloss

# `make pdf-deps` installs them (tools/make/pdf.mk)
DEBIAN_PACKAGES = (
    "texlive-xetex",
    "latexmk",
    "texlive-latex-extra",
    "texlive-fonts-recommended",
    "texlive-lang-european",
    "texlive-lang-other",
    "texlive-lang-french",
    "fonts-noto-core",
    "fonts-noto-mono",
    "librsvg2-bin",
)
PROGRAMS = {
    "xelatex": "texlive-xetex",
    "latexmk": "latexmk",
    "kpsewhich": "texlive-binaries",
}
SVG_PROGRAM = ("rsvg-convert", "librsvg2-bin")
# files Sphinx's LaTeX and the PDF's preamble load, one per Debian package
TEX_FILES = {
    "fncychap.sty": "texlive-latex-extra",
    "accsupp.sty": "texlive-latex-extra",
    "polyglossia.sty": "texlive-latex-recommended",
    "pzdr.tfm": "texlive-fonts-recommended",
    "lmmono10-regular.otf": "fonts-lmodern",
}
LATEX_TIMEOUT = 900  # seconds: a runaway TeX loop fails the build instead of hanging it


@dataclass(frozen=True, slots=True)
class Need:
    """One thing LaTeX needs and the Debian package that provides it."""

    what: str
    package: str


def needs(gloss: Gloss | None, lang: str, svg: bool) -> tuple[list[Need], list[Need]]:
    """(programs, TeX files) the PDF of a language needs."""
    programs = [Need(name, package) for name, package in PROGRAMS.items()]
    if svg:
        programs.append(Need(*SVG_PROGRAM))
    files = [Need(name, package) for name, package in TEX_FILES.items()]
    if gloss is not None and gloss.babel:
        files.append(Need(f"{gloss.name}.ldf", gloss.package))  # babel-french
    elif gloss is not None:
        files.append(Need(f"gloss-{gloss.name}.ldf", "texlive-latex-recommended"))
        if gloss.hyphenation and gloss.name != "english":
            files.append(Need(f"hyph-{lang.split('_')[0]}.tex", gloss.package))
    return programs, files


def missing(
    programs: Iterable[Need], files: Iterable[Need], fonts: Iterable[Need], installed: set[str]
) -> list[Need]:
    """What is not on this machine (one kpsewhich call for every TeX file)."""
    absent = [n for n in programs if shutil.which(n.what) is None]
    files = list(files)
    if files and shutil.which("kpsewhich") is not None:
        run = subprocess.run(
            ["kpsewhich", *(n.what for n in files)], capture_output=True, text=True, check=False
        )
        found = {Path(line.strip()).name for line in run.stdout.splitlines()}
        absent += [n for n in files if n.what not in found]
    absent += [n for n in fonts if n.what not in installed]
    return absent


def setup_diagnostics(absent: Iterable[Need], lang: str, framework: str) -> list[Diagnostic]:
    by_package: dict[str, list[str]] = {}
    for need in absent:
        by_package.setdefault(need.package, []).append(need.what)
    return [
        Diagnostic.make(
            Code.PDF_SETUP,
            "(pdf)",
            0,
            f"{', '.join(names)} not found: install the Debian package {package} "
            f"(make pdf-deps installs every package the PDF needs) ({lang}, {framework})",
        )
        for package, names in sorted(by_package.items())
    ]


@dataclass(frozen=True, slots=True)
class LatexRun:
    ok: bool
    log: Path
    pdf: Path
    output: str  # latexmk's own output (the last lines tell why it stopped)
    seconds: float

    @property
    def passes(self) -> int:
        """How many times latexmk ran xelatex (0: everything was up to date)."""
        return len(re.findall(r"Run number \d+ of rule '[^']*latex'", self.output))


def source_date_epoch() -> str:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return value if value.isdigit() else "0"


def run_latexmk(folder: Path, name: str) -> LatexRun:
    """latexmk + xelatex on `<folder>/<name>.tex` -> `<name>.pdf` there."""
    engine = "xelatex -no-pdf -interaction=nonstopmode -halt-on-error -file-line-error %O %S"
    command = ["latexmk", "-norc", "-xelatex", f"-xelatex={engine}", "-silent", f"{name}.tex"]
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": source_date_epoch(),
        "FORCE_SOURCE_DATE": "1",
        "max_print_line": "100000",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    start = time.perf_counter()
    # latexmk and the xelatex runs it starts lead a process group of their
    # own, killed whatever ends the wait (a timeout, Ctrl-C): no TeX process
    # outlives the build or writes into the next one's folder
    process = subprocess.Popen(
        command,
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        checkpoint("latex-running", f"pid={process.pid} {folder.name}")
        stdout, stderr = process.communicate(timeout=LATEX_TIMEOUT)
        ok, output = process.returncode == 0, stdout + stderr
    except subprocess.TimeoutExpired:
        ok, output = False, f"latexmk did not finish in {LATEX_TIMEOUT} s"
    finally:
        _kill_group(process)
    pdf = folder / f"{name}.pdf"
    return LatexRun(
        ok and pdf.is_file(), folder / f"{name}.log", pdf, output, time.perf_counter() - start
    )


def _kill_group(process: subprocess.Popen[str]) -> None:
    """When latexmk still runs (a timeout, Ctrl-C): SIGKILL its process group,
    xelatex included; then reap it."""
    if process.poll() is None:  # not reaped: its pid is still its group's
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()
