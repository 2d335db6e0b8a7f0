"""Why each notebook ran, and what it cost: real runs and dry runs of a tiny
book with real kernels."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.execute.conftest import Outcome, TinyBook, page
from tests.execute.tinyenv import make_tiny_env

pytestmark = pytest.mark.slow


def _line_of(path: Path, text: str) -> int:
    """The 1-based line of `path` that holds `text` (the test knows its page)."""
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def _notebook(outcome: Outcome, page_rel: str, framework: str = "pytorch") -> dict[str, Any]:
    for n in outcome.report["notebooks"]:
        if n["page"] == page_rel and n["framework"] == framework:
            return dict(n)
    raise KeyError(page_rel)


def _reasons(outcome: Outcome, page_rel: str, framework: str = "pytorch") -> list[dict[str, Any]]:
    return list(_notebook(outcome, page_rel, framework)["reasons"])


def _dry(book: TinyBook) -> Outcome:
    return book.execute("--dry-run", "--explain")


def _would_run(outcome: Outcome) -> set[tuple[str, str, str]]:
    return outcome.with_status("would-run")


def test_new_pages_then_one_edited_cell_named_by_its_book_line(book: TinyBook) -> None:
    path = book.write("ch/a.md", page("A", "x = 1", "print('two')", "print('three')"))
    book.write("ch/b.md", page("B", "print('b')"))
    first = book.execute()
    assert first.code == 0, first.err
    assert [r["kind"] for r in _reasons(first, "ch/a.md")] == ["new-page"]
    assert _reasons(first, "ch/a.md")[0]["code"] == "PB350"
    assert "why: new page" in first.out

    book.write("ch/a.md", page("A", "x = 1", "print('two, edited')", "print('three')"))
    fence = _line_of(path, "print('two, edited')") - 1
    dry = _dry(book)
    assert dry.code == 0
    assert _would_run(dry) == {("en", "pytorch", "ch/a.md")}
    assert dry.executed == set()
    [reason] = _reasons(dry, "ch/a.md")
    assert reason["kind"] == "code-changed" and reason["code"] == "PB351"
    assert reason["changes"] == [
        {
            "name": "cell",
            "state": "changed",
            "file": "chapters/en/ch/a.md",
            "line": fence,
            "lines": [fence + 1],
        }
    ]
    assert f"cell chapters/en/ch/a.md:{fence} changed (line {fence + 1})" in dry.out
    # the dry run wrote nothing: the executed notebook still has the old outputs
    assert "two, edited" not in str(book.executed_notebook("ch/a.md"))

    real = book.execute()
    assert real.executed == _would_run(dry)
    assert _reasons(real, "ch/a.md") == [reason]
    assert f"why: code changed: cell chapters/en/ch/a.md:{fence} changed" in real.out
    # cache hits are summarised
    assert "1 from the cache" in real.out


def test_a_comment_only_edit_and_an_added_cell(book: TinyBook) -> None:
    path = book.write("ch/a.md", page("A", "x = 1", "print(x)"))
    assert book.execute().code == 0
    book.write("ch/a.md", page("A", "x = 1  # one", "print(x)"))
    assert _would_run(_dry(book)) == set()
    book.write("ch/a.md", page("A", "x = 1", "print(x)", "print('new')"))
    fence = _line_of(path, "print('new')") - 1
    [reason] = _reasons(_dry(book), "ch/a.md")
    assert reason["changes"] == [
        {
            "name": "cell",
            "state": "added",
            "file": "chapters/en/ch/a.md",
            "line": fence,
            "lines": [fence + 1],
        }
    ]


def _fake_package(env: Path, name: str, version: str) -> Path:
    site = next((env / "lib").glob("python*/site-packages"))
    for old in site.glob(f"{name}-*.dist-info"):
        shutil.rmtree(old)
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Name: {name}\nVersion: {version}\n")
    return info


def test_environment_change_names_the_package_and_both_versions(
    book: TinyBook, tmp_path: Path
) -> None:
    envs = tmp_path / "own-envs"
    env = make_tiny_env(envs / "pytorch", "pytorch")
    _fake_package(env, "torch", "2.12.0")
    book.envs = envs
    book.write("ch/a.md", page("A", "print('a')"))
    assert book.execute().code == 0
    _fake_package(env, "torch", "2.13.0")
    dry = _dry(book)
    [reason] = _reasons(dry, "ch/a.md")
    assert reason["kind"] == "environment-changed" and reason["code"] == "PB352"
    assert reason["changes"] == [{"name": "torch", "old": "2.12.0", "new": "2.13.0"}]
    assert "environment changed: torch 2.12.0 \u2192 2.13.0" in dry.out
    real = book.execute("--junit", str(tmp_path / "junit.xml"))
    assert real.executed == _would_run(dry)
    assert _reasons(real, "ch/a.md") == [reason]
    props = {
        p.get("name"): p.get("value")
        for p in ET.parse(tmp_path / "junit.xml").getroot().iter("property")
    }
    assert props["polybook.reason"] == "PB352 environment changed: torch 2.12.0 \u2192 2.13.0"
    assert float(props["polybook.cpu_seconds"] or "0") > 0
    assert props["polybook.origin"] == "run"


LIBRARY_INDEX = "# Tiny\n\n```toc\n:maxdepth: 2\n\nch/save\nch/uses_f\nch/uses_g\n```\n"


def _library_book(book: TinyBook) -> Path:
    (book.root / "d2l").mkdir()
    (book.root / "d2l" / "__init__.py").write_text('__version__ = "0.0.0"\n')
    book.write("index.md", LIBRARY_INDEX)
    save = book.write("ch/save.md", _save_page("return 1"))
    book.write("ch/uses_f.md", page("F", "from d2l import torch as d2l\nprint(d2l.f())"))
    book.write("ch/uses_g.md", page("G", "from d2l import torch as d2l\nprint(d2l.g())"))
    return save


def _save_page(body: str) -> str:
    return page(
        "Save",
        f"def f():  #@save\n    {body}",
        "def g():  #@save\n    return 'g'",
    )


def _lib(book: TinyBook) -> None:
    from polybook.cli import main

    assert main(["--book", str(book.root), "lib"]) == 0


def test_changed_saved_function_named_at_its_definition_and_only_users_rerun(
    book: TinyBook,
) -> None:
    save = _library_book(book)
    _lib(book)
    first = book.execute()
    assert first.code == 0, first.err
    book.write("ch/save.md", _save_page("return 2"))
    _lib(book)
    line = _line_of(save, "def f():")
    dry = _dry(book)
    assert _would_run(dry) == {("en", "pytorch", "ch/save.md"), ("en", "pytorch", "ch/uses_f.md")}
    [reason] = _reasons(dry, "ch/uses_f.md")
    assert reason["kind"] == "library-changed" and reason["code"] == "PB353"
    assert reason["changes"] == [
        {"name": "d2l.f", "state": "changed", "file": "chapters/en/ch/save.md", "line": line}
    ]
    assert f"library changed: d2l.f changed (chapters/en/ch/save.md:{line})" in dry.out
    assert [r["kind"] for r in _reasons(dry, "ch/save.md")] == ["code-changed"]
    real = book.execute()
    assert real.executed == _would_run(dry)
    assert _reasons(real, "ch/uses_f.md") == [reason]


def test_forced_and_kernel_settings(book: TinyBook) -> None:
    book.write("ch/a.md", page("A", "print('a')"))
    assert book.execute().code == 0
    forced = book.execute("--force")
    assert forced.executed == {("en", "pytorch", "ch/a.md")}
    assert _reasons(forced, "ch/a.md") == [{"kind": "forced", "code": "PB355", "message": "forced"}]
    book.configure(execute='[execute.pages."ch/*"]\nallow_errors = true\n')
    [reason] = _reasons(_dry(book), "ch/a.md")
    assert reason["kind"] == "kernel-settings" and reason["code"] == "PB354"
    assert reason["changes"] == [{"name": "allow_errors", "old": "false", "new": "true"}]


def test_cost_totals_translations_and_step_summary(
    book: TinyBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("before\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = "print(sum(range(10**6)))"
    book.write("ch/a.md", page("A", code))
    book.write("ch/a.md", page("A", code, prose="Prosa."), lang="id")
    english = book.execute("--lang", "en")
    assert english.code == 0
    notebook = _notebook(english, "ch/a.md")
    assert notebook["cpu_seconds"] > 0 and notebook["origin"] == "run"
    total = english.report["cost"]["total"]
    assert total["executed"] == 1 and total["wall_seconds"] == notebook["seconds"]
    assert english.report["cost"]["frameworks"]["pytorch"]["executed"] == 1
    assert english.report["cost"]["languages"]["en"]["cpu_seconds"] == notebook["cpu_seconds"]
    indonesian = book.execute("--lang", "id")
    shared = _notebook(indonesian, "ch/a.md")
    assert shared["status"] == "cached" and shared["source_language"] == "en"
    assert shared["saved_seconds"] == notebook["seconds"]
    assert indonesian.report["cost"]["total"]["shared_translations"] == 1
    assert "1 translations reused another language's outputs" in indonesian.out
    text = summary.read_text()
    assert text.startswith("before\n### polybook execute en (pytorch)\n")
    assert "1 notebooks ran: 1 because new page" in text
    assert "### polybook execute id (pytorch)\n" in text
    assert "1 translations reused another language's outputs." in text


def test_gpu_seconds_when_gpus_are_assigned(
    book: TinyBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLYBOOK_GPUS", "0,1")
    book.configure(execute='[execute.pages."ch/gpu.md"]\ngpus = 2\n')
    book.write("ch/gpu.md", page("G", "import os\nprint(os.environ['CUDA_VISIBLE_DEVICES'])"))
    book.write("ch/cpu.md", page("C", "print('cpu')"))
    outcome = book.execute()
    assert outcome.code == 0, outcome.err
    gpu, cpu = _notebook(outcome, "ch/gpu.md"), _notebook(outcome, "ch/cpu.md")
    assert gpu["gpus"] == 2 and abs(gpu["gpu_seconds"] - 2 * gpu["seconds"]) <= 0.002
    assert "gpus" not in cpu and "gpu_seconds" not in cpu
    frameworks = outcome.report["cost"]["frameworks"]["pytorch"]
    assert frameworks["gpu_seconds"] == gpu["gpu_seconds"]
    assert "GPU-s" in outcome.out
