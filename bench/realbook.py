"""Helpers of bench_realbook.py: commands timed as fresh processes, what a built
site and a book's sources hold (equations, citations), d2lbook's HTML build."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from polybook.source.book import Book
from polybook.source.elements import Equation
from polybook.source.model import TextBlock

DIAGNOSTIC = re.compile(r"^(?P<file>[^\n]*?):(?P<line>\d+): (?P<severity>\w+) (?P<code>PB\d+): ")
_DISPLAY_MATH = re.compile(r'<div class="math[ "]')
_EQNO = re.compile(r'<span class="eqno">')
_CITATION = re.compile(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', re.S)
_CITE_ROLES = ("cite", "citet", "citep")


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    returncode: int
    stdout: str
    stderr: str

    def tail(self, lines: int = 6) -> str:
        return "\n".join((self.stdout + self.stderr).strip().splitlines()[-lines:])


def polybook() -> list[str]:
    """The `polybook` command of this environment (its console script)."""
    script = Path(sys.executable).with_name("polybook")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "polybook"]


def run(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    start = time.perf_counter()
    done = subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return Run(time.perf_counter() - start, done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True, slots=True)
class Timing:
    runs: tuple[Run, ...]

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def last(self) -> Run:
        return self.runs[-1]

    def show(self) -> str:
        return f"{self.median:6.2f} s median, {self.best:6.2f} s best of {len(self.runs)}"


def repeat(cmd: Sequence[str], cwd: Path, times: int, before: Callable[[], None]) -> Timing:
    """`cmd` run `times` times as a fresh process, `before` each run."""
    runs = []
    for _ in range(times):
        before()
        runs.append(run(cmd, cwd))
    return Timing(tuple(runs))


def copy_book(source: Path, dest: Path) -> Path:
    """The book without its build folder and version control."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("_build", ".git"), symlinks=True)
    return dest


def codes(text: str) -> Counter[str]:
    """Diagnostics printed as `file:line: severity CODE: message`, by code."""
    return Counter(m["code"] for line in text.splitlines() if (m := DIAGNOSTIC.match(line)))


def show_codes(counts: Counter[str]) -> str:
    return ", ".join(f"{code} {n}" for code, n in sorted(counts.items())) or "none"


@dataclass(frozen=True, slots=True)
class SourceFacts:
    equations: int  # display equations of every page
    labelled: int
    citations: int  # citation keys, counted at every use


def source_facts(book: Book, lang: str) -> SourceFacts:
    equations = labelled = citations = 0
    for rel in book.page_files(lang):
        page = book.read(lang, rel)
        for block in page.blocks:
            if not isinstance(block, TextBlock):
                continue
            for element in block.elements:
                if isinstance(element, Equation):
                    equations += 1
                    labelled += element.label is not None
        citations += sum(len(r.targets) for r in page.roles if r.kind in _CITE_ROLES)
    return SourceFacts(equations, labelled, citations)


@dataclass(frozen=True, slots=True)
class SiteFacts:
    pages: int
    equations: int  # display math blocks
    numbered: int  # of which show a number
    citations: int  # citation links (resolved keys)


def site_facts(out: Path) -> SiteFacts:
    pages = equations = numbered = citations = 0
    for path in out.rglob("*.html"):
        if path.name in ("search.html", "genindex.html"):
            continue
        pages += 1
        text = path.read_text("utf-8")
        equations += len(_DISPLAY_MATH.findall(text))
        numbered += len(_EQNO.findall(text))
        citations += sum(span.count("<a ") for span in _CITATION.findall(text))
    return SiteFacts(pages, equations, numbered, citations)


def d2lbook_copy(source: Path, dest: Path) -> Path:
    """A copy of the book for d2lbook's HTML build of the unexecuted book:
    `eval_notebook = False`, and no `[pdf] style` (its LaTeX style is downloaded
    by the rst step, which the HTML build runs)."""
    copy_book(source, dest)
    config = dest / "config.ini"
    lines = config.read_text("utf-8").splitlines()
    keys = [_section_key(lines, i) for i in range(len(lines))]
    out = []
    for line, (section, key) in zip(lines, keys, strict=True):
        if (section, key) == ("build", "eval_notebook"):
            line = "eval_notebook = False"
        elif (section, key) == ("pdf", "style"):
            line = "style ="
        out.append(line)
        if line.strip() == "[build]" and ("build", "eval_notebook") not in keys:
            out.append("eval_notebook = False")
    config.write_text("\n".join(out) + "\n", "utf-8")
    return dest


def _section_key(lines: list[str], index: int) -> tuple[str, str]:
    """(section, key) of the `key = value` line `index` of an ini file ("" if none)."""
    section = ""
    for line in lines[: index + 1]:
        header = re.match(r"^\[(.+)\]\s*$", line)
        if header:
            section = header[1].strip()
    line = lines[index]
    key = line.split("=", 1)[0].strip() if "=" in line and not line[:1].isspace() else ""
    return section, key


def d2lbook_html(d2lbook: Path, root: Path) -> Run:
    """`d2lbook build html` with its environment's tools (sphinx-build) first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{d2lbook.parent}{os.pathsep}{env.get('PATH', '')}"
    return run([str(d2lbook), "build", "html"], root, env)
