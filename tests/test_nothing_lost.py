"""Nothing lost (issue 12): no command changes, adds or removes a file of the
book outside `_build/` (and, for `lib`, outside the library folder `d2l/`).

Every file under the book root is checksummed (its bytes, or a link's target,
and its mode) before and after each command; the two must be equal outside
the folders the command may write. The commands run on a small book whose
pages use the whole dialect (code per framework, `#@save`, an image, a
citation, a bibliography page, a non-page file, a hidden file and a link
inside the book), and each must succeed, so that it really did its work.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from polybook.cli import main

FAULTBOOK = Path(__file__).resolve().parent / "fixtures" / "faultbook"
LIBRARY = "d2l"

PAGE = """\
# A Clean Page
:label:`sec_clean`

Prose that cites :cite:`LeCun.Bottou.Bengio.ea.1998`, shows a figure and
says <eos> in passing (:numref:`fig_arrow`).

![An arrow](../../../img/arrow.svg)
:label:`fig_arrow`

```{.python .input}
%%tab all
def double(x):  #@save
    \"\"\"Twice `x`.\"\"\"
    return 2 * x
```

```{.python .input}
%%tab pytorch
print("pytorch", double(21))
```

```{.python .input}
%%tab jax
print("jax", double(21))
```

:begin_tab:`pytorch`
PyTorch prose.
:end_tab:
"""

REFERENCES = "# References\n\n:bibliography:`../../references.bib`\n"
INDEX = "# Fault Book\n\n```toc\n:maxdepth: 2\n\nchap/index\nreferences\n```\n"


def make_book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(FAULTBOOK, root)
    chapters = root / "chapters" / "en"
    (chapters / "chap" / "faults.md").write_text(PAGE, "utf-8")
    (chapters / "references.md").write_text(REFERENCES, "utf-8")
    (chapters / "index.md").write_text(INDEX, "utf-8")
    (root / "notes.txt").write_text("not a page\n", "utf-8")
    (root / ".hidden").write_bytes(b"\x00\xff hidden bytes")
    (chapters / "chap" / "data.bin").write_bytes(bytes(range(256)))
    os.symlink("../img/arrow.svg", root / "img" / "same-arrow.svg")
    return root


Snapshot = dict[str, tuple[str, int]]


def snapshot(root: Path) -> Snapshot:
    """Every file under `root` (links not followed): path -> (sha256 of its
    bytes, or of a link's target; its mode)."""
    found: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        for name in sorted(files + [d for d in dirs if Path(folder, d).is_symlink()]):
            path = Path(folder, name)
            info = path.lstat()
            data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            found[path.relative_to(root).as_posix()] = (
                hashlib.sha256(data).hexdigest(),
                info.st_mode,
            )
    return found


def outside(files: Snapshot, *written: str) -> Snapshot:
    """The files outside the folders a command may write."""
    return {
        rel: value
        for rel, value in files.items()
        if not any(rel == w or rel.startswith(w + "/") for w in written)
    }


def run(root: Path, *argv: str, may_write: tuple[str, ...] = ("_build",)) -> int:
    """Run one command; assert nothing changed outside `may_write`."""
    before = snapshot(root)
    code = main(["--book", str(root), *argv])
    after = snapshot(root)
    lost = outside(before, *may_write)
    now = outside(after, *may_write)
    changed = sorted(rel for rel in lost.keys() & now.keys() if lost[rel] != now[rel])
    assert (sorted(lost.keys() - now.keys()), sorted(now.keys() - lost.keys()), changed) == (
        [],
        [],
        [],
    ), argv
    return code


def test_the_snapshot_sees_every_kind_of_change(tmp_path: Path) -> None:
    root = make_book(tmp_path)
    before = snapshot(root)
    assert {"notes.txt", ".hidden", "img/same-arrow.svg", "chapters/en/chap/data.bin"} <= set(
        before
    )
    edits: list[Callable[[], object]] = [
        lambda: (root / "notes.txt").write_text("changed\n", "utf-8"),
        lambda: (root / "img" / "same-arrow.svg").unlink(),
        lambda: (root / "new.md").write_text("# New\n", "utf-8"),
        lambda: (root / ".hidden").chmod(0o600),
    ]
    for edit in edits:
        edit()
        after = snapshot(root)
        assert after != before
        before = after
    assert outside({"_build/x": ("a", 1), "d2l/y": ("b", 1), "z": ("c", 1)}, "_build", "d2l") == {
        "z": ("c", 1)
    }


def test_check_split_and_lib_change_nothing_outside_their_outputs(tmp_path: Path) -> None:
    root = make_book(tmp_path)
    assert run(root, "check") == 0
    assert run(root, "split") == 0
    assert run(root, "split", "--framework", "jax") == 0
    assert run(root, "lib", "--check") == 1  # the committed library lacks the saved code
    assert run(root, "lib", may_write=("_build", LIBRARY)) == 0
    assert (root / LIBRARY / "torch.py").is_file()
    assert run(root, "lib", "--check") == 0
    assert run(root, "check", "--format", "json") == 0


@pytest.fixture(scope="module")
def envs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.execute.tinyenv import make_tiny_env

    root = tmp_path_factory.mktemp("envs")
    for framework in ("pytorch", "jax"):
        make_tiny_env(root / framework, framework)
    return root


@pytest.mark.slow
def test_execute_and_the_builds_change_nothing_outside_build(tmp_path: Path, envs: Path) -> None:
    from tests.render.pdf.poppler import require_tex

    root = make_book(tmp_path)
    assert run(root, "lib", may_write=("_build", LIBRARY)) == 0
    execute = ("execute", "--framework", "all", "--env-dir", str(envs))
    assert run(root, *execute) == 0
    assert run(root, *execute) == 0  # from the cache
    assert run(root, "build", "html", "--framework", "pytorch") == 0
    assert run(root, "build", "html", "--framework", "all") == 0
    assert (root / "_build" / "html" / "en" / "all" / "chap" / "faults.html").is_file()
    require_tex()
    assert run(root, "build", "pdf", "--framework", "pytorch") == 0
    assert list((root / "_build" / "pdf" / "en" / "pytorch").glob("*.pdf"))
