"""`polybook lib`: writing, --check (writes nothing, exit 1 when stale), --parity."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from polybook.cli import main
from polybook.library.model import GeneratedFile
from polybook.library.writer import diff
from tests.library.util import D2LBOOK, SAVEBOOK, copy_book, d2lbook_input, snapshot


def test_check_reports_stale_files_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = d2lbook_input(tmp_path)
    before = snapshot(root / "d2l")
    assert main(["--book", str(root), "lib", "--check"]) == 1
    out = capsys.readouterr().out
    assert "d2l/torch.py: +" in out and "d2l/mxnet.py (missing)" in out
    assert '-__version__ = "0.0.0"' in out and '+__version__ = "1.2.3"' in out
    assert "3 of 3 files out of date" in out
    assert snapshot(root / "d2l") == before


def test_lib_then_check_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = d2lbook_input(tmp_path)
    assert main(["--book", str(root), "lib"]) == 0
    assert "3 files written, 0 unchanged" in capsys.readouterr().out
    assert main(["--book", str(root), "lib", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    # the committed golden is what the sources generate
    assert main(["--book", str(copy_book(D2LBOOK, tmp_path / "golden")), "lib", "--check"]) == 0


def test_check_in_clean_mode_compares_with_clean_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    assert main(["--book", str(root), "lib", "--clean"]) == 0
    capsys.readouterr()
    assert main(["--book", str(root), "lib", "--clean", "--check"]) == 0
    assert main(["--book", str(root), "lib", "--check"]) == 1
    assert "\n-#    polybook lib\n+#    d2lbook build lib\n" in capsys.readouterr().out


def test_parity_lists_which_modules_define_each_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_book(SAVEBOOK, tmp_path)
    before = snapshot(root / "d2l")
    assert main(["--book", str(root), "lib", "--parity"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["name", "pytorch", "mxnet", "jax"]
    rows = {line.split()[0]: line.split()[1:] for line in out[2:-1]}
    assert rows["jax_only"] == [".", ".", "x"]
    assert rows["cpu"] == ["x", "x", "."]
    assert rows["HyperParameters.save_hyperparameters"] == ["x", "x", "x"]
    assert rows["Module.loss"] == ["x", "x", "."]
    assert rows["clip"] == ["x", ".", "."]
    assert out[-1].endswith("in every module")
    assert snapshot(root / "d2l") == before


def test_check_and_parity_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--book", str(SAVEBOOK), "lib", "--check", "--parity"])


@pytest.mark.parametrize("text", ["", "x = 1", "x = 1\n", "a\nb\n", "a\n\nb", "\n"])
def test_a_missing_files_diff_is_difflibs(tmp_path: Path, text: str) -> None:
    """A file that does not exist yet is all added lines, written without
    difflib's matcher: the same lines difflib writes."""
    file = GeneratedFile(tmp_path / "d2l" / "torch.py", text, None)
    expected = [
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in difflib.unified_diff(
            [], text.splitlines(keepends=True), "d2l/torch.py (missing)", "d2l/torch.py (generated)"
        )
    ]
    assert diff(file, tmp_path) == expected
    assert bool(expected) == bool(text)
