"""The real framework environments built by `make env` (skipped where absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require
from tests.execute.conftest import TinyBook, outputs_text, page

# slow: kernels of the real framework environments (`make env`)
pytestmark = pytest.mark.slow

REPO_ENVS = Path(__file__).resolve().parents[2] / "_envs"


def _need(framework: str) -> None:
    require(
        (REPO_ENVS / framework / ".installed").is_file(),
        f"no {framework} environment (make env FRAMEWORK={framework})",
    )


def test_pytorch_and_jax_kernels(tmp_path: Path) -> None:
    _need("pytorch")
    _need("jax")
    book = TinyBook(tmp_path / "book", REPO_ENVS)
    book.configure(("pytorch", "jax"))
    book.write(
        "ch/a.md",
        page(
            "A",
            "%%tab pytorch\nimport torch\nprint('torch', torch.ones(3).sum().item())",
            "%%tab jax\nimport jax, jax.numpy as jnp\nprint('jax', float(jnp.ones(3).sum()), "
            "jax.default_backend())",
        ),
    )
    outcome = book.execute()
    assert outcome.code == 0, outcome.err
    assert "torch 3.0" in outputs_text(book.executed_notebook("ch/a.md", "pytorch"))
    assert "jax 3.0 cpu" in outputs_text(book.executed_notebook("ch/a.md", "jax"))
    assert book.execute().executed == set()
