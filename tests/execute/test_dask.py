"""Distributed execution on a real Dask cluster bound to 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.execute.conftest import TinyBook, outputs_text, page

# slow: a local Dask cluster (worker processes) running real kernels
pytestmark = pytest.mark.slow

LIB = "def twice(x):\n    return 2 * x\n"


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    # the worker process inherits these: one fake GPU, a private work root
    monkeypatch.setenv("POLYBOOK_GPUS", "3")
    monkeypatch.setenv("POLYBOOK_WORK_DIR", str(tmp_path / "worker-work"))
    with distributed.LocalCluster(
        host="127.0.0.1",
        n_workers=1,
        threads_per_worker=2,
        processes=True,
        resources={"GPU": 1},
        dashboard_address=None,
        silence_logs=40,
    ) as local_cluster:
        yield local_cluster


def _fill(book: TinyBook) -> None:
    book.configure(execute='[execute.pages."ch/gpu.md"]\ngpus = 1\n')
    book.lib("torch", LIB)
    book.write("ch/cpu.md", page("CPU", "print('cpu page', 6 * 7)"))
    book.write(
        "ch/lib.md", page("Lib", "from d2l import torch as d2l\nprint('lib', d2l.twice(21))")
    )
    code = "import os\nprint('devices', repr(os.environ['CUDA_VISIBLE_DEVICES']))"
    book.write("ch/gpu.md", page("GPU", code))


def _outputs(book: TinyBook) -> dict[str, Any]:
    out = {}
    for key, raw in book.cache_objects().items():
        payload = json.loads(raw.split(b"\n", 1)[1])
        out[key] = payload["cells"]
    return out


def test_dask_run_fills_the_same_cache_as_a_local_run(
    cluster: Any, tmp_path: Path, tiny_envs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = TinyBook(tmp_path / "remote", tiny_envs)
    _fill(remote)
    outcome = remote.execute("--scheduler", "dask", "--address", cluster.scheduler_address)
    assert outcome.code == 0, outcome.err
    assert len(outcome.executed) == 3
    assert "lib 42" in outputs_text(remote.executed_notebook("ch/lib.md"))
    assert "devices '3'" in outputs_text(remote.executed_notebook("ch/gpu.md"))
    assert "cpu page 42" in outputs_text(remote.executed_notebook("ch/cpu.md"))

    local = TinyBook(tmp_path / "local", tiny_envs)
    _fill(local)
    monkeypatch.setenv("POLYBOOK_GPUS", "3")
    assert local.execute().code == 0
    assert sorted(local.cache_objects()) == sorted(remote.cache_objects())
    assert _outputs(local) == _outputs(remote)
    # and the remote results are cache hits for a local run of that tree
    assert remote.execute().executed == set()


def test_dask_failure_is_located_and_unreachable_scheduler_is_an_error(
    cluster: Any, book: TinyBook
) -> None:
    path = book.write("ch/bad.md", page("Bad", "print('x')\nraise RuntimeError('remote boom')"))
    line = path.read_text().splitlines().index("raise RuntimeError('remote boom')") + 1
    outcome = book.execute("--scheduler", "dask", "--address", cluster.scheduler_address)
    assert outcome.code == 1
    assert f"chapters/en/ch/bad.md:{line}: error [en/pytorch] cell-error" in outcome.err
    unreachable = book.execute(
        "--scheduler", "dask", "--address", "tcp://127.0.0.1:9", "--connect-timeout", "2"
    )
    assert unreachable.code == 2
    assert "cannot reach the Dask scheduler" in unreachable.err
