"""`polybook edit` and `polybook edit --save`: changes made in Jupyter land on
exactly the page lines they came from; every other byte stays."""

from __future__ import annotations

import json
from pathlib import Path

from polybook.diagnostics import Code
from tests.edit.conftest import EditBook, cells, change, jupyter_saves, source

BRANCHES = "en/chap/branches.md"
TRANSLATED = "id/chap/branches.md"
LEGACY = "vi/chap/legacy.md"


def test_edit_writes_the_split_notebook_with_a_stamp(book: EditBook) -> None:
    notebook = book.edit(BRANCHES, "pytorch")
    data = json.loads(notebook.read_text("utf-8"))
    stamp = data["metadata"]["polybook"]["edit"]
    ids = [c["id"] for c in data["cells"]]
    assert stamp["cells"] == ids
    assert ids == [
        "md-L6", "md-L13", "code-L20", "code-L30", "code-L45", "code-L54", "code-L59", "md-L64",
        "code-L66",
    ]  # fmt: skip
    # the framework's code: branches resolved and dedented, aliases rewritten
    assert source(data["cells"][3]).split("\n")[2:4] == ["        y = x * 2", "        return y"]
    assert source(data["cells"][5]) == "x = torch.ones(3)"
    assert data["metadata"]["kernelspec"]["name"] == "polybook-pytorch"
    assert data["cells"][3]["metadata"]["polybook"]["lines"] == "32-33,35-36,39-42"


def test_no_change_writes_nothing(book: EditBook) -> None:
    page = book.page(BRANCHES)
    before = page.read_bytes()
    notebook = book.edit(BRANCHES, "pytorch")
    jupyter_saves(notebook, cells(notebook))
    result = book.save(notebook)
    assert (result.code, result.out.strip()) == (0, f"edit --save: chapters/{BRANCHES}: no changes")
    assert page.read_bytes() == before


def test_branch_lines_keep_their_indentation(book: EditBook) -> None:
    page = book.page(BRANCHES)
    before = page.read_text("utf-8")
    notebook = book.edit(BRANCHES, "pytorch")
    # a line of the pytorch branch, a line inserted inside it, and one of the shared method
    change(notebook, 3, "        y = x * 2\n", "        y = x * 4\n        y = y + 1\n")
    change(notebook, 4, "a = 1", "a = 10")
    result = book.save(notebook)
    assert result.code == 0, result.err
    expected = before.replace(
        "            y = x * 2\n", "            y = x * 4\n            y = y + 1\n"
    ).replace("    a = 1\n", "    a = 10\n")
    assert page.read_text("utf-8") == expected
    assert "3 lines written back from 2 cells" in result.out
    # the branches are this framework's: the other notebooks do not change
    assert Code.EDIT_SHARED.id not in result.err


def test_a_line_next_to_a_branch_joins_the_branch(book: EditBook) -> None:
    """Between a pytorch branch and a shared line: the branch keeps the change
    to this framework."""
    page = book.page(BRANCHES)
    before = page.read_text("utf-8")
    notebook = book.edit(BRANCHES, "pytorch")
    change(notebook, 4, "a = 1\n", "a = 1\nc = 0\n")
    assert book.save(notebook).code == 0
    assert page.read_text("utf-8") == before.replace("    a = 1\n", "    a = 1\n    c = 0\n")


def test_shared_lines_and_prose(book: EditBook) -> None:
    page = book.page(BRANCHES)
    before = page.read_text("utf-8")
    notebook = book.edit(BRANCHES, "mxnet")
    found = cells(notebook)
    assert [c["id"] for c in found] == [
        "md-L6", "md-L17", "code-L25", "code-L30", "code-L45", "md-L64", "code-L66",
    ]  # fmt: skip
    change(notebook, 3, "        return 'model'", "        return 'net'")
    change(notebook, 0, "It has two lines.", "It has two lines,\nand now a third.")
    change(notebook, 1, "MXNet-only prose.", "MXNet-only prose, edited.")
    result = book.save(notebook)
    assert result.code == 0, result.err
    expected = (
        before.replace("        return 'model'", "        return 'net'")
        .replace("It has two lines.\n", "It has two lines,\nand now a third.\n")
        .replace("MXNet-only prose.", "MXNet-only prose, edited.")
    )
    assert page.read_text("utf-8") == expected
    # the page has no jax notebook: no cell names jax
    assert result.err == (
        f"chapters/{BRANCHES}:6: info PB410: the changes also reach the pytorch "
        "notebook(s): shared code or prose was edited\n"
    )


def test_translated_page(book: EditBook) -> None:
    page = book.page(TRANSLATED)
    before = page.read_text("utf-8")
    notebook = book.edit(TRANSLATED, "mxnet")
    change(notebook, 0, "Ada dua baris.", "Ada dua baris saja.")
    change(notebook, 2, "        return x * 3", "        return x * 30")
    result = book.save(notebook)
    assert result.code == 0, result.err
    expected = before.replace("Ada dua baris.", "Ada dua baris saja.").replace(
        "            return x * 3\n", "            return x * 30\n"
    )
    assert page.read_text("utf-8") == expected
    assert book.page(BRANCHES).read_text("utf-8").count("return x * 3\n") == 1


def test_legacy_page(book: EditBook) -> None:
    page = book.page(LEGACY)
    before = page.read_text("utf-8")
    notebook = book.edit(LEGACY, "pytorch")
    assert [source(c) for c in cells(notebook)][1:] == [
        "import torch\na = torch.ones(2)",
        "b = a * 2\nprint(b)",
        "Kết thúc.",
    ]
    change(notebook, 1, "a = torch.ones(2)", "a = torch.ones(3)")
    change(notebook, 2, "print(b)", "print(b)\nprint(b.sum())")
    result = book.save(notebook)
    assert result.code == 0, result.err
    expected = before.replace("torch.ones(2)", "torch.ones(3)").replace(
        "print(b)\n", "print(b)\nprint(b.sum())\n"
    )
    assert page.read_text("utf-8") == expected


def test_saving_again_after_a_save(book: EditBook) -> None:
    """Jupyter keeps the notebook it has: a second save of it builds on the first."""
    page = book.page(BRANCHES)
    before = page.read_text("utf-8")
    notebook = book.edit(BRANCHES, "pytorch")
    change(notebook, 0, "Shared prose", "Common prose")
    assert book.save(notebook).code == 0
    change(notebook, 7, "Closing prose.", "Closing words.")
    result = book.save(notebook)
    assert result.code == 0, result.err
    expected = before.replace("Shared prose", "Common prose").replace(
        "Closing prose.", "Closing words."
    )
    assert page.read_text("utf-8") == expected


def test_crlf_page_keeps_its_line_ends(book: EditBook) -> None:
    page = book.page(LEGACY)
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    before = page.read_bytes()
    notebook = book.edit(LEGACY, "mxnet")
    change(notebook, 1, "a = np.ones(2)", "a = np.ones(2)\nc = 0")
    assert book.save(notebook).code == 0
    assert page.read_bytes() == before.replace(b"np.ones(2)\r\n", b"np.ones(2)\r\nc = 0\r\n")


def test_outputs_from_the_cache(book: EditBook) -> None:
    from polybook.edit.notebook import PageRef, split_notebooks, with_cached_outputs
    from polybook.execute.cache import Cache, Entry
    from polybook.source.book import Book

    opened = Book.open(book.root)
    ref = PageRef("vi", "chap/legacy.md")
    split = split_notebooks(opened, ref, book.page(LEGACY).read_bytes())["pytorch"]
    _, note = with_cached_outputs(opened, ref, split)
    assert note == "no outputs: the cache holds no run of this code (polybook execute)"
    # the run the executor would store for this code (English and Vietnamese share it)
    from polybook.execute.envs import resolve_env
    from polybook.execute.libdeps import load_index
    from polybook.execute.plan import library_file, make_item

    cache = Cache(opened.layout.cache)
    fingerprint = resolve_env("pytorch", opened.root / "_envs").fingerprint()
    library = load_index(library_file(opened, "pytorch"), "d2l", cache.root)
    item = make_item(
        opened, "vi", "pytorch", ref.rel, split, "", Path("x"), fingerprint, library, None
    )
    stream = {"output_type": "stream", "name": "stdout", "text": "tensor([2., 2.])\n"}
    runs = [{"outputs": [], "execution_count": 1}, {"outputs": [stream], "execution_count": 2}]
    cache.store(Entry(item.key, "pytorch", ref.rel, "en", 1.0, runs))
    notebook = book.edit(LEGACY, "pytorch")
    found = cells(notebook)
    assert [c.get("outputs") for c in found] == [None, [], [stream], None]
    assert [c.get("execution_count") for c in found] == [None, 1, 2, None]
    shown = book.run("edit", f"chapters/{LEGACY}", "--framework", "pytorch").out
    assert shown.endswith(f"; outputs from the execution cache (key {item.key[:12]}, en run)\n")
    # without --framework: the language's default tab (mxnet for Vietnamese)
    assert "(vi, mxnet)" in book.run("edit", f"chapters/{LEGACY}").out
