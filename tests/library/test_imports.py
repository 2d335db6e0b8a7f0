"""Import normalisation of saved blocks, as d2lbook's isort pass leaves them.

Expected values were checked against d2lbook 1.0.3's clean-up (isort 9.0.2,
run from a book directory holding `d2l/`) when this file was written.
"""

from __future__ import annotations

import pytest

from polybook.library.imports import Normalised, normalise_imports

FIRST = frozenset({"d2l"})


def norm(block: str) -> str:
    result = normalise_imports(block, FIRST)
    assert result.skipped == []
    assert len(result.origin) == result.text.count("\n") + 1
    return result.text


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        # sections without blank lines between them; d2l is first party
        (
            "import torch\nfrom d2l import torch as d2l\nimport os, sys\nfrom torch import nn",
            "import os\nimport sys\nimport torch\nfrom torch import nn\n"
            "from d2l import torch as d2l",
        ),
        # case-insensitive natural order; plain imports before from-imports
        (
            "from PIL import Image\nimport Zeta\nimport beta10\nimport beta9\nimport alpha",
            "import alpha\nimport beta9\nimport beta10\nimport Zeta\nfrom PIL import Image",
        ),
        # names: constants, classes, then the rest; duplicates merged
        (
            "from torch import nn, Tensor, MAX\nfrom torch import optim\nimport os\nimport os",
            "import os\nfrom torch import MAX, Tensor, nn, optim",
        ),
        # `as` names get lines of their own, in name order
        (
            "from a import z, b as c, y\nfrom torch.nn import functional as F, init",
            "from a import b as c\nfrom a import y, z\nfrom torch.nn import functional as F\n"
            "from torch.nn import init",
        ),
        ("import numpy as np\nimport numpy", "import numpy\nimport numpy as np"),
        # relative imports last
        (
            "from . import b\nfrom .. import a\nimport os",
            "import os\nfrom .. import a\nfrom . import b",
        ),
        # blank lines inside the run go; one blank line before code, two before a def
        ("import b\n\n\nimport a\nx = 1", "import a\nimport b\n\nx = 1"),
        (
            "import b\nimport a\n@dec\ndef f():\n    pass",
            "import a\nimport b\n\n\n@dec\ndef f():\n    pass",
        ),
        ("import b\n# note\ndef f():\n    pass", "import b\n\n\n# note\ndef f():\n    pass"),
        # every top-level run is sorted; code before a run is left alone
        ("x = 1\nimport b\nimport a\ny = 2", "x = 1\nimport a\nimport b\n\ny = 2"),
        # no import statement (only text that looks like one)
        ('s = "import os"\nprint(s)', 's = "import os"\nprint(s)'),
    ],
)
def test_normalised(block: str, expected: str) -> None:
    assert norm(block) == expected


@pytest.mark.parametrize(
    "block",
    [
        "import b  # why\nimport a",  # comments
        "import b\n# why\nimport a",
        "from a import (b,\n    c)\nimport a",  # a statement over several lines
        "import b; import a",  # several statements on a line
        "from a import *\nimport b",  # star import
        "import numpy as np, numpy",  # isort drops names here: not reproduced
        "from " + "a" * 37 + " import " + "b" * 25 + ", " + "c" * 20,  # longer than 79
    ],
)
def test_unsupported_runs_are_kept_and_reported(block: str) -> None:
    result = normalise_imports(block, FIRST)
    assert result.text == block and result.skipped == [0]


def test_nested_imports_and_broken_code_are_left_alone() -> None:
    block = "def f():\n    import b\n    import a\n"
    assert normalise_imports(block, FIRST) == Normalised(block, [], (0, 1, 2, 3))
    assert normalise_imports("import b\nimport a\ndef (", FIRST) == Normalised(
        "import b\nimport a\ndef (", [], (0, 1, 2)
    )


def test_each_sorted_line_comes_from_the_first_statement_importing_it() -> None:
    block = "import sys\nfrom d2l import b\nimport os\nfrom d2l import a\nx = 1"
    result = normalise_imports(block, FIRST)
    assert result.text == "import os\nimport sys\nfrom d2l import a, b\n\nx = 1"
    assert result.origin == (2, 0, 1, 3, 4)
