"""A generated library imports and works, with stub framework modules in sys.modules."""

from __future__ import annotations

import importlib.util
import math
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from polybook.library.model import Mode
from polybook.library.run import generate_library, write_library
from polybook.source.book import Book
from tests.library.util import SAVEBOOK, copy_book


class _Tensor:
    def __init__(self, value: float) -> None:
        self.value = value

    def detach(self) -> _Tensor:
        return self

    def numpy(self) -> str:
        return f"array({self.value})"

    def mean(self) -> float:
        return self.value


def _stub_torch() -> types.ModuleType:
    torch = types.ModuleType("torch")
    nn = types.ModuleType("torch.nn")

    class Module:
        def __init__(self) -> None:
            self.initialised = True

    nn.Module = Module  # type: ignore[attr-defined]
    torch.nn = nn  # type: ignore[attr-defined]
    for name in ("ones", "zeros", "cat", "clamp"):
        setattr(torch, name, lambda *args, _n=name, **kwargs: (_n, args, kwargs))
    torch.exp = math.exp  # type: ignore[attr-defined]
    torch.device = lambda kind: f"device({kind})"  # type: ignore[attr-defined]
    return torch


@pytest.fixture
def stubs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    torch = _stub_torch()
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.nn", torch.nn)
    monkeypatch.setitem(sys.modules, "numpy", types.ModuleType("numpy"))
    d2l = types.ModuleType("d2l")
    d2l.__path__ = []  # a package
    monkeypatch.setitem(sys.modules, "d2l", d2l)
    yield


def _load(path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("d2l.torch", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["d2l.torch"] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["d2l.torch"]
    return module


@pytest.mark.parametrize("mode", [Mode.COMPAT, Mode.CLEAN])
def test_generated_torch_module_imports_and_runs(tmp_path: Path, stubs: None, mode: Mode) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    write_library(generate_library(Book.open(root), None, mode))
    d2l = _load(root / "d2l" / "torch.py")

    # aliases at the end of the module
    assert d2l.ones(2) == ("ones", (2,), {})
    assert d2l.concat([1]) == ("cat", ([1],), {})
    assert d2l.numpy(_Tensor(3)) == "array(3)"
    assert d2l.reduce_mean(_Tensor(5)) == 5
    assert d2l.clip(1, high=4) == ("clamp", (1,), {"min": None, "max": 4})
    # the method re-added on a later page wins (compat defines it twice)
    hp = d2l.HyperParameters()

    class Holder(d2l.HyperParameters):  # type: ignore[misc,name-defined]
        def __init__(self, a: int, b: int) -> None:
            self.save_hyperparameters(ignore=["b"])

    assert Holder(1, 2).hparams == {"a": 1}
    assert isinstance(hp, d2l.HyperParameters)
    # the redefined Module is current: methods of later pages went to it
    model = d2l.Module(name="toy")
    assert model.initialised and model.describe() == "toy: Module"
    assert not hasattr(model, "loss")  # added to the first definition
    assert d2l.cpu() == "device(cpu)"
    assert d2l.relu(3) == 3 and d2l.sigmoid(0) == 0.5
    assert d2l.DATA_HUB["toy"][0] == "http://example.org/data/toy.zip"
    # `d2l.` inside the library is the module itself
    assert d2l.d2l is d2l


def test_clean_module_binds_itself_when_the_book_does_not(tmp_path: Path) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    result = generate_library(Book.open(root), None, Mode.CLEAN)
    mxnet = result.modules["mxnet"]
    assert "import sys\n\nd2l = sys.modules[__name__]\n" in mxnet
    assert "d2l = sys.modules" not in generate_library(Book.open(root)).modules["mxnet"]
