"""polybook execute with real kernels: caching, failures, timeouts, reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.execute.conftest import TinyBook, markdown_text, outputs_text, page

# slow: `polybook execute` end to end: every test starts real Jupyter kernels
pytestmark = pytest.mark.slow

SHARED = "%%tab pytorch, jax\nprint('sum', 1 + 2)"


def test_first_run_executes_then_everything_is_cached(book: TinyBook) -> None:
    book.write("ch/a.md", page("A", "print('hello from a')"))
    book.write("ch/b.md", page("B", "x = 6 * 7\nx"))
    first = book.execute()
    assert first.code == 0, first.err
    assert first.executed == {("en", "pytorch", "ch/a.md"), ("en", "pytorch", "ch/b.md")}
    assert "hello from a" in outputs_text(book.executed_notebook("ch/a.md"))
    assert "42" in outputs_text(book.executed_notebook("ch/b.md"))
    again = book.execute()
    assert again.code == 0
    assert again.executed == set()
    assert again.report["counts"] == {"executed": 0, "cached": 2, "failed": 0}


def test_prose_edit_executes_nothing_and_keeps_outputs(book: TinyBook) -> None:
    book.write("ch/a.md", page("A", "print('out', 1)", "print('out', 2)"))
    assert book.execute().code == 0
    book.write("ch/a.md", page("A", "print('out', 1)", "print('out', 2)", prose="New words."))
    outcome = book.execute()
    assert outcome.code == 0 and outcome.executed == set()
    nb = book.executed_notebook("ch/a.md")
    assert "New words." in markdown_text(nb)
    assert "out 1" in outputs_text(nb) and "out 2" in outputs_text(nb)


def test_code_edit_reexecutes_exactly_that_page_per_framework(book: TinyBook) -> None:
    book.configure(("pytorch", "jax"))
    book.write("ch/a.md", page("A", SHARED))
    book.write("ch/b.md", page("B", SHARED, "%%tab pytorch\nprint('torch only')"))
    first = book.execute()
    assert first.code == 0, first.err
    assert len(first.executed) == 4
    # a pytorch-only cell: only pytorch's notebook of that page
    book.write("ch/b.md", page("B", SHARED, "%%tab pytorch\nprint('torch only, edited')"))
    assert book.execute().executed == {("en", "pytorch", "ch/b.md")}
    # a shared cell: that page in both frameworks
    book.write("ch/a.md", page("A", SHARED + "\nprint('more')"))
    assert book.execute().executed == {("en", "pytorch", "ch/a.md"), ("en", "jax", "ch/a.md")}


def test_translation_with_identical_code_is_executed_once(book: TinyBook) -> None:
    code = "import random\nprint('token', random.random())"
    book.write("ch/a.md", page("A", code, prose="English prose."))
    book.write("ch/a.md", page("A", code, prose="Prosa bahasa Indonesia."), lang="id")
    english = book.execute("--lang", "en")
    assert english.executed == {("en", "pytorch", "ch/a.md")}
    indonesian = book.execute("--lang", "id")
    assert indonesian.code == 0 and indonesian.executed == set()
    en_nb = book.executed_notebook("ch/a.md", lang="en")
    id_nb = book.executed_notebook("ch/a.md", lang="id")
    # the same (random) outputs, under the Indonesian prose
    assert outputs_text(en_nb) == outputs_text(id_nb)
    assert "Prosa bahasa" in markdown_text(id_nb)
    # a translation whose code differs runs on its own
    book.write("ch/a.md", page("A", code + "\nprint('id')"), lang="id")
    assert book.execute("--lang", "id").executed == {("id", "pytorch", "ch/a.md")}


def test_failing_cell_fails_the_run_with_the_source_line(book: TinyBook) -> None:
    book.write("ch/ok.md", page("OK", "print('fine')"))
    text = page("Bad", "x = 1", "y = 2\nraise ValueError('broken on purpose')")
    path = book.write("ch/bad.md", text)
    line = path.read_text().splitlines().index("raise ValueError('broken on purpose')") + 1
    outcome = book.execute("--keep-going")
    assert outcome.code == 1
    assert outcome.failed == {("en", "pytorch", "ch/bad.md")}
    assert ("en", "pytorch", "ch/ok.md") in outcome.executed
    assert f"chapters/en/ch/bad.md:{line}: error [en/pytorch] cell-error" in outcome.err
    assert "ValueError: broken on purpose" in outcome.err
    assert "Traceback" in outcome.err
    failure = outcome.failure("ch/bad.md")
    assert (failure["file"], failure["line"], failure["kind"]) == (
        "chapters/en/ch/bad.md",
        line,
        "cell-error",
    )
    # failures are not cached: the next run tries again
    assert book.execute().failed == {("en", "pytorch", "ch/bad.md")}


def test_allowed_errors_do_not_fail_the_run(book: TinyBook) -> None:
    book.write(
        "ch/a.md",
        page("A", "# polybook: allow-error\n1 / 0", "print('after the error')"),
    )
    outcome = book.execute()
    assert outcome.code == 0, outcome.err
    text = outputs_text(book.executed_notebook("ch/a.md"))
    assert "ZeroDivisionError" in text and "after the error" in text


def test_page_table_allows_errors_and_raises_timeouts(book: TinyBook) -> None:
    book.configure(
        execute="""
        [execute.pages."ch/*.md"]
        cell_timeout = 1
        [execute.pages."ch/errors.md"]
        allow_errors = true
        cell_timeout = 30
        """
    )
    book.write("ch/errors.md", page("E", "import time; time.sleep(1.5)", "raise KeyError('k')"))
    outcome = book.execute()
    assert outcome.code == 0, outcome.err


def test_hanging_cell_hits_its_timeout(book: TinyBook) -> None:
    book.configure(execute='[execute.pages."ch/slow.md"]\ncell_timeout = 2\n')
    book.write("ch/slow.md", page("Slow", "print('start')", "import time\ntime.sleep(120)"))
    outcome = book.execute()
    assert outcome.code == 1
    failure = outcome.failure("ch/slow.md")
    assert failure["kind"] == "cell-timeout"
    # no traceback names a line: the failure is at the cell's fence
    assert (failure["file"], failure["line"]) == ("chapters/en/ch/slow.md", 9)
    assert "timed out after 2s" in outcome.err
    assert outcome.report["notebooks"][0]["seconds"] < 30


def test_notebook_timeout(book: TinyBook) -> None:
    book.configure(execute='[execute.pages."ch/slow.md"]\nnotebook_timeout = 3\n')
    sleep = "import time\ntime.sleep(1.2)"
    book.write("ch/slow.md", page("Slow", sleep, sleep, sleep, sleep))
    outcome = book.execute()
    assert outcome.code == 1
    assert outcome.failure("ch/slow.md")["kind"] == "notebook-timeout"


def test_dying_kernel_is_reported_and_keep_going_runs_the_rest(book: TinyBook) -> None:
    path = book.write("ch/a_dies.md", page("Dies", "import os\nos._exit(1)"))
    fence = path.read_text().splitlines().index("```{.python .input}") + 1
    book.write("ch/b_fine.md", page("Fine", "print('still running')"))
    stopped = book.execute()
    assert stopped.code == 1
    outcome = book.execute("--keep-going")
    assert outcome.code == 1
    failure = outcome.failure("ch/a_dies.md")
    assert failure["kind"] == "kernel-died"
    assert failure["file"] == "chapters/en/ch/a_dies.md" and failure["line"] == fence
    assert "kernel-died" in outcome.err
    assert ("en", "pytorch", "ch/b_fine.md") in outcome.executed | outcome.with_status("cached")


def test_pages_filter_and_junit(book: TinyBook) -> None:
    book.write("ch/a.md", page("A", "print(1)"))
    book.write("ch/b.md", page("B", "1 / 0"))
    junit = book.root / "_build" / "junit.xml"
    outcome = book.execute("--junit", str(junit), "ch/a")
    assert outcome.code == 0
    assert outcome.executed == {("en", "pytorch", "ch/a.md")}
    outcome = book.execute("--junit", str(junit), "-k", "chapters/en/ch/*")
    assert outcome.code == 1
    root = ET.parse(junit).getroot()
    assert root.get("tests") == "2" and root.get("failures") == "1"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["ch/b.md"].find("failure") is not None
    assert cases["ch/a.md"].find("failure") is None
    failure = cases["ch/b.md"].find("failure")
    assert failure is not None and "chapters/en/ch/b.md:" in (failure.get("message") or "")


def test_kernel_temporary_files_stay_in_the_build_and_go_with_the_kernel(book: TinyBook) -> None:
    """A kernel's TMPDIR is a folder of its own under `_build/work/.scratch`,
    removed when the kernel is: scratch files (TensorFlow writes its autograph
    sources there) neither land in the machine's /tmp nor outlive the run."""
    code = (
        "import os, tempfile\n"
        "with tempfile.NamedTemporaryFile(delete=False, suffix='.scratch') as f:\n"
        "    f.write(b'x')\n"
        "print('scratch', os.path.dirname(f.name))"
    )
    book.write("ch/a.md", page("A", code))
    outcome = book.execute()
    assert outcome.code == 0, outcome.err
    printed = outputs_text(book.executed_notebook("ch/a.md")).split()
    scratch = Path(printed[printed.index("scratch") + 1])
    assert scratch.parent == book.root / "_build" / "work" / ".scratch"
    assert not scratch.exists()
