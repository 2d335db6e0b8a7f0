"""`d2l.xxx` alias rewriting in notebooks, and its wiring into the split stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polybook.config import FrameworkConfig
from polybook.source.book import Book
from polybook.split.aliases import alias_table, library_aliases, mapping
from polybook.split.page import book_aliases, split_page
from polybook.split.rewrite import rewrite_source
from polybook.split.run import split_book
from tests.conftest import parse_text
from tests.library.util import D2LBOOK, copy_book

TORCH = FrameworkConfig(
    display_name="PyTorch",
    module="torch",
    lib_name="torch",
    simple_alias=("ones", "log", "arange", "reshape_like", "exp(", "concat -> cat"),
    fluent_alias=("numpy -> detach().numpy", "reshape", "size -> numel"),
    args_alias=("clip(a_x, low=None, high=None) -> torch.clamp(a_x, min=low, max=high)",),
    reverse_alias=(
        r"d2l.transpose\(([\w\.]+)\) -> \1.T",
        "d2l.to -> jax.device_put",
    ),
)


def rw(source: str) -> str:
    return rewrite_source(source, alias_table(TORCH, "d2l"))[0]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("y = d2l.ones(3)", "y = torch.ones(3)"),
        ("d2l.concat([a, b], dim=0)", "torch.cat([a, b], dim=0)"),
        # no prefix collisions: logsumexp is not log + sumexp
        ("d2l.logsumexp(x) + d2l.log(x)", "d2l.logsumexp(x) + torch.log(x)"),
        ("d2l.reshape_like(x, y)", "torch.reshape_like(x, y)"),
        # string literals and comments untouched
        (
            "print('d2l.ones(1)', d2l.ones(1))  # d2l.ones is torch.ones",
            "print('d2l.ones(1)', torch.ones(1))  # d2l.ones is torch.ones",
        ),
        ('s = f"{n}: d2l.log"', 's = f"{n}: d2l.log"'),
        # nested calls, inner first
        ("d2l.reshape(d2l.arange(10), (2, 5))", "torch.arange(10).reshape((2, 5))"),
        # fluent alias on an expression gets parentheses
        ("d2l.numpy(a + b)", "(a + b).detach().numpy()"),
        ("d2l.size(-x)", "(-x).numel()"),
        ("d2l.numpy(t[0])", "t[0].detach().numpy()"),
        ("d2l.reshape(\n    x,\n    (2, 5))", "x.reshape(\n    (2, 5))"),
        # `exp(` entries only rewrite calls
        ("f = d2l.exp\ny = d2l.exp(x)", "f = d2l.exp\ny = torch.exp(x)"),
        ("dtype = d2l.ones", "dtype = torch.ones"),
        # args alias, keywords given or not
        ("d2l.clip(x, high=1)", "torch.clamp(x, max=1)"),
        ("d2l.clip(x)", "torch.clamp(x)"),
        ("d2l.clip(a * b, 0, high=1) * 2", "torch.clamp(a * b, min=0, max=1) * 2"),
        ("d2l.clip(x, nope=1)", "d2l.clip(x, nope=1)"),  # does not fit: left alone
        # regular-expression aliases with back-references, bounded names
        ("d2l.transpose(X)", "X.T"),
        ("d2l.to(x, dev); d2l.tokens", "jax.device_put(x, dev); d2l.tokens"),
        ("s = 'd2l.transpose(X)'", "s = 'd2l.transpose(X)'"),
        # magics survive, and cells without aliases are not touched
        ("%matplotlib inline\nd2l.ones(1)", "%matplotlib inline\ntorch.ones(1)"),
        ("x = d2l.Trainer()", "x = d2l.Trainer()"),
    ],
)
def test_rewrite(source: str, expected: str) -> None:
    assert rw(source) == expected


def test_cell_that_does_not_parse_is_left_and_reported() -> None:
    source, error = rewrite_source("d2l.ones(1\n", alias_table(TORCH, "d2l"))
    assert source == "d2l.ones(1\n" and error is not None


def test_alias_tables_and_library_text() -> None:
    assert mapping((" a -> b ", "c", "", "x -> y -> z")) == (
        ("a", "b"),
        ("c", "c"),
        ("x -> y -> z", "x -> y -> z"),
    )
    text = library_aliases(TORCH)
    assert text.startswith("\nones = torch.ones\nlog = torch.log")
    assert "\nexp = torch.exp\nconcat = torch.cat\n" in text
    assert "reshape = lambda x, *args, **kwargs: x.reshape(*args, **kwargs)" in text
    assert text.endswith(
        "\ndef clip(a_x, low=None, high=None):\n    return torch.clamp(a_x, min=low, max=high)"
    )


PAGE = """# P

```{.python .input}
%%tab pytorch
x = d2l.ones(2)  # d2l.ones
print(d2l.numpy(x))
```

```{.python .input}
%%tab mxnet
x = d2l.ones(2)
```

```{.bash .input}
echo d2l.ones
```
"""


def test_split_page_rewrites_per_framework_only_when_asked() -> None:
    mxnet = FrameworkConfig(
        display_name="MXNet", module="mxnet", lib_name="np", simple_alias=("ones",)
    )
    ordered = ("pytorch", "mxnet")
    plain = split_page(parse_text(PAGE), ordered).notebooks
    assert "d2l.ones(2)" in plain["pytorch"].cells[1].source
    notebooks = split_page(
        parse_text(PAGE),
        ordered,
        aliases={"pytorch": alias_table(TORCH, "d2l"), "mxnet": alias_table(mxnet, "d2l")},
    ).notebooks
    torch_code = [c.source for c in notebooks["pytorch"].cells if c.kind == "code"]
    assert torch_code == [
        "x = torch.ones(2)  # d2l.ones\nprint(x.detach().numpy())",
        "%%bash\necho d2l.ones",
    ]
    assert [c.source for c in notebooks["mxnet"].cells if c.kind == "code"] == ["x = np.ones(2)"]


def test_split_book_rewrites_by_default_for_books_with_aliases(tmp_path: Path) -> None:
    book = Book.open(copy_book(D2LBOOK, tmp_path))
    assert set(book_aliases(book)) == {"pytorch", "mxnet"}
    assert book_aliases(book, rewrite=False) == {}
    out = tmp_path / "out"
    split_book(book, "en", out, jobs=1)
    cells = json.loads((out / "pytorch" / "chapter_a" / "widgets.ipynb").read_text("utf-8"))
    code = ["".join(c["source"]) for c in cells["cells"] if c["cell_type"] == "code"]
    assert (
        "x = torch.cat([torch.zeros(2), torch.ones(2)])\ny = torch.cat([x, x])\n"
        "print(y.reshape((2, 4)), y.numel(), torch.randn(3).shape)"
    ) in code
    split_book(book, "en", tmp_path / "plain", jobs=1, rewrite_aliases=False)
    plain = (tmp_path / "plain" / "pytorch" / "chapter_a" / "widgets.ipynb").read_text("utf-8")
    assert "d2l.concat([d2l.zeros(2), d2l.ones(2)])" in plain
