"""Reading a PDF the way a reader does, with poppler-utils (pdftotext, pdffonts, pdftoppm)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

from tests.conftest import require

TOOLS = ("xelatex", "latexmk", "rsvg-convert", "pdftotext", "pdffonts", "pdftoppm")


def require_tex() -> None:
    """TeX Live and poppler-utils (`make pdf-deps`): skipped without them, a
    failure under `make test`."""
    absent = [tool for tool in TOOLS if shutil.which(tool) is None]
    require(not absent, f"{', '.join(absent)} not installed (make pdf-deps)")


def text(pdf: Path, *, layout: bool = False, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    run = subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def fonts(pdf: Path) -> dict[str, bool]:
    """Every font of the PDF and whether it is embedded."""
    run = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    out: dict[str, bool] = {}
    for line in run.stdout.splitlines()[2:]:
        fields = line.split()
        # name type... emb sub uni object ID: emb is the 5th field from the end
        out[fields[0]] = fields[-5] == "yes"
    return out


def pages(pdf: Path) -> int:
    run = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)$", run.stdout, re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def render(pdf: Path, page: int, out: Path, resolution: int = 60) -> Path:
    """Page `page` as a PNG at `out` (for a look)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stem = out.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(resolution),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return stem.with_suffix(".png")


def space_glyph_fonts(pdf: Path) -> set[str]:
    """Fonts that typeset the space character as a glyph (their ToUnicode map has
    a glyph for U+0020): text copied from them keeps its spaces, leading ones too."""
    data = pdf.read_bytes()
    found: set[str] = set()
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            stream = zlib.decompress(data[match.end() : end])
        except zlib.error:
            continue
        name = re.search(rb"/CMapName\s*/(\S+)", stream)
        if name and re.search(rb"<[0-9A-Fa-f]+>\s*<0020>", stream):
            found.add(name.group(1).decode("ascii", "replace"))
    return found
