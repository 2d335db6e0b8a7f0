"""Execution failures at the exact book line: real split, real kernel.

The pages are written out in full so that every expected `file:line` can be
read off them; each case is also one where a naive "fence + line in the cell"
would be wrong (a `%%tab` marker, a dropped stray fence, a comment, a
translation with longer comments).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.execute.conftest import TinyBook
from tests.execute.test_real_envs import REPO_ENVS

# real kernels: end to end
pytestmark = pytest.mark.slow

# the 5th line of the cell raises (book line 11; the marker line is not code)
FIFTH_LINE = """\
# Fifth line

Prose before the code.

```{.python .input}
%%tab pytorch
x = 1
y = 2
z = x + y
w = z * 2
raise ValueError(f'fifth line: {w}')
```
"""

# after a tab region; the failing line follows a blank line and a comment
# (book line 12, line 4 of the cell)
AFTER_COMMENT = """\
# After a comment

:begin_tab:`pytorch`
Only for PyTorch.
:end_tab:

```{.python .input}
%%tab all
import math

# the square root of a negative number fails
math.sqrt(-1)
```
"""

# a stray ```python line is dropped from the cell (book line 5 is not code);
# the list comprehension on line 3 of the cell (book line 7) divides by zero
STRAY_FENCE = """\
# Stray fence

```{.python .input}
values = [3, 2, 1, 0]
```python

inverses = [1 / v for v in values]
```
"""

# the Indonesian page's comment is two lines longer: its own lines count
TRANSLATED = """\
# Terjemahan

Prosa.

```{.python .input}
import math

# akar kuadrat dari bilangan negatif
# gagal, seperti yang diharapkan
# di sini
math.sqrt(-1)
```
"""


@pytest.fixture
def kernels(tiny_envs: Path) -> Path:
    """The real pytorch environment when it is built, else the tiny one."""
    return REPO_ENVS if (REPO_ENVS / "pytorch" / ".installed").is_file() else tiny_envs


def _place(book: TinyBook, page: str, lang: str = "en") -> str:
    outcome = book.execute("--keep-going", "--lang", lang)
    failure = outcome.failure(page)
    headline = f"{failure['file']}:{failure['line']}: error [{lang}/pytorch] cell-error"
    assert headline in outcome.err
    return f"{failure['file']}:{failure['line']}"


def test_failures_are_placed_on_their_exact_book_line(book: TinyBook, kernels: Path) -> None:
    book.envs = kernels
    book.write("ch/fifth.md", FIFTH_LINE)
    book.write("ch/comment.md", AFTER_COMMENT)
    book.write("ch/stray.md", STRAY_FENCE)
    outcome = book.execute("--keep-going")
    assert outcome.code == 1
    assert len(outcome.failed) == 3
    places = {
        page: (f["file"], f["line"], f["cell_line"])
        for page in ("ch/fifth.md", "ch/comment.md", "ch/stray.md")
        for f in [outcome.failure(page)]
    }
    assert places == {
        "ch/fifth.md": ("chapters/en/ch/fifth.md", 11, 5),
        "ch/comment.md": ("chapters/en/ch/comment.md", 12, 4),
        "ch/stray.md": ("chapters/en/ch/stray.md", 7, 3),
    }
    assert "chapters/en/ch/fifth.md:11: error [en/pytorch] cell-error: ValueError" in outcome.err
    # the executed notebooks of failed pages are not written; the maps are in
    # the split notebooks execute read
    assert not (
        book.root / "_build" / "executed" / "en" / "pytorch" / "ch" / "fifth.ipynb"
    ).exists()


def test_a_translation_fails_on_its_own_lines(book: TinyBook, kernels: Path) -> None:
    book.envs = kernels
    book.write("ch/t.md", AFTER_COMMENT)
    book.write("ch/t.md", TRANSLATED, lang="id")
    assert _place(book, "ch/t.md") == "chapters/en/ch/t.md:12"
    assert _place(book, "ch/t.md", "id") == "chapters/id/ch/t.md:11"


def test_executed_notebooks_keep_the_line_maps(book: TinyBook, kernels: Path) -> None:
    book.envs = kernels
    book.write("ch/ok.md", FIFTH_LINE.replace("raise ValueError", "print"))
    assert book.execute().code == 0
    cell = book.executed_notebook("ch/ok.md")["cells"][1]
    assert cell["metadata"]["polybook"]["lines"] == "7-11"
    assert "fifth line: 6" in "".join(cell["outputs"][0]["text"])
