"""The alias rewrite without libcst (split/astalias.py) gives libcst's text, line
for line, or declines; the cases it declines go through libcst."""

from __future__ import annotations

import pytest

from polybook.config import FrameworkConfig
from polybook.split.aliases import alias_table
from polybook.split.astalias import rewrite_line_for_line
from polybook.split.cstalias import rewrite_tree
from polybook.split.rewrite import rewrite_source

TORCH = FrameworkConfig(
    display_name="PyTorch",
    module="torch",
    lib_name="torch",
    simple_alias=("ones", "float32", "arange", "exp(", "concat -> cat", "normal -> random.normal"),
    fluent_alias=("numpy -> detach().numpy", "reshape", "to", "astype -> type"),
    args_alias=("clip(a_x, low=None) -> torch.clamp(a_x, min=low)",),
)
TABLE = alias_table(TORCH, "d2l")

FAST = [
    "y = d2l.ones(3)",
    "d2l.concat([a, b], dim=0) + d2l.normal(0, 1, (2,))",
    "x = d2l.arange(4, dtype=d2l.float32).reshape(2, 2)",
    "d2l.reshape(d2l.arange(10), (2, 5))",
    "d2l.numpy(d2l.reshape(x, (-1,)))",
    "d2l.numpy(a + b)",
    "d2l.numpy(-x)",
    "d2l.numpy(t[0])",
    "d2l.numpy( x )",
    "d2l.numpy (x)",
    "d2l.reshape(x, *shape, order='C')",
    "d2l.reshape(x, shape=(1, -1))",
    "d2l.reshape(x, **options)",
    "d2l.to(X, device=d2l.try_gpu())",
    "d2l.astype(d2l.ones(2), d2l.float32)",
    "d2l.exp(\n    x)",
    "f = d2l.exp",
    "d2l.reshape(*args)",
    "d2l.reshape(shape=(2,))",
    "y = (\n    d2l.numpy(x))",
    "print('d2l.numpy(x)', d2l.numpy([1, 2]))  # d2l.numpy here",
    "s = 'é' + str(d2l.numpy(x)) + 'ü'  # ünïcode",
    "def f(x):\n    return d2l.reshape(x, (-1, 1))\n",
    "for x in d2l.arange(3):\n    print(d2l.numpy(x), 'd2l.ones')",
    "d2l.numpy({k: v for k, v in d.items()})",
    "d2l.numpy(f(x)[0].y)",
    "x = d2l.Trainer()",
]
# the cases libcst alone rewrites (or leaves): receivers whose parentheses or
# literal form the two trees see differently, calls over several lines, args aliases
LIBCST = [
    "d2l.numpy((x))",
    "d2l.numpy((1, 2))",
    "d2l.numpy(1)",
    "d2l.numpy('a' 'b')",
    "d2l.numpy(x for x in y)",
    "d2l.reshape(x,\n    (2, 5))",
    "d2l.reshape(\n    x, (2, 5))",
    "(d2l.numpy)(x)",
    "d2l.numpy(  # the array\n    x)",
    "d2l.clip(x, low=0)",
    "d2l.ones(1\n",
    "d2l.\\\n    ones(1)",
]


@pytest.mark.parametrize("source", FAST)
def test_the_fast_rewrite_is_libcsts_text_line_for_line(source: str) -> None:
    fast = rewrite_line_for_line(source, TABLE)
    assert fast is not None
    expected = rewrite_tree(source, TABLE)
    assert expected is not None
    assert (fast, list(range(source.count("\n") + 1))) == (expected[0], list(expected[1]))


@pytest.mark.parametrize("source", LIBCST)
def test_other_cells_are_left_to_libcst(source: str) -> None:
    assert rewrite_line_for_line(source, TABLE) is None


def test_rewrite_source_takes_either_path_with_the_same_results() -> None:
    assert rewrite_source("d2l.numpy(d2l.reshape(x, (-1,)))", TABLE) == (
        "x.reshape((-1,)).detach().numpy()",
        None,
    )
    assert rewrite_source("d2l.numpy((1, 2))", TABLE) == ("(1, 2).detach().numpy()", None)
    assert rewrite_source("d2l.reshape(x,\n    (2, 5))", TABLE) == ("x.reshape((2, 5))", None)
