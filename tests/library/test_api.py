"""`polybook lib --api`: the public API of the library modules across
frameworks and against an earlier release (a git ref, a wheel)."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.library.api import module_api

CONFIG = """\
[book]
title = "API"
frameworks = ["pytorch", "jax", "tensorflow"]
{api}
[framework.pytorch]
display_name = "PyTorch"
module = "torch"
lib_name = "torch"

[framework.jax]
display_name = "JAX"
module = "jax"
lib_name = "jnp"

[framework.tensorflow]
display_name = "TensorFlow"
module = "tensorflow"
lib_name = "tf"

[languages.en]
name = "English"
title = "API"
"""

RELEASE = """\
import torch

d2l = None


def train_ch3(net, data):
    return net


def evaluate(net, data, device=None):
    return 1


class Trainer:
    def __init__(self, max_epochs):
        self.max_epochs = max_epochs

    def fit(self, model, data):
        return model

    def _private(self):
        pass


def _helper():
    pass
"""

# since the release: train_ch3 removed, evaluate renamed (same body),
# Trainer.fit gained a parameter
NOW = """\
import torch

d2l = None


def evaluate_accuracy(net, data, device=None):
    return 1


class Trainer:
    def __init__(self, max_epochs):
        self.max_epochs = max_epochs

    def fit(self, model, data, callbacks=()):
        return model

    def _private(self):
        pass


def _helper():
    pass
"""

# jax lacks Trainer.fit; tensorflow's evaluate_accuracy has another signature
JAX = NOW.replace("    def fit(self, model, data, callbacks=()):\n        return model\n\n", "")
TENSORFLOW = NOW.replace(
    "def evaluate_accuracy(net, data, device=None):", "def evaluate_accuracy(net, data):"
)


def _book(root: Path, api: str = "", modules: dict[str, str] | None = None) -> Path:
    (root / "_config").mkdir(parents=True)
    (root / "_config" / "book.toml").write_text(CONFIG.format(api=api))
    (root / "chapters" / "en").mkdir(parents=True)
    (root / "d2l").mkdir()
    (root / "d2l" / "__init__.py").write_text('__version__ = "1.0.0"\n')
    texts = modules or {"torch": NOW, "jax": JAX, "tensorflow": TENSORFLOW}
    for module, text in texts.items():
        (root / "d2l" / f"{module}.py").write_text(text)
    return root


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def _released(tmp_path: Path, api: str = "") -> Path:
    """A book whose v1.0 tag has RELEASE in every module, and NOW & co. after."""
    root = _book(tmp_path / "book", api, {"torch": RELEASE, "jax": RELEASE, "tensorflow": RELEASE})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "v1")
    _git(root, "tag", "v1.0")
    for module, text in {"torch": NOW, "jax": JAX, "tensorflow": TENSORFLOW}.items():
        (root / "d2l" / f"{module}.py").write_text(text)
    return root


def _api(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--book", str(root), "lib", "--api", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_public_names_and_signatures() -> None:
    api = module_api(NOW)
    assert api is not None
    assert list(api) == ["d2l", "evaluate_accuracy", "Trainer", "Trainer.__init__", "Trainer.fit"]
    assert api["Trainer.fit"].signature == "(self, model, data, callbacks=())"
    assert api["Trainer.fit"].line == 14
    assert api["Trainer"].signature == "()"
    assert module_api("def f(:\n") is None


def test_gaps_and_signature_differences_between_frameworks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _book(tmp_path)
    code, out, err = _api(root, capsys, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["gaps"] == [
        {
            "name": "Trainer.fit",
            "kind": "method",
            "missing": ["jax"],
            "present": ["pytorch", "tensorflow"],
            "declared": False,
        }
    ]
    assert data["signatures"] == [
        {
            "name": "evaluate_accuracy",
            "signatures": {
                "pytorch": "(net, data, device=None)",
                "jax": "(net, data, device=None)",
                "tensorflow": "(net, data)",
            },
            "declared": False,
        }
    ]
    assert data["undeclared"] == ["gap Trainer.fit (jax)"]
    assert err.splitlines() == [
        "d2l/torch.py:14: warning PB340: method Trainer.fit is in pytorch, tensorflow but not "
        "in jax",
        "d2l/torch.py:6: info PB341: evaluate_accuracy has different signatures: pytorch "
        "(net, data, device=None); jax (net, data, device=None); tensorflow (net, data)",
    ]
    assert _api(root, capsys, "--strict")[0] == 1


def test_since_a_git_ref_names_removed_renamed_and_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _released(tmp_path)
    code, out, err = _api(root, capsys, "--since", "v1.0")
    assert code == 0
    assert "  removed  train_ch3 (pytorch)" in out
    assert "  renamed  evaluate -> evaluate_accuracy (pytorch)" in out
    assert (
        "  changed  Trainer.fit (self, model, data) -> (self, model, data, callbacks=()) "
        "(pytorch)" in out
    )
    assert "  removed  Trainer.fit (jax)" in out
    assert "d2l/torch.py:1: warning PB342: train_ch3 was removed since v1.0 (pytorch)" in err
    assert (
        "d2l/torch.py:6: warning PB343: evaluate was renamed to evaluate_accuracy since v1.0 "
        "(pytorch)" in err
    )
    assert "d2l/torch.py:14: warning PB344: Trainer.fit changed its signature" in err
    assert _api(root, capsys, "--since", "v1.0", "--strict")[0] == 1
    assert _api(root, capsys, "--since", "no-such-ref")[0] == 2


def test_allowlist_declares_intended_differences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = (
        '\n[api]\nremoved = ["train_ch3", "evaluate"]\nsignatures = ["evaluate_accuracy"]\n'
        '[api.gaps]\njax = ["Trainer.*"]\n'
    )
    root = _released(tmp_path, api)
    code, out, err = _api(root, capsys, "--since", "v1.0", "--strict")
    assert code == 1
    data = json.loads(_api(root, capsys, "--since", "v1.0", "--format", "json")[1])
    # jax's Trainer.fit is a declared gap, but its removal since v1.0 is not
    assert data["undeclared"] == ["removed Trainer.fit (jax)"]
    assert code == 1
    assert "train_ch3" not in err and "  removed  train_ch3 (pytorch) (declared)" in out
    (root / "_config" / "book.toml").write_text(
        CONFIG.format(api=api.replace('"evaluate"]', '"evaluate", "Trainer.fit"]'))
    )
    assert _api(root, capsys, "--since", "v1.0", "--strict")[0] == 0


def test_since_a_wheel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _book(tmp_path / "book")
    wheel = tmp_path / "d2l-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("d2l/torch.py", RELEASE)
        zf.writestr("d2l/__init__.py", "")
    code, out, _ = _api(root, capsys, "--since", str(wheel), "--format", "json")
    assert code == 0
    changes = {(c["framework"], c["name"], c["change"]) for c in json.loads(out)["changes"]}
    # only the wheel's modules are compared (it has no jax or tensorflow module)
    assert changes == {
        ("pytorch", "train_ch3", "removed"),
        ("pytorch", "evaluate", "renamed"),
        ("pytorch", "Trainer.fit", "changed"),
    }


def test_book_sites_name_the_saving_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _book(tmp_path / "book", modules={"torch": "", "jax": "", "tensorflow": ""})
    en = root / "chapters" / "en"
    (en / "index.md").write_text("# API\n\n```toc\n:maxdepth: 2\n\nsave\n```\n")
    (en / "save.md").write_text(
        "# Save\n\n```{.python .input}\n%%tab pytorch, tensorflow\n"
        "def only_some(x):  #@save\n    return x\n```\n"
    )
    assert main(["--book", str(root), "lib"]) == 0
    capsys.readouterr()
    code, _, err = _api(root, capsys)
    assert code == 0
    assert (
        "chapters/en/save.md:5: warning PB340: function only_some is in pytorch, tensorflow but "
        "not in jax" in err
    )
