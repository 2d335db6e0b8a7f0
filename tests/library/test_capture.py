"""#@save capture rules (DIALECT §5), the old toolchain's textual `tab.selected`,
section notes and class assembly, on small inputs."""

from __future__ import annotations

import pytest

from polybook.library.assemble import assemble
from polybook.library.capture import capture, textual_select
from polybook.library.model import Mode, SavedBlock
from polybook.library.notes import add_notes, add_notes_clean
from polybook.library.statements import capture_statements


def saved(source: str) -> str:
    return capture(source).text


def test_trailing_mark_on_def_saves_the_definition() -> None:
    src = "def f(x):  #@save\n    return x\n\ny = f(1)\n"
    assert saved(src) == "def f(x):\n    return x\n"


def test_trailing_mark_on_class_and_on_decorator_line() -> None:
    src = "class A:  # @save\n    x = 1\nprint(A)\n"
    assert saved(src) == "class A:\n    x = 1"
    src = "@d2l.add_to_class(Trainer)  #@save\ndef fit(self):\n    pass\nfit\n"
    assert saved(src) == "@d2l.add_to_class(Trainer)\ndef fit(self):\n    pass"


def test_standalone_mark_saves_a_run_of_imports_up_to_the_blank_line() -> None:
    src = "#@save\nimport os\nimport sys\n\nx = os.sep\n"
    assert saved(src) == "import os\nimport sys\n"


def test_standalone_mark_saves_several_assignments() -> None:
    assert saved("#@save\na = 1\nb = 2\nc = 3\n\nprint(a)") == "a = 1\nb = 2\nc = 3\n"


def test_standalone_mark_saves_one_definition_with_decorator() -> None:
    src = "x = 1\n#@save\n@cache\ndef f():\n    return 1\n\ndef g():\n    pass\n"
    assert saved(src) == "@cache\ndef f():\n    return 1\n"


def test_mark_trailing_an_open_bracket_assignment() -> None:
    src = "TABLE = {  #@save\n    'a': 1,\n    'b': 2}\nprint(TABLE)\n"
    assert saved(src) == "TABLE = {\n    'a': 1,\n    'b': 2}"
    # the old rules lose a closing bracket at column 0 (reproduced)
    assert saved("T = [  #@save\n    1,\n]\n") == "T = [\n    1,"


def test_several_marks_in_one_cell_and_one_in_the_middle() -> None:
    src = (
        "def a():  #@save\n    return 1\n\nx = a()\n\n"
        "#@save\ndef b():\n    return 2\n\nprint(b())\n"
    )
    taken = capture(src)
    assert taken.text == "def a():\n    return 1\n\ndef b():\n    return 2\n"
    assert [m.index for m in taken.marks] == [0, 5]


def test_indented_mark_keeps_indentation_of_its_lines() -> None:
    src = "class A:\n    def f(self):  #@save\n        return 1\nA()\n"
    assert saved(src) == "    def f(self):\n        return 1"


def test_marks_that_save_nothing_or_repeat_lines_are_flagged() -> None:
    taken = capture("#@save\n\nx = 1\n")
    assert taken.marks[0].empty and taken.text == ""
    taken = capture("class A:  #@save\n    def f(self):  #@save\n        pass\n")
    assert [m.repeated for m in taken.marks] == [False, True]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the same placements as the line rules, on well-formed code
        ("def f(x):  #@save\n    return x\n\ny = f(1)\n", "def f(x):\n    return x"),
        ("#@save\nimport os\nimport sys\n\nx = 1\n", "import os\nimport sys"),
        (
            "x = 1\n#@save\n@cache\ndef f():\n    return 1\ndef g():\n    pass",
            "@cache\ndef f():\n    return 1",
        ),
        ("#@save\na = 1\ndef f():\n    pass\nz = 2\n", "a = 1\ndef f():\n    pass"),
        ("if tab:\n    #@save\n    def f():\n        pass\n", "def f():\n    pass"),
        # where the line rules break code
        ("T = [  #@save\n    1,\n]\nprint(T)\n", "T = [\n    1,\n]"),
        (
            "class A:  #@save\n    def f(self):  #@save\n        pass\n",
            "class A:\n    def f(self):\n        pass",
        ),
        ("#@save\nx = 1\n#@save\ny = 2\n", "x = 1\ny = 2"),
        ("class A:\n    def f(self):  #@save\n        return 1\n", "def f(self):\n    return 1"),
        (
            "def two(a,\n        b):  #@save\n    return a\n",
            "def two(a,\n        b):\n    return a",
        ),
        ("def one(): return 1  #@save\nx = 2\n\ny = 3", "def one(): return 1"),
        # a mark inside a string literal is not a mark
        ("s = '#@save'\n", ""),
    ],
)
def test_clean_capture_takes_whole_statements(source: str, expected: str) -> None:
    taken = capture_statements(source)
    assert taken is not None and taken.text == expected


def test_clean_capture_leaves_unparsable_cells_to_the_line_rules() -> None:
    assert capture_statements("%matplotlib inline\ndef f():  #@save\n    pass") is None


def test_textual_select_like_the_old_toolchain() -> None:
    src = (
        "def f():\n"
        "    if tab.selected('pytorch'):\n        a = 1\n"
        "    if tab.selected('mxnet', 'jax'):\n        a = 2\n\n"
        "    return a\n"
    )
    lines, origin = textual_select(src, "pytorch", "d2l")
    # the blank line after an unselected branch goes with it
    assert lines == ["def f():", "    a = 1", "    return a", ""]
    assert origin == [0, 2, 6, 7]
    assert textual_select(src, "jax", "d2l")[0] == ["def f():", "    a = 2", "", "    return a", ""]
    old = "if d2l.USE_MXNET:\n    x = 1\nif d2l.USE_PYTORCH:\n    x = 2\n"
    assert textual_select(old, "pytorch", "d2l")[0] == ["x = 2", ""]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            'def f(x):\n    """Doc."""\n    return x',
            'def f(x):\n    """Doc.\n\n    Defined in :numref:`sec_a`"""\n    return x',
        ),
        (
            "def f(x):\n    return x",
            'def f(x):\n    """Defined in :numref:`sec_a`"""\n    return x',
        ),
        # no `):` in `class A:` -> the note goes into the first method
        (
            'class A:\n    """Doc."""\n    def f(self):\n        pass',
            'class A:\n    """Doc."""\n    def f(self):\n        """Defined in :numref:`sec_a`"""\n'
            "        pass",
        ),
        # `-> T:` signatures have no `):`
        ("def f(x) -> int:\n    return x", "def f(x) -> int:\n    return x"),
        ("x = 1\ny = 2", "x = 1\ny = 2"),
    ],
)
def test_compat_notes(block: str, expected: str) -> None:
    noted = add_notes(block, "sec_a")
    assert noted.text == expected
    assert len(noted.origin) == expected.count("\n") + 1
    assert add_notes(block, "").text == block


def test_clean_notes_go_into_each_definitions_own_docstring() -> None:
    block = (
        'class A:\n    """Doc."""\n    def f(self):\n        pass\n\n'
        "def g(x) -> int:\n    return x\n\n"
        'def h():\n    """Long.\n\n    More.\n    """\n    return 1'
    )
    noted = add_notes_clean(block, "sec_a")
    assert noted is not None and noted.text == (
        'class A:\n    """Doc.\n\n    Defined in :numref:`sec_a`"""\n    def f(self):\n'
        '        pass\n\ndef g(x) -> int:\n    """Defined in :numref:`sec_a`"""\n'
        '    return x\n\ndef h():\n    """Long.\n\n    More.\n\n'
        '    Defined in :numref:`sec_a`\n    """\n    return 1'
    )
    # note lines count as the docstring they end or the signature they follow
    assert noted.origin == (0, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 12, 12, 13)
    assert add_notes_clean("def broken(:", "sec_a") is None


def _blocks(*texts: str) -> list[tuple[str, SavedBlock]]:
    return [(t, SavedBlock(t, "", "p.md", i + 1)) for i, t in enumerate(texts)]


CLASS = "class C:\n    def f(self):\n        return 1"
ADD_F = "@d2l.add_to_class(d2l.C)\ndef f(self):\n\n    return 2"
ADD_G = "@d2l.add_to_class(C)\ndef g(self):\n    return 3"


def test_compat_assembly_appends_methods_and_keeps_duplicates() -> None:
    chunks, diagnostics = assemble(_blocks(CLASS, ADD_F, ADD_G), Mode.COMPAT, "d2l")
    assert chunks == [
        "class C:\n    def f(self):\n        return 1\n\n"
        "    def f(self):\n    \n        return 2\n\n    def g(self):\n        return 3"
    ]
    assert [d.code for d in diagnostics] == ["PB194"]


def test_clean_assembly_replaces_a_redefined_method_in_place() -> None:
    chunks, diagnostics = assemble(_blocks(CLASS, ADD_G, ADD_F), Mode.CLEAN, "d2l")
    assert chunks == [
        "class C:\n    def f(self):\n\n        return 2\n\n    def g(self):\n        return 3"
    ]
    assert diagnostics == []


def test_methods_go_to_the_latest_definition_of_a_class() -> None:
    later = "class C:\n    x = 2"
    for mode in Mode:
        chunks, _ = assemble(_blocks(CLASS, later, ADD_G), mode, "d2l")
        assert chunks[0] == CLASS
        assert chunks[1].startswith(later) and "def g(self)" in chunks[1]


def test_method_for_an_unknown_class_is_kept_and_reported() -> None:
    chunks, diagnostics = assemble(_blocks(ADD_G), Mode.COMPAT, "d2l")
    assert chunks == [ADD_G]
    assert [(d.code, d.severity.value) for d in diagnostics] == [("PB193", "error")]


def test_clean_merges_methods_saved_with_their_class_into_its_body() -> None:
    block = CLASS + "\n\n" + ADD_G + "\n\nx = 1"
    compat, _ = assemble(_blocks(block), Mode.COMPAT, "d2l")
    assert compat == [block]
    clean, _ = assemble(_blocks(block), Mode.CLEAN, "d2l")
    assert clean == [CLASS + "\n\n    def g(self):\n        return 3", "x = 1"]
