"""Property-based tests (hypothesis) of parse -> split -> check.

Pages are generated from the dialect's grammar (headings with labels, prose
with roles, math and pseudo-tags, `%%tab` and `#@tab` code cells, `:begin_tab:`
regions, `tab.selected` branches, `#@save` code, equations, figures, listings,
tocs), then damaged at random (lines cut short, fence and end markers deleted,
bad bytes, TAB characters, lines swapped or repeated). Whatever the page:

- parse, split and check return (the damage becomes diagnostics);
- splitting is deterministic (the same bytes twice, in two folders);
- splitting is idempotent (a second split of an unchanged book writes nothing
  and leaves every notebook as it was).

The profile is fixed and derandomized, so every run tries the same examples
and the suite cannot flake; `POLYBOOK_HYPOTHESIS_EXAMPLES` asks for more.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polybook.check.code import check_cell
from polybook.check.run import check_book
from polybook.diagnostics import Diagnostic
from polybook.source.book import Book
from polybook.source.parser import parse_page
from polybook.split.page import split_page
from polybook.split.run import split_book

FAULTBOOK = Path(__file__).resolve().parents[1] / "fixtures" / "faultbook"
KNOWN = ("pytorch", "jax")  # the fixture book's frameworks
NAMES = ("pytorch", "jax", "mxnet", "all", "paddle", "")

PROFILE = settings(
    max_examples=int(os.environ.get("POLYBOOK_HYPOTHESIS_EXAMPLES", "40")),
    derandomize=True,  # the same examples on every run: no flakes
    deadline=None,  # a loaded machine must not fail a test
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

words = st.sampled_from(["tensor", "the", "model", "learns", "ein", "Hình", "değer", "x"])
labels = st.sampled_from(["sec_a", "sec_b", "fig_x", "eq_y", "tab_z", "sec_a"])
frameworks = st.lists(st.sampled_from(NAMES), min_size=1, max_size=3).map(", ".join)


@st.composite
def inline(draw: st.DrawFn) -> str:
    parts = draw(st.lists(words, min_size=1, max_size=6))
    extras = st.sampled_from(
        [
            ":numref:`{}`",
            ":ref:`{}`",
            ":eqref:`{}`",
            ":cite:`LeCun.Bottou.Bengio.ea.1998`",
            ":citet:`Kingma.Ba.2014,Missing.2020`",
            "$a_{}$",
            "`:numref:` code",
            "<eos>",
            "<b>bold</b>",
            "(**shown {}**)",
            "(~~slides only~~)",
            "![img](../img/arrow.svg)",
            ":numref:``{}``",
        ]
    )
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(parts)))
        parts.insert(at, draw(extras).replace("{}", draw(labels)))
    return " ".join(parts)


@st.composite
def code(draw: st.DrawFn) -> list[str]:
    kind = draw(st.sampled_from(["plain", "save", "selected", "ipython", "broken", "class"]))
    if kind == "save":
        return ["def helper(x):  #@save", '    """A saved helper."""', "    return x + 1"]
    if kind == "selected":
        return [
            "if tab.selected('pytorch'):",
            "    y = 1",
            "elif tab.selected(['jax', 'mxnet']):",
            "    y = 2",
            "else:",
            "    y = 3",
            "print(y)",
        ]
    if kind == "ipython":
        return ["%matplotlib inline", "!pip list", "x = d2l.tensor([1, 2])"]
    if kind == "broken":
        return ["def f(:", "    return"]
    if kind == "class":
        return ["@d2l.add_to_class(Model)  #@save", "def step(self):", "    pass"]
    return [f"{draw(words)}_v = {draw(st.integers(0, 9))}"]


@st.composite
def block(draw: st.DrawFn) -> list[str]:
    kind = draw(
        st.sampled_from(
            [
                "heading",
                "prose",
                "new_cell",
                "legacy_cell",
                "plain_cell",
                "region",
                "equation",
                "figure",
                "listing",
                "eval_rst",
                "toc",
                "table",
            ]
        )
    )
    if kind == "heading":
        out = ["#" * draw(st.integers(1, 3)) + " " + draw(inline())]
        if draw(st.booleans()):
            out.append(f":label:`{draw(labels)}`")
        return out
    if kind == "prose":
        return [draw(inline()) for _ in range(draw(st.integers(1, 3)))]
    if kind in ("new_cell", "legacy_cell", "plain_cell"):
        marker = {"new_cell": "%%tab ", "legacy_cell": "#@tab ", "plain_cell": None}[kind]
        head = [] if marker is None else [marker + draw(frameworks)]
        return ["```{.python .input}", *head, *draw(code()), "```"]
    if kind == "region":
        return [f":begin_tab:`{draw(frameworks)}`", draw(inline()), ":end_tab:"]
    if kind == "equation":
        return [f"$$x = y_{draw(st.integers(0, 9))}$$", f":eqlabel:`{draw(labels)}`"]
    if kind == "figure":
        return [
            f"![{draw(inline())}](../img/arrow.svg)",
            ":width:`300px`",
            f":label:`{draw(labels)}`",
        ]
    if kind == "listing":
        return ["```python", "print('listing')", "```"]
    if kind == "eval_rst":
        return ["```eval_rst", ".. raw:: html", "", "   <hr/>", "```"]
    if kind == "table":
        return [":Caption", "", "| a | b |", "|---|---|", "| 1 | 2 |", f":label:`{draw(labels)}`"]
    return ["```toc", ":maxdepth: 2", "", "chap/index", "```"]


@st.composite
def page(draw: st.DrawFn) -> bytes:
    """A page from the grammar, then damaged."""
    first = [
        "```{.python .input}",
        "%load_ext d2lbook.tab",
        "tab.interact_select(['pytorch', 'jax'])",
        "```",
    ]
    blocks = draw(st.lists(block(), min_size=1, max_size=10))
    lines = [
        line
        for b in ([["# Title"]] + ([first] if draw(st.booleans()) else []) + blocks)
        for line in [*b, ""]
    ]
    data = [line.encode("utf-8") for line in lines]
    for _ in range(draw(st.integers(0, 4))):
        data = draw(damage(data))
    return b"\n".join(data)


@st.composite
def damage(draw: st.DrawFn, lines: list[bytes]) -> list[bytes]:
    out = list(lines)
    if not out:
        return out
    i = draw(st.integers(0, len(out) - 1))
    op = draw(
        st.sampled_from(["cut", "drop_marker", "bad_bytes", "tab", "swap", "repeat", "truncate"])
    )
    if op == "cut":
        out[i] = out[i][: draw(st.integers(0, len(out[i])))]
    elif op == "drop_marker":
        markers = [
            k
            for k, b in enumerate(out)
            if b.lstrip().startswith((b"```", b":end_tab:", b":begin_tab:", b"$$"))
        ]
        if markers:
            del out[draw(st.sampled_from(markers))]
    elif op == "bad_bytes":
        out.insert(
            i,
            draw(
                st.sampled_from(
                    [b"\xff\xfe", b"caf\xc3", b"4\xc3\xa2\xe2\x82\xac\xe2\x80\x9c8", b"\x00"]
                )
            ),
        )
    elif op == "tab":
        out[i] = b"\t" + out[i].replace(b" ", b"\t", 1)
    elif op == "swap":
        j = draw(st.integers(0, len(out) - 1))
        out[i], out[j] = out[j], out[i]
    elif op == "repeat":
        out.insert(i, out[i])
    else:
        out = out[: i + 1]
    return out


def _pipeline(data: bytes) -> list[Diagnostic]:
    """parse -> split (both framework orders) -> the code checks."""
    found: list[Diagnostic] = []
    parsed = parse_page(data, lang="en", path="p.md", file="p.md", known=KNOWN)
    found.extend(parsed.diagnostics)
    for ordered in (KNOWN, KNOWN[::-1]):
        split = split_page(parsed, ordered)
        found.extend(split.diagnostics)
        for nb in split.notebooks.values():
            nb.to_json()
        for cell in parsed.code_cells:
            versions = {
                fw: c
                for fw, nb in split.notebooks.items()
                for c in nb.code_cells
                if c.line == cell.line
            }
            found.extend(check_cell(parsed, cell, versions))
    return found


@PROFILE
@given(page())
def test_generated_and_damaged_pages_never_crash_parse_split_check(data: bytes) -> None:
    found = _pipeline(data)
    last = data.count(b"\n") + 1
    assert all(d.file == "p.md" and 1 <= d.line <= last for d in found), found
    assert _pipeline(data) == found  # the same page, the same diagnostics


@contextmanager
def _book_with(data: bytes) -> Iterator[Path]:
    """The fault book with the generated page added to its chapter's toc."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "book"
        shutil.copytree(FAULTBOOK, root)
        chap = root / "chapters" / "en" / "chap"
        (chap / "generated.md").write_bytes(data)
        index = chap / "index.md"
        index.write_text(
            index.read_text("utf-8").replace("faults\n", "faults\ngenerated\n"), "utf-8"
        )
        yield root


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@PROFILE
@given(page())
def test_splitting_is_deterministic_idempotent_and_check_returns(data: bytes) -> None:
    with _book_with(data) as root:
        book = Book.open(root)
        first, second = root / "_build" / "a", root / "_build" / "b"
        one = split_book(book, "en", first, jobs=1)
        two = split_book(book, "en", second, jobs=1)
        files = _snapshot(first)
        assert {k: v[0] for k, v in files.items()} == {
            k: v[0] for k, v in _snapshot(second).items()
        }
        assert one.diagnostics == two.diagnostics
        again = split_book(book, "en", first, jobs=1)
        assert again.written == [] and again.removed == []
        assert again.unchanged == again.pages == one.pages
        assert _snapshot(first) == files  # not one byte, not one mtime changed
        assert sorted(again.diagnostics, key=str) == sorted(one.diagnostics, key=str)
        found = check_book(book, "en", jobs=1)
        assert all(d.line >= 1 for d in found)
