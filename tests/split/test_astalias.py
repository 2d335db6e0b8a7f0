"""The alias rewrite without libcst (split/astalias.py) gives libcst's text and
line map, or declines; the cases it declines go through libcst."""

from __future__ import annotations

import random

import pytest

from polybook.config import FrameworkConfig
from polybook.source.book import Book
from polybook.split.aliases import alias_table
from polybook.split.astalias import rewrite_fast
from polybook.split.cstalias import rewrite_tree
from polybook.split.ipython import mask
from polybook.split.page import book_aliases
from polybook.split.rewrite import rewrite_source
from tests.conftest import FIXTURES

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
    # receivers in parentheses of their own
    "d2l.numpy((x))",
    "d2l.numpy(( a * b ))",
    "d2l.reshape(((x)), (2,))",
    # calls over several lines: libcst's line map
    "d2l.reshape(x,\n    (2, 5))",
    "d2l.reshape(\n    x, (2, 5))",
    "y = d2l.reshape(\n    d2l.astype(a != b, d2l.float32), (-1,))",
    "y = d2l.numpy(\n    a + b)",
    "x = d2l.reshape(\n    a\n)\n",
    "d2l.reshape(x, (\n    2, 5))\n\nz = 1\n",
    "d2l.reshape(x, '''a\nb''')",
    "v = d2l.reshape(\n\n    x, (2,))",
]
# the cases libcst alone rewrites (or leaves): receivers whose text spans differ
# between the two trees, a receiver libcst parenthesises over several lines,
# comments before a receiver, args aliases, names split over lines
LIBCST = [
    "d2l.numpy((1, 2))",
    "d2l.numpy(1)",
    "d2l.numpy('a' 'b')",
    "d2l.numpy(x for x in y)",
    "(d2l.numpy)(x)",
    "d2l.numpy(  # the array\n    x)",
    "d2l.numpy(a\n          + b)",
    "d2l.clip(x, low=0)",
    "d2l.ones(1\n",
    "d2l.\\\n    ones(1)",
    "d2l.exp(\n    x)",  # libcst maps the second line from the rebuilt call
]


@pytest.mark.parametrize("source", FAST)
def test_the_fast_rewrite_is_libcsts_text_and_line_map(source: str) -> None:
    fast = rewrite_fast(source, TABLE)
    assert fast is not None
    assert fast == rewrite_tree(source, TABLE)


@pytest.mark.parametrize("source", LIBCST)
def test_other_cells_are_left_to_libcst(source: str) -> None:
    assert rewrite_fast(source, TABLE) is None


def test_rewrite_source_takes_either_path_with_the_same_results() -> None:
    assert rewrite_source("d2l.numpy(d2l.reshape(x, (-1,)))", TABLE) == (
        "x.reshape((-1,)).detach().numpy()",
        None,
    )
    assert rewrite_source("d2l.numpy((1, 2))", TABLE) == ("(1, 2).detach().numpy()", None)
    assert rewrite_source("d2l.reshape(x,\n    (2, 5))", TABLE) == ("x.reshape((2, 5))", None)


BOOKS = [
    FIXTURES / "mylibbook",
    FIXTURES.parent / "library" / "fixtures" / "d2lbook_book",
    FIXTURES.parent / "library" / "fixtures" / "savebook",
]


def test_on_every_cell_of_the_fixture_books_either_path_gives_the_same() -> None:
    compared = 0
    for root in BOOKS:
        book = Book.open(root)
        for fw, table in book_aliases(book).items():
            lang = book.config.source_language
            for rel in book.page_files(lang):
                for cell in book.read(lang, rel).code_cells:
                    masked = mask(cell.source)[0]
                    fast = rewrite_fast(masked, table)
                    if fast is not None and table.library in masked:
                        assert fast == rewrite_tree(masked, table), (root.name, fw, rel)
                        compared += 1
    assert compared > 20


def _fuzz_cell(rng: random.Random, depth: int = 0) -> str:
    """An alias call with nested calls, arguments over lines, comments, parentheses."""
    if depth > 2 or rng.random() < 0.25:
        atoms = ["x", "y[0]", "f(a)", "a.b", "1", "'s'", "(x)", "-x", "a + b", "[1, 2]", "(1, 2)"]
        return rng.choice([*atoms, "d2l.float32", "d2l.ones"])
    name = rng.choice(["numpy", "reshape", "to", "astype", "ones", "exp", "concat", "other"])
    args = [_fuzz_cell(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.2:
        args.append("k=" + _fuzz_cell(rng, depth + 1))
    sep = rng.choice([", ", ",\n    ", ",  # c\n    "])
    opening, closing = rng.choice(["(", "(\n    ", "( "]), rng.choice([")", "\n)", " )"])
    return f"d2l.{name}{opening}{sep.join(args)}{closing}"


def test_on_generated_cells_either_path_gives_the_same() -> None:
    rng = random.Random(20261129)
    fast = 0
    for _ in range(400):
        lines = [rng.choice(["z = ", "", "y = 1 + "]) + _fuzz_cell(rng) for _ in range(2)]
        source = "\n".join(lines)
        result = rewrite_fast(source, TABLE)
        if result is not None:
            fast += 1
            assert result == rewrite_tree(source, TABLE), source
    assert fast > 100
