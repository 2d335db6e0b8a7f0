"""GPU discovery and assignment, with a fake GPU list (no GPU needed)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from polybook.execute.gpus import GpuPool, clamp, discover
from polybook.execute.model import PageSettings, Result, Task
from polybook.execute.schedule import LocalScheduler, order
from polybook.split.model import Notebook
from tests.execute.conftest import TinyBook, page


def _task(name: str, gpus: int, expected: float | None = None) -> Task:
    return Task(
        key=name,
        lang="en",
        framework="pytorch",
        page=f"{name}.md",
        notebook=Notebook("p.md", f"{name}.md", "en", "pytorch"),
        kernel_name="polybook-pytorch",
        env_root="/nonexistent",
        workdir="pytorch",
        settings=PageSettings(60, 60, gpus),
        gpus=gpus,
        expected_seconds=expected,
    )


def test_discovery_order_of_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    assert discover({"POLYBOOK_GPUS": "0,1,2,3", "CUDA_VISIBLE_DEVICES": "5"}) == list("0123")
    assert discover({"POLYBOOK_GPUS": ""}) == []
    assert discover({"CUDA_VISIBLE_DEVICES": "2, 3"}) == ["2", "3"]
    assert discover({"CUDA_VISIBLE_DEVICES": "-1"}) == []
    monkeypatch.setenv("PATH", "/nonexistent")
    assert discover({}) == []  # no nvidia-smi: CPU only


def test_pool_hands_out_disjoint_devices() -> None:
    pool = GpuPool(["0", "1", "2", "3"])
    a = pool.try_acquire(2)
    b = pool.try_acquire(1)
    assert a == ["0", "1"] and b == ["2"]
    assert pool.try_acquire(2) is None
    pool.release(a)
    assert pool.try_acquire(8) is None  # clamped to 4, and only 3 free
    assert clamp(8, 4) == 4 and clamp(2, 0) == 0


def test_longest_first_unknown_first() -> None:
    tasks = [_task("short", 0, 1.0), _task("new", 0), _task("long", 0, 30.0)]
    assert [t.key for t in order(tasks)] == ["new", "long", "short"]


def test_local_scheduler_never_shares_a_gpu() -> None:
    pool = GpuPool(["0", "1", "2", "3"])
    tasks = [_task(f"t{i}", n, float(10 - i)) for i, n in enumerate([2, 1, 1, 2, 2, 1, 4, 0])]
    live: dict[str, list[str]] = {}
    seen: list[tuple[str, list[str]]] = []

    async def runner(task: Task, devices: list[str]) -> Result:
        in_use = [d for ds in live.values() for d in ds]
        assert not set(devices) & set(in_use), (task.key, devices, live)
        assert len(devices) == task.gpus
        live[task.key] = devices
        seen.append((task.key, devices))
        await asyncio.sleep(0.01 * (1 + len(task.key) % 3))
        del live[task.key]
        return Result(task.key, True, 0.01)

    asyncio.run(LocalScheduler(4, pool).run(tasks, runner, lambda t, d: None, lambda t, r: True))
    assert sorted(k for k, _ in seen) == sorted(t.key for t in tasks)
    assert pool.free == 4


@pytest.mark.slow  # real Jupyter kernels
def test_kernels_get_their_own_cuda_visible_devices(
    book: TinyBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log"
    log.mkdir()
    needs = {"p0": 2, "p1": 1, "p2": 1, "p3": 2, "cpu": 0}
    tables = "".join(f'[execute.pages."ch/{n}.md"]\ngpus = {g}\n' for n, g in needs.items())
    book.configure(execute=tables)
    for name in needs:
        code = (
            "import os, time, json\n"
            "start = time.time()\n"
            "time.sleep(0.8)\n"
            f"json.dump([start, time.time(), os.environ['CUDA_VISIBLE_DEVICES'], "
            f"os.environ.get('JAX_PLATFORMS')], open({str(log / name)!r}, 'w'))"
        )
        book.write(f"ch/{name}.md", page(name, code))
    monkeypatch.setenv("POLYBOOK_GPUS", "0,1,2,3")
    outcome = book.execute("--jobs", "4")
    assert outcome.code == 0, outcome.err
    runs = {n: json.loads((log / n).read_text()) for n in needs}
    for name, (_, _, devices, jax) in runs.items():
        got = [d for d in devices.split(",") if d]
        assert len(got) == needs[name], (name, devices)
        assert (jax == "cpu") == (needs[name] == 0)
    names = list(runs)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (s1, e1, d1, _), (s2, e2, d2, _) = runs[a], runs[b]
            if s1 < e2 and s2 < e1:  # ran at the same time
                assert not set(filter(None, d1.split(","))) & set(filter(None, d2.split(",")))


@pytest.mark.slow  # real Jupyter kernels
def test_requests_are_clamped_and_cpu_only_runs_everything(
    book: TinyBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    book.configure(execute='[execute.pages."ch/*.md"]\ngpus = 8\n')
    code = (
        "import os\n"
        "print(repr(os.environ['CUDA_VISIBLE_DEVICES']), os.environ.get('JAX_PLATFORMS'))"
    )
    book.write("ch/a.md", page("A", code))
    monkeypatch.setenv("POLYBOOK_GPUS", "0,1")
    assert book.execute().code == 0
    text = json.dumps(book.executed_notebook("ch/a.md"))
    assert "'0,1' None" in text
    monkeypatch.setenv("POLYBOOK_GPUS", "")
    outcome = book.execute()
    assert outcome.code == 0
    # a different device count is a different key: the page ran again, on CPU
    assert outcome.executed == {("en", "pytorch", "ch/a.md")}
    assert "'' cpu" in json.dumps(book.executed_notebook("ch/a.md"))
