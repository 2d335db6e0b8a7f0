"""`tab.selected` resolution without libcst (split/asttab.py) gives libcst's text
and line map for every framework, or declines."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from polybook.source.book import Book
from polybook.split.asttab import resolve_line_by_line
from polybook.split.tabselect import resolve_many
from tests.conftest import REPO, SEEDS, parse_text

FRAMEWORKS = ["pytorch", "mxnet", "jax", "tensorflow"]

FAST = [
    "if tab.selected('pytorch'):\n    x = 1\nif tab.selected('mxnet'):\n    x = 2\nprint(x)",
    "a = 0\n\n# jax only\nif tab.selected('jax'):\n    b = 1\n\nc = 2\n",
    "# top of the cell\nif tab.selected('jax'):\n    b = 1\nc = 2",
    "if tab.selected(['mxnet', 'jax']):\n    y = 1\nelif tab.selected('pytorch'):\n    y = 2\n"
    "else:\n    y = 3\n",
    "if not tab.selected('pytorch') and tab.selected('mxnet', 'jax'):\n    z = 1\nz = 0",
    # continuation lines inside brackets move with the body; after a backslash
    # and inside strings they stay as written
    "if tab.selected('pytorch'):\n    net = nn.Sequential(\n        nn.Linear(2, 1),\n"
    "        nn.ReLU())\n    s = '''a\n    b'''\n    t = 1 + \\\n        2\nnet",
    "class A:\n    def f(self):\n        return 1\n\n    if tab.selected('jax'):\n"
    "        def g(self):\n            # a comment\n            return 2\n\n"
    "    def h(self):\n        return 3\n",
    "if tab.selected('jax'):\n    # first\n    x = 1\n\n    y = 2\n    # trailing, dropped\n"
    "else:\n    x = 3\n",
    "%matplotlib inline\nif tab.selected('pytorch'):\n    !pip list\n    x = 1\n",
    "if tab.selected('tensorflow'):\n    x = 1",
    # a block left empty gets `pass`, from the first `if`
    "def f():\n    # doc\n    if tab.selected('jax'):\n        return 1\n\n"
    "    if tab.selected('mxnet'):\n        return 2\nf()\n",
    # chains inside chains, resolved inside out
    "if tab.selected('jax', 'mxnet'):\n    if tab.selected('jax'):\n        x = 1\n    y = 2\n",
    "class A:\n    if tab.selected('mxnet', 'jax'):\n        def f(self):\n"
    "            if tab.selected('jax'):\n                return 1\n            return 2\n",
    # footers: lines as deep as a block after its last statement belong to it
    "if tab.selected('jax'):\n    x = 1\n    # the block's footer\ny = 2\n",
    "if tab.selected('jax'):\n    x = 1\n\n    \n  # shallow\ny = 2\n",
    "def f():\n    return 1\n    # f's footer\n# the chain's\nif tab.selected('jax'):\n    x = 1\n",
    "def f():\n    return 1\n \nif tab.selected('jax'):\n    x = 1\n",
    "if tab.selected('jax'):\n    x = 1\n  # shallow\n    # deep\ny = 2\n",
]
LIBCST = [
    "if tab.selected('pytorch'): x = 1\n",  # a body on the `if` line
    "y = 1 if tab.selected('jax') else 2\n",  # not an `if` statement
    "if flag:\n    x = 1\nelif tab.selected('jax'):\n    x = 2\n",  # a test that is not static
    "if tab.selected('jax'):\n    x = 1\n\n # c\n",  # libcst drops the blank line
    "if tab.selected('jax'):\n\tx = 1\n",  # a tab
    "if tab.selected('jax':\n    x = 1\n",  # does not parse
    "if tab.selected(name):\n    x = 1\n",
]


@pytest.mark.parametrize("source", FAST)
def test_the_fast_resolution_is_libcsts(source: str) -> None:
    fast = resolve_line_by_line(source, FRAMEWORKS)
    assert fast is not None
    assert fast == resolve_many(source, FRAMEWORKS)


@pytest.mark.parametrize("source", LIBCST)
def test_other_cells_are_left_to_libcst(source: str) -> None:
    assert resolve_line_by_line(source, FRAMEWORKS) is None


def _cells() -> list[str]:
    """Every Python cell that mentions `tab.selected` in the repository's book
    (all languages) and in the seed pages."""
    book = Book.open(REPO)
    sources: list[str] = []
    for lang in book.config.languages:
        for rel in book.page_files(lang):
            sources += [c.source for c in book.read(lang, rel).code_cells]
    for seed in sorted(SEEDS.glob("*.txt")):
        page = parse_text(seed.read_text("utf-8"), file=seed.name)
        sources += [c.source for c in page.code_cells]
    return [s for s in sources if "tab.selected" in s]


def test_on_every_cell_of_the_book_and_the_seeds_either_path_gives_the_same() -> None:
    cells = _cells()
    fast = [(s, resolve_line_by_line(s, FRAMEWORKS)) for s in cells]
    answered = [(s, r) for s, r in fast if r is not None]
    assert len(cells) > 60 and len(answered) > 20
    for source, resolution in answered:
        assert resolution == resolve_many(source, FRAMEWORKS), source


def test_the_module_header_stays_when_the_chain_goes(tmp_path: Path) -> None:
    source = "# top of the cell\nif tab.selected('jax'):\n    b = 1\nc = 2"
    fast = resolve_line_by_line(source, ["pytorch"])
    assert fast is not None
    assert (fast["pytorch"].text, fast["pytorch"].origin) == ("# top of the cell\nc = 2", (0, 3))


def _fuzz_block(rng: random.Random, indent: int, depth: int) -> list[str]:
    """Statements with tab.selected chains, blocks of every kind, comments and
    blank lines at every indentation, continuation lines, strings."""
    pad = " " * indent
    out: list[str] = []
    for _ in range(rng.randint(1, 3)):
        for _ in range(rng.choice([0, 0, 1, 2])):
            spaces = " " * rng.choice([0, indent, max(0, indent - 4), indent + 4, 1])
            out.append(rng.choice(["", spaces, spaces + "# c"]))
        k = rng.random()
        if k < 0.35 and depth < 3:
            names = ", ".join(repr(n) for n in rng.sample(FRAMEWORKS, rng.randint(1, 2)))
            out += [f"{pad}if tab.selected({names}):", *_fuzz_block(rng, indent + 4, depth + 1)]
            if rng.random() < 0.3:
                out.append(f"{pad}elif tab.selected('{rng.choice(FRAMEWORKS)}'):")
                out += _fuzz_block(rng, indent + 4, depth + 1)
            if rng.random() < 0.3:
                out += [f"{pad}else:", *_fuzz_block(rng, indent + 4, depth + 1)]
        elif k < 0.5 and depth < 3:
            header = rng.choice(["def f(x):", "for i in r:", "class A:", "try:", "with c:"])
            out += [pad + header, *_fuzz_block(rng, indent + 4, depth + 1)]
            if header == "try:":
                out += [pad + "except E:", *_fuzz_block(rng, indent + 4, depth + 1)]
        elif k < 0.6:
            out += [pad + "y = g(1,", " " * (indent + rng.choice([2, 4, 6])) + "2)"]
        elif k < 0.65:
            out += [pad + "s = '''a", "    b'''"]
        elif k < 0.7:
            out += [pad + "t = 1 + \\", " " * (indent + 4) + "2"]
        else:
            out.append(pad + f"x = {rng.randint(0, 9)}  # x")
    return out


def test_on_generated_cells_either_path_gives_the_same() -> None:
    rng = random.Random(20261129)
    fast = 0
    for _ in range(400):
        source = "\n".join(_fuzz_block(rng, 0, 0)) + rng.choice(["", "\n"])
        if "tab.selected" not in source:
            continue
        result = resolve_line_by_line(source, FRAMEWORKS)
        if result is not None:
            fast += 1
            assert result == resolve_many(source, FRAMEWORKS), source
    assert fast > 100
