"""The tab runtime without a kernel: markers, selection, the transformer, and
the d2lbook fallback (in fresh interpreters)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import polybook.tab as tab
from polybook.tab.fallback import pth_text

TOOLS = Path(tab.__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(tab.ENV_VAR, raising=False)
    monkeypatch.setattr(tab, "_STATE", tab._State())
    yield


def test_markers() -> None:
    assert tab.cell_frameworks("%%tab pytorch, mxnet\n") == ("pytorch", "mxnet")
    assert tab.cell_frameworks("#@tab mxnet,pytorch") == ("mxnet", "pytorch")
    assert tab.cell_frameworks("# %%tab jax") == ("jax",)
    assert tab.cell_frameworks("%%tab all") == ("all",)
    assert tab.cell_frameworks("x = 1  # %%tab jax") is None
    assert tab.cell_frameworks("%%tabs jax") is None


def test_interact_select_argument_environment_and_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab.interact_select(["pytorch", "mxnet", "jax"])
    assert (tab.current(), tab.default(), tab.frameworks()) == (
        "pytorch",
        "pytorch",
        ("pytorch", "mxnet", "jax"),
    )
    monkeypatch.setenv(tab.ENV_VAR, "jax")
    tab.interact_select("pytorch", "mxnet", "jax")  # varargs, as older pages write it
    assert tab.current() == "jax"
    tab.interact_select(["pytorch", "mxnet", "jax"], framework="mxnet")  # the argument wins
    assert tab.current() == "mxnet"
    monkeypatch.delenv(tab.ENV_VAR)
    tab.interact_select(["pytorch", "mxnet", "jax"])  # re-run: keeps the kernel's choice
    assert tab.current() == "mxnet"
    with pytest.raises(ValueError, match="'tensorflow' is not one of this page's frameworks"):
        tab.interact_select(["pytorch", "mxnet"], framework="tensorflow")


def test_selected() -> None:
    assert not tab.selected("pytorch")  # nothing selected yet
    tab.select("mxnet")
    assert tab.selected("mxnet") and tab.selected("pytorch", "mxnet")
    assert tab.selected(["pytorch", "mxnet"]) and not tab.selected("pytorch")


def test_transform_runs_only_the_selected_cells() -> None:
    tab.interact_select(["pytorch", "mxnet"], framework="mxnet")

    def run(*lines: str) -> list[str]:
        return tab.transform([line + "\n" for line in lines])

    # a cell that runs keeps its line numbers: the marker line becomes blank
    assert run("%%tab mxnet, jax", "x = 1") == ["\n", "x = 1\n"]
    assert run("#@tab all", "x = 1") == ["\n", "x = 1\n"]
    assert run("# %%tab mxnet", "x = 1") == ["\n", "x = 1\n"]
    skipped = run("%%tab pytorch", "x = 1")
    assert skipped == [
        "__import__('polybook.tab', fromlist=['_']).skipped('polybook.tab: skipped a pytorch "
        "cell; selected framework: mxnet')\n"
    ]
    # unmarked cells belong to the default tab (pytorch, the first listed) ...
    assert run("x = 1")[0].startswith("__import__('polybook.tab'")
    # ... except those that talk to the runtime
    assert run("tab.interact_select(['pytorch', 'mxnet'])") == [
        "tab.interact_select(['pytorch', 'mxnet'])\n"
    ]
    tab.select("pytorch")
    assert run("x = 1") == ["x = 1\n"]


def test_legacy_default_is_given_to_select() -> None:
    tab.select("pytorch", default="mxnet")
    assert tab.transform(["a = np.ones(2)\n"])[0].startswith("__import__")
    assert tab.transform(["#@tab pytorch\n", "a = 1\n"]) == ["\n", "a = 1\n"]


def _python(code: str, *path: Path) -> str:
    """Run `code` in a fresh interpreter whose path is `path` and the stdlib."""
    setup = "import sys; sys.path[:0] = " + repr([str(p) for p in path]) + "\n"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the path is `path`
    done = subprocess.run(
        [sys.executable, "-S", "-c", setup + code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout.strip()


def test_fallback_serves_d2lbook_tab() -> None:
    code = (
        "import polybook.tab.fallback as f; f.install()\n"
        "import d2lbook.tab, polybook.tab\n"
        "print(d2lbook.tab.selected is polybook.tab.selected,"
        " d2lbook.tab.load_ipython_extension is polybook.tab.load_ipython_extension,"
        " 'IPython' in sys.modules)"
    )
    assert _python(code, TOOLS) == "True True False"


def test_fallback_never_shadows_a_real_d2lbook(tmp_path: Path) -> None:
    real = tmp_path / "d2lbook"
    real.mkdir()
    (real / "__init__.py").write_text("")
    (real / "tab.py").write_text("REAL = True\n")
    code = (
        "import polybook.tab.fallback as f; f.install()\n"
        f"sys.path.append({str(tmp_path)!r})\n"  # found after the fallback was installed
        "import d2lbook.tab\n"
        "print(getattr(d2lbook.tab, 'REAL', False))"
    )
    assert _python(code, TOOLS) == "True"


def test_pth_file(tmp_path: Path) -> None:
    text = pth_text(tmp_path)
    fallback = tmp_path / "tools" / "polybook" / "tab" / "fallback.py"
    first, line, end = text.split("\n")
    assert (first, end) == (str(tmp_path), "")
    assert line.startswith("import importlib.util as _u; ")
    assert repr(str(fallback)) in line and line.endswith(f"_m.install({str(tmp_path / 'tools')!r})")
    # what env.mk runs: `python -m polybook.tab.fallback ROOT`
    done = subprocess.run(
        [sys.executable, "-m", "polybook.tab.fallback", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == text


def test_pth_line_serves_polybook_without_its_distribution_metadata() -> None:
    """The `.pth` line of this checkout, run in a bare interpreter: `polybook`
    and `d2lbook.tab` import from `tools/`, while `tools/` (which holds the
    editable install's `polybook.egg-info`) stays off `sys.path`, so the
    environment's `pip check` sees no polybook distribution."""
    line = pth_text(TOOLS.parent).split("\n")[1]
    code = (
        line + "\n"
        "import importlib.metadata, d2lbook.tab, polybook.tab\n"
        "names = {d.metadata['Name'] for d in importlib.metadata.distributions()}\n"
        "print(polybook.__file__ == " + repr(str(TOOLS / "polybook" / "__init__.py")) + ","
        " d2lbook.tab.selected is polybook.tab.selected,"
        " 'polybook' in names, " + repr(str(TOOLS)) + " in sys.path)"
    )
    assert _python(code) == "True True False False"
    # The control: with `tools/` on the path, the same probe does see the
    # editable install's metadata, so the `False` above is the pth line's doing.
    assert (TOOLS / "polybook.egg-info").is_dir()
    assert _python(code, TOOLS) == "True True True True"


@pytest.mark.parametrize("name", ["d2lbook.tab", "polybook.tab"])
def test_split_drops_the_first_cell_either_way(name: str) -> None:
    from polybook.source.parser import parse_page

    text = f"```{{.python .input}}\n%load_ext {name}\ntab.interact_select(['a', 'b'])\n```\n\n# T\n"
    page = parse_page(text.encode(), lang="en", path="p.md", file="p.md", known=("a", "b"))
    assert list(page.code_cells) == []
