"""The tab runtime in a real kernel: a page opened as a notebook (every code
cell as written, markers included) runs only the selected framework's cells.

The kernel's environment is built as `tiny_envs` builds its environments
(`make_tiny_env`; one of its own, since it gets a .pth file), with the
`polybook.pth` that tools/make/env.mk writes into the framework environments
(`polybook.tab.fallback.pth_text`), pointing at this checkout: `import
polybook` in the kernel must be this tree's, and
`%load_ext d2lbook.tab` is served by the fallback (no d2lbook is installed).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest

import polybook
from polybook.execute.envs import kernel_name
from polybook.tab.fallback import pth_text
from tests.execute.tinyenv import make_tiny_env

ROOT = Path(polybook.__file__).resolve().parents[2]  # this checkout

CELLS = [
    "%%tab pytorch\nran = ['pytorch']",
    "%%tab jax\nran = ['jax']",
    "%%tab all\nran.append('all')",
    "ran.append('unmarked')",  # the default tab's (pytorch, the first listed)
    "#@tab jax\nran.append('legacy jax')",
    "#@tab pytorch, jax\nran.append('legacy both')",
    "# %%tab pytorch\nran.append('commented pytorch')",
    "%%tab all\nif tab.selected('jax'):\n    ran.append('branch jax')\n"
    "elif tab.selected('pytorch'):\n    ran.append('branch pytorch')",
    "import d2lbook.tab, polybook\n"
    "print(ran)\nprint(polybook.__file__)\nprint(d2lbook.tab.selected is tab.selected)",
]


@pytest.fixture(scope="module")
def tab_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = make_tiny_env(tmp_path_factory.mktemp("tabenv") / "pytorch", "pytorch")
    python = env / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "polybook.pth").write_text(pth_text(ROOT), "utf-8")
    return env


def run_page(env: Path, first: str, environ: dict[str, str]) -> list[Any]:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    cells: list[dict[str, Any]] = [
        {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
         "outputs": [], "source": source}
        for i, source in enumerate([first, *CELLS])
    ]  # fmt: skip
    nb = nbformat.from_dict(  # type: ignore[no-untyped-call]
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    )
    kernels = env / "share" / "jupyter" / "kernels"
    ksm = KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)
    km = KernelManager(kernel_name=kernel_name("pytorch"), kernel_spec_manager=ksm)
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "POLYBOOK_FRAMEWORK")}
    client = NotebookClient(nb, km=km, timeout=60, startup_timeout=60)
    client.execute(env={**base, **environ}, cwd=str(env))
    return list(nb.cells)


def stdout(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")


def stderr(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr")


@pytest.mark.slow
def test_new_and_legacy_cells_of_the_environment_variables_framework(tab_env: Path) -> None:
    first = "%load_ext d2lbook.tab\ntab.interact_select(['pytorch', 'jax'])"
    cells = run_page(tab_env, first, {"POLYBOOK_FRAMEWORK": "jax"})
    ran, module, same = stdout(cells[-1]).splitlines()
    assert ran == str(["jax", "all", "legacy jax", "legacy both", "branch jax"])
    assert module == str(ROOT / "tools" / "polybook" / "__init__.py")
    assert same == "True"
    assert stderr(cells[1]) == ("polybook.tab: skipped a pytorch cell; selected framework: jax\n")
    assert "skipped a cell of the default framework" in stderr(cells[4])


@pytest.mark.slow
def test_the_framework_argument(tab_env: Path) -> None:
    first = "%load_ext polybook.tab\ntab.interact_select(['pytorch', 'jax'], framework='pytorch')"
    cells = run_page(tab_env, first, {"POLYBOOK_FRAMEWORK": "jax"})
    ran = stdout(cells[-1]).splitlines()[0]
    assert ran == str(
        ["pytorch", "all", "unmarked", "legacy both", "commented pytorch", "branch pytorch"]
    )
