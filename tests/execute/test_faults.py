"""Faults of a framework environment: a damaged kernel spec, an environment
removed while the run goes on. One line per notebook that met it, exit
status 2 (a setup fault), and a rerun that completes once it is rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.execute.conftest import TinyBook, outputs_text, page
from tests.execute.tinyenv import make_tiny_env

# slow: real kernels for the rerun
pytestmark = pytest.mark.slow


def _failure_lines(err: str) -> list[str]:
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if line.strip()]


def test_a_corrupt_kernel_spec_is_one_line_and_exit_2(book: TinyBook, tmp_path: Path) -> None:
    book.envs = tmp_path / "envs"
    env = make_tiny_env(book.envs / "pytorch", "pytorch")
    spec = env / "share" / "jupyter" / "kernels" / "polybook-pytorch" / "kernel.json"
    good = spec.read_text()
    spec.write_text(good[: len(good) // 2])
    book.write("ch/a.md", page("A", "print('a runs')"))
    book.write("ch/b.md", page("B", "print('b runs')"))

    failed = book.execute("--jobs", "1")
    assert failed.code == 2
    (line,) = _failure_lines(failed.err)
    assert line.startswith("chapters/en/ch/a.md:1: error [en/pytorch] environment: ")
    assert f"kernel spec {spec} is not valid JSON (line " in line
    assert line.endswith("; run `make env FRAMEWORK=pytorch` again")

    spec.write_text(good)
    rerun = book.execute()
    assert rerun.code == 0, rerun.err
    assert rerun.executed == {("en", "pytorch", "ch/a.md"), ("en", "pytorch", "ch/b.md")}
    assert "a runs" in outputs_text(book.executed_notebook("ch/a.md"))


def test_an_environment_removed_during_the_run_is_one_line_and_exit_2(
    book: TinyBook, tmp_path: Path
) -> None:
    book.envs = tmp_path / "envs"
    env = make_tiny_env(book.envs / "pytorch", "pytorch")
    # the first page's cell removes the environment: the second page's kernel
    # is started after the run was planned, from an environment that is gone
    remove = f"import shutil\nshutil.rmtree({str(env)!r})\nprint('removed')"
    book.write("ch/a.md", page("A", remove))
    book.write("ch/b.md", page("B", "print('b runs')"))

    failed = book.execute("--jobs", "1")
    assert failed.code == 2
    assert failed.executed == {("en", "pytorch", "ch/a.md")}
    (line,) = _failure_lines(failed.err)
    kernels = env / "share" / "jupyter" / "kernels"
    assert line == (
        "chapters/en/ch/b.md:1: error [en/pytorch] environment: no kernel spec "
        f"polybook-pytorch under {kernels} (run `make env FRAMEWORK=pytorch`)"
    )
    assert not env.exists()

    shutil.rmtree(book.envs)
    make_tiny_env(env, "pytorch")
    book.write("ch/a.md", page("A", "print('a runs again')"))
    rerun = book.execute()
    assert rerun.code == 0, rerun.err
    assert rerun.executed == {("en", "pytorch", "ch/a.md"), ("en", "pytorch", "ch/b.md")}
