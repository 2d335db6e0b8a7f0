"""A tiny book with real kernels: minimal framework environments (a venv that
sees this interpreter's ipykernel) and helpers to run `polybook execute`."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from polybook.cli import main
from tests.execute.tinyenv import make_tiny_env

CONFIG = """\
[book]
title = "Tiny"
frameworks = [{frameworks}]

[execute]
cell_timeout = 60
notebook_timeout = 120
{execute}

{tables}
[languages.en]
name = "English"
title = "Tiny"

[languages.id]
name = "Bahasa Indonesia"
title = "Mungil"
"""

TABLES = {
    "pytorch": (
        '[framework.pytorch]\ndisplay_name = "PyTorch"\nmodule = "torch"\nlib_name = "torch"\n'
    ),
    "jax": '[framework.jax]\ndisplay_name = "JAX"\nmodule = "jax"\nlib_name = "jnp"\n',
}


def page(title: str, *cells: str, prose: str = "Some prose.") -> str:
    """A page: a title, prose, then code cells (each a source with its marker)."""
    parts = [f"# {title}\n\n{prose}\n"]
    for cell in cells:
        parts.append("```{.python .input}\n" + textwrap.dedent(cell).strip("\n") + "\n```\n")
    return "\n".join(parts)


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    report: dict[str, Any]

    def with_status(self, status: str) -> set[tuple[str, str, str]]:
        return {
            (n["language"], n["framework"], n["page"])
            for n in self.report.get("notebooks", [])
            if n["status"] == status
        }

    @property
    def executed(self) -> set[tuple[str, str, str]]:
        return self.with_status("executed")

    @property
    def failed(self) -> set[tuple[str, str, str]]:
        return self.with_status("failed")

    def failure(self, page: str, framework: str = "pytorch") -> dict[str, Any]:
        for n in self.report["notebooks"]:
            if n["page"] == page and n["framework"] == framework:
                return dict(n["failure"])
        raise KeyError(page)


@dataclass
class TinyBook:
    root: Path
    envs: Path

    def configure(self, frameworks: tuple[str, ...] = ("pytorch",), execute: str = "") -> None:
        names = ", ".join(f'"{f}"' for f in frameworks)
        tables = "".join(TABLES[f] for f in frameworks)
        text = CONFIG.format(frameworks=names, execute=textwrap.dedent(execute), tables=tables)
        (self.root / "_config").mkdir(parents=True, exist_ok=True)
        (self.root / "_config" / "book.toml").write_text(text, encoding="utf-8")

    def write(self, rel: str, text: str, lang: str = "en") -> Path:
        path = self.root / "chapters" / lang / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def lib(self, module: str, text: str) -> None:
        base = self.root / "d2l"
        base.mkdir(exist_ok=True)
        (base / "__init__.py").touch()
        (base / f"{module}.py").write_text(textwrap.dedent(text), encoding="utf-8")

    def argv(self, *args: str) -> list[str]:
        return ["--book", str(self.root), "execute", "--env-dir", str(self.envs), *args]

    def execute(self, *args: str) -> Outcome:
        report = self.root / "_build" / "report.json"
        report.unlink(missing_ok=True)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(self.argv(*args, "--report", str(report)))
        data = json.loads(report.read_text()) if report.is_file() else {}
        return Outcome(code, out.getvalue(), err.getvalue(), data)

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        """`polybook execute` in a process of its own."""
        return subprocess.Popen(
            [sys.executable, "-m", "polybook", *self.argv(*args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def executed_notebook(self, rel: str, framework: str = "pytorch", lang: str = "en") -> Any:
        path = self.root / "_build" / "executed" / lang / framework / rel
        return json.loads(path.with_suffix(".ipynb").read_text())

    def cache_objects(self) -> dict[str, bytes]:
        base = self.root / "_build" / "cache" / "objects"
        return {p.stem: p.read_bytes() for p in sorted(base.glob("*/*.json"))}


def markdown_text(nb: Any) -> str:
    return "".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    )


def outputs_text(nb: Any) -> str:
    """Every text output of a notebook, concatenated."""
    parts: list[str] = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"] if isinstance(out["text"], str) else "".join(out["text"]))
            if "data" in out:
                parts.append(str(out["data"].get("text/plain", "")))
            if out.get("output_type") == "error":
                parts.append(out["ename"])
    return "".join(parts)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that starts kernels must be marked slow: `make test-fast`
    (`-m "not slow"`) starts none."""
    unmarked = [
        item.nodeid
        for item in items
        if "tiny_envs" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"tests that start kernels need @pytest.mark.slow: {unmarked}")


@pytest.fixture(scope="session")
def tiny_envs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("envs")
    for framework in ("pytorch", "jax"):
        make_tiny_env(root / framework, framework)
    return root


@pytest.fixture
def book(tmp_path: Path, tiny_envs: Path) -> TinyBook:
    tiny = TinyBook(tmp_path / "book", tiny_envs)
    tiny.configure()
    return tiny
