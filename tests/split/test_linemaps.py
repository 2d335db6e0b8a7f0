"""Exact line maps: every line of a resolved or rewritten cell knows its source line."""

from __future__ import annotations

import textwrap

import pytest

from polybook.config import FrameworkConfig
from polybook.split.aliases import alias_table
from polybook.split.cstalias import rewrite_tree
from polybook.split.model import CellKind
from polybook.split.page import split_page
from polybook.split.tabselect import Resolution, resolve_many
from tests.conftest import parse_text


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def resolved(code: str, frameworks: list[str]) -> dict[str, list[tuple[int, str]]]:
    """Per framework: (origin index, line) of each resolved line; checks the count."""
    out: dict[str, list[tuple[int, str]]] = {}
    for fw, resolution in resolve_many(code, frameworks).items():
        lines = resolution.text.split("\n")
        assert len(resolution.origin) == len(lines), fw
        out[fw] = list(zip(resolution.origin, lines, strict=True))
    return out


NESTED = src(
    """
    class Net(d2l.Module):
        def __init__(self):
            super().__init__()
            # build the layers

            if tab.selected('pytorch'):
                # torch layers
                self.net = nn.LazyLinear(1)

                if debug:
                    if tab.selected('pytorch'):
                        print('pt')  # trailing
            if tab.selected('jax'):
                self.net = nn.Dense(1)
            doc = '''two
    lines'''

        def forward(self, X):
            if tab.selected('jax'):
                return self.net(X)
    """
)


def test_nested_branches_comments_blank_lines_and_strings() -> None:
    out = resolved(NESTED, ["pytorch", "jax"])
    assert out["pytorch"] == [
        (0, "class Net(d2l.Module):"),
        (1, "    def __init__(self):"),
        (2, "        super().__init__()"),
        (3, "        # build the layers"),
        (4, ""),
        (6, "        # torch layers"),
        (7, "        self.net = nn.LazyLinear(1)"),
        (8, ""),
        (9, "        if debug:"),
        (11, "            print('pt')  # trailing"),
        (14, "        doc = '''two"),
        (15, "lines'''"),
        (16, ""),
        (17, "    def forward(self, X):"),
        (18, "        pass"),  # stands for the branch it replaces
        (20, ""),
    ]
    assert out["jax"] == [
        (0, "class Net(d2l.Module):"),
        (1, "    def __init__(self):"),
        (2, "        super().__init__()"),
        (13, "        self.net = nn.Dense(1)"),
        (14, "        doc = '''two"),
        (15, "lines'''"),
        (16, ""),
        (17, "    def forward(self, X):"),
        (19, "        return self.net(X)"),
        (20, ""),
    ]


CHAIN = src(
    """
    def device():
        if tab.selected('pytorch'):
            return 'cuda'
        elif tab.selected('mxnet'):

            # gluon
            return 'gpu'
        else:
            # everyone else
            return 'cpu'
    if cond:
        z = 1
    elif tab.selected('jax'):
        z = 2
    lr = (0.1 if tab.selected('mxnet')
          else 0.03)
    if tab.selected('mxnet'): w = 1
    """
)


def test_elif_else_conditional_expression_and_one_line_branch() -> None:
    out = resolved(CHAIN, ["pytorch", "mxnet", "jax"])
    assert out["pytorch"] == [
        (0, "def device():"),
        (2, "    return 'cuda'"),
        (10, "if cond:"),
        (11, "    z = 1"),
        (14, "lr = 0.03"),  # the line of the statement's first token
        (17, ""),
    ]
    assert out["mxnet"] == [
        (0, "def device():"),
        (4, ""),
        (5, "    # gluon"),
        (6, "    return 'gpu'"),
        (10, "if cond:"),
        (11, "    z = 1"),
        (14, "lr = 0.1"),
        (16, "w = 1"),
        (17, ""),
    ]
    assert out["jax"] == [
        (0, "def device():"),
        (8, "    # everyone else"),
        (9, "    return 'cpu'"),
        (10, "if cond:"),
        (11, "    z = 1"),
        (12, "else:"),  # the `else:` that replaces the resolved `elif`
        (13, "    z = 2"),
        (14, "lr = 0.03"),
        (17, ""),
    ]


def test_ipython_lines_and_untouched_code() -> None:
    code = "%matplotlib inline\nif tab.selected('pytorch'):\n    !pip list\n    files = !ls\nx = 1"
    out = resolved(code, ["pytorch", "jax"])
    assert out["pytorch"] == [
        (0, "%matplotlib inline"),
        (2, "!pip list"),
        (3, "files = !ls"),
        (4, "x = 1"),
    ]
    assert out["jax"] == [(0, "%matplotlib inline"), (4, "x = 1")]
    plain = "x = (1,\n  2)\n"
    assert resolve_many(plain, ["jax"]) == {"jax": Resolution(plain, (0, 1, 2))}
    assert resolve_many("if tab.selected('jax'):\n    x = 1", ["mxnet"]) == {
        "mxnet": Resolution("", (0,))
    }


def test_split_notebook_maps_resolved_cells_to_book_lines() -> None:
    page = parse_text(
        "# T\n"  # 1
        "\n"  # 2
        "```{.python .input}\n"  # 3
        "%%tab pytorch, jax\n"  # 4
        "#@tab jax\n"  # 5: a stale marker, dropped from the source
        "x = 0\n"  # 6
        "if tab.selected('pytorch'):\n"  # 7
        "    y = 1\n"  # 8
        "else:\n"  # 9
        "    y = 2  # other\n"  # 10
        "```\n"
    )
    notebooks = split_page(page, ("pytorch", "jax")).notebooks
    cells = {fw: nb.code_cells[0] for fw, nb in notebooks.items()}
    assert (cells["pytorch"].source, cells["pytorch"].lines) == ("x = 0\ny = 1", (6, 8))
    assert (cells["jax"].source, cells["jax"].lines) == ("x = 0\ny = 2  # other", (6, 10))


TORCH = FrameworkConfig(
    display_name="PyTorch",
    module="torch",
    lib_name="torch",
    fluent_alias=("reshape",),
    args_alias=("clip(a_x, low=None) -> torch.clamp(a_x, min=low)",),
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (  # a call over two lines becomes one line
            "a = 0\ny = d2l.clip(x,\n             low=0)\nz = 1\n",
            ("a = 0\ny = torch.clamp(x, min=0)\nz = 1\n", (0, 1, 3, 4)),
        ),
        (  # the receiver of a fluent alias loses the line break after it
            "y = d2l.reshape(x,\n   (2, 3))\nz = 1",
            ("y = x.reshape((2, 3))\nz = 1", (0, 2)),
        ),
        (  # the inside of a string keeps its offset
            "y = d2l.clip(\n  '''a\nb''')\nz = 2\n",
            ("y = torch.clamp('''a\nb''')\nz = 2\n", (0, 2, 3, 4)),
        ),
    ],
)
def test_alias_rewrites_that_join_lines_are_mapped(
    source: str, expected: tuple[str, tuple[int, ...]]
) -> None:
    assert rewrite_tree(source, alias_table(TORCH, "d2l")) == expected


def test_split_notebook_maps_rewritten_cells_to_book_lines() -> None:
    page = parse_text(
        "```{.python .input}\n"  # 1
        "y = d2l.clip(x,\n"  # 2
        "             low=0)\n"  # 3
        "z = d2l.reshape(y, (1, -1))\n"  # 4
        "```\n"
    )
    notebook = split_page(
        page, ("pytorch",), aliases={"pytorch": alias_table(TORCH, "d2l")}
    ).notebooks["pytorch"]
    (cell,) = [c for c in notebook.cells if c.kind is CellKind.CODE]
    assert cell.source == "y = torch.clamp(x, min=0)\nz = y.reshape((1, -1))"
    assert cell.lines == (2, 4)
