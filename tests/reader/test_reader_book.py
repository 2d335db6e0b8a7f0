"""Reader notebooks of the book in chapters/ run in their framework environment.

The install cell is neutralised by POLYBOOK_NO_INSTALL=1 (offline: the
environment has the framework, the book's `d2l` comes from the repository on
PYTHONPATH). Uses the repository's `_build/` (as tests/book do) and the real
environments (`make env-all`); skipped without them, except under `make test`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from polybook.execute.envs import kernel_environ, resolve_env
from polybook.reader.build import INSTALL_VAR, install_source
from tests.conftest import REPO, require

FRAMEWORKS = ("pytorch", "mxnet", "jax", "tensorflow")
POLYBOOK = [sys.executable, "-m", "polybook", "--book", str(REPO)]
RAW = re.compile(r":[a-z]+:`|\(\*\*|\*\*\)|\[~~|~~\]|#\s*@save")


def test_the_install_cell_is_valid_ipython_and_guarded() -> None:
    """IPython turns the indented `%pip` into a call inside the `if`."""
    inputtransformer2 = pytest.importorskip("IPython.core.inputtransformer2")
    code = inputtransformer2.TransformerManager().transform_cell(install_source(["d2l==1.0.3"]))
    compile(code, "<install>", "exec")
    assert (
        f'if not os.environ.get("{INSTALL_VAR}"):\n'
        "    get_ipython().run_line_magic('pip', 'install -q d2l==1.0.3')"
    ) in code


@pytest.mark.slow  # every page of the book in a real kernel of the framework
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_reader_notebooks_of_the_book_run(framework: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbformat import reads

    env = resolve_env(framework, REPO / "_envs")
    require(env.exists(), f"no {framework} environment (make env FRAMEWORK={framework})")
    run = subprocess.run(
        [*POLYBOOK, "build", "notebooks", "--lang", "en", "--framework", framework],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = REPO / "_build" / "notebooks" / "en" / framework
    paths = sorted(out.rglob("*.ipynb"))
    assert len(paths) >= 8
    environ = kernel_environ([], (str(REPO),), ((INSTALL_VAR, "1"),))
    ran = 0
    for path in paths:
        text = path.read_text("utf-8")
        nb = reads(text, as_version=4)  # type: ignore[no-untyped-call]
        prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert RAW.search(prose) is None, f"{path}: {RAW.search(prose)}"
        assert "@save" not in "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert nb.cells[0].source.startswith("# Install what this notebook needs")
        if sum(1 for c in nb.cells if c.cell_type == "code") < 2:
            continue  # the install cell only: a page of prose
        ksm = KernelSpecManager(kernel_dirs=[str(env.kernels_dir)], ensure_native_kernel=False)
        km = KernelManager(kernel_name=env.kernel_name, kernel_spec_manager=ksm)
        client = NotebookClient(
            nb,
            km=km,
            kernel_name=env.kernel_name,
            timeout=600,
            resources={"metadata": {"path": str(path.parent)}},
        )
        with client.setup_kernel(env=environ, cwd=str(path.parent)):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)  # raises on an error
        assert nb.cells[0].outputs == []  # nothing installed
        ran += 1
        json.dumps(nb)  # executed notebook is still a notebook
    assert ran >= 6
