"""The book in chapters/, end to end, in the real framework environments.

Every page executes in every framework (LeNet reaches >= 0.9 test accuracy);
translations whose code equals the English code reuse its outputs; the sites
of issue #6's acceptance build with --strict (no warning). These tests use the
repository itself (its `_build/` and cache), so a rerun is mostly cached.

Without the environments (`make env-all`) they skip, except under
POLYBOOK_STRICT_TESTS=1 (set by `make test`), where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from polybook.execute.keys import semantic_source
from tests.conftest import REPO, require
from tests.render.htmlparse import Page

# slow: the whole book in the four real framework environments, then `make html`
pytestmark = pytest.mark.slow

FRAMEWORKS = ("pytorch", "mxnet", "jax", "tensorflow")
POLYBOOK = [sys.executable, "-m", "polybook", "--book", str(REPO)]
REPORTS = REPO / "_build" / "test-reports"


def _require_envs() -> None:
    missing = [fw for fw in FRAMEWORKS if not (REPO / "_envs" / fw / ".installed").is_file()]
    require(not missing, f"framework environments missing: {missing} (make env-all)")


def _execute(lang: str, framework: str) -> dict[str, object]:
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"execute-{lang}-{framework}.json"
    run = subprocess.run(
        [
            *POLYBOOK,
            "execute",
            "--lang",
            lang,
            "--framework",
            framework,
            "--keep-going",
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    data: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def english() -> dict[str, dict[str, object]]:
    _require_envs()
    return {fw: _execute("en", fw) for fw in FRAMEWORKS}


def _counts(report: dict[str, object]) -> dict[str, int]:
    counts = report["counts"]
    assert isinstance(counts, dict)
    return {str(k): int(v) for k, v in counts.items()}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_page_executes_and_lenet_learns(
    english: dict[str, dict[str, object]], framework: str
) -> None:
    counts = _counts(english[framework])
    assert counts.get("failed", 0) == 0
    assert counts.get("executed", 0) + counts.get("cached", 0) == 13
    nb = json.loads(
        (REPO / "_build/executed/en" / framework / "chapter_cnn/lenet.ipynb").read_text("utf-8")
    )
    text = "".join(
        "".join(out.get("text", ""))
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for out in cell.get("outputs", [])
    )
    accuracy = re.findall(r"test accuracy (\d\.\d+)", text)
    assert accuracy, "the LeNet page prints its test accuracy"
    assert float(accuracy[-1]) >= 0.9


def _code(lang: str, framework: str, page: str) -> list[str]:
    path = REPO / "_build" / "split" / lang / framework / page.replace(".md", ".ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [semantic_source("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("lang", ["id", "vi", "tr", "fr"])
def test_translations_reuse_the_english_outputs(
    english: dict[str, dict[str, object]], lang: str
) -> None:
    """A translated page shares the English cache entry exactly when its code
    equals the English code beyond comments (translated plot titles must be
    drawn again), so it never runs again."""
    for framework in FRAMEWORKS:
        report = _execute(lang, framework)
        counts = _counts(report)
        assert counts.get("failed", 0) == 0
        english_keys = _keys(english[framework])
        shared: list[str] = []
        own: list[str] = []
        for page, key in _keys(report).items():
            (shared if key == english_keys[page] else own).append(page)
            if key == english_keys[page]:
                assert _code(lang, framework, page) == _code("en", framework, page)
            else:
                assert _code(lang, framework, page) != _code("en", framework, page)
        assert len(shared) > len(own), f"{lang}/{framework}: {own} differ from English"
        assert counts.get("executed", 0) <= len(own)


def _keys(report: dict[str, object]) -> dict[str, str]:
    notebooks = report["notebooks"]
    assert isinstance(notebooks, list)
    return {str(n["page"]): str(n["key"]) for n in notebooks}


SITES = [("en", "pytorch"), ("id", "jax"), ("vi", "mxnet"), ("tr", "tensorflow"), ("fr", "all")]
FIGURE_WORD = {"en": "Figure", "id": "Gambar", "vi": "Hình", "tr": "Şekil", "fr": "Figure"}


@pytest.mark.parametrize(("lang", "framework"), SITES)
def test_sites_build_strict_and_localized(
    english: dict[str, dict[str, object]], lang: str, framework: str
) -> None:
    """`make html LANG=... FRAMEWORK=... HTML_ARGS=--strict`, as a user types it
    (with the toolchain venv that runs these tests)."""
    venv = Path(sys.prefix)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    run = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "html",
            f"LANG={lang}",
            f"FRAMEWORK={framework}",
            "HTML_ARGS=--strict",
            f"VENV={venv}",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    site = REPO / "_build" / "html" / lang / framework
    assert run.stdout.rstrip().endswith(f"site: {site / 'index.html'}")
    # one build graph: each language the site reads is split once
    splits = re.findall(r"^split: (\w+): ", run.stdout, re.MULTILINE)
    assert splits == ([lang] if lang == "en" else [lang, "en"]), run.stdout
    lenet = Page.load(site / "chapter_cnn" / "lenet.html")
    text = lenet.visible_text(skip_code=False)
    assert re.search(rf"{FIGURE_WORD[lang]} 3\.2\.\d", text), "localized figure numbers"
    assert "test accuracy 0." in text, "outputs of executed cells are shown"
    for page in site.rglob("*.html"):
        body = Page.load(page).visible_text()
        for raw in (":numref:`", ":label:`", ":cite:`", "(**"):
            assert raw not in body, f"{raw} left in {page.relative_to(site)}"
