"""Unit tests without kernels: library closures, keys, settings, reports."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from polybook.config.model import ExecuteConfig, PageExecuteConfig
from polybook.execute.cache import Cache, Entry
from polybook.execute.envs import env_fingerprint, kernel_environ
from polybook.execute.libdeps import BODY, WHOLE, analyze, load_index, used_names
from polybook.execute.model import (
    ExecuteSummary,
    Failure,
    FailureKind,
    NotebookReport,
    Status,
)
from polybook.execute.progress import PlainReporter, RichReporter
from polybook.execute.report import to_json, to_junit
from polybook.execute.settings import allows_error, page_settings

LIB = '''\
import torch
from torch import nn

d2l = __import__("sys").modules[__name__]


def a():
    return 1


def b():
    """Calls a."""
    return a() + 1


class C(d2l.Module if False else object):
    def m(self):
        return d2l.b()


ones = torch.ones
print("module body")
'''


def test_closure_follows_names_and_d2l_attributes() -> None:
    index = analyze(LIB, "d2l")
    assert set(index.closure({"a"})) == {"a", BODY}
    assert set(index.closure({"C"})) == {"C", "b", "a", "d2l", BODY}
    assert set(index.closure({"ones"})) == {"ones", "torch", BODY}
    assert index.closure(set()) == {}
    assert index.closure({"not_in_library"}) == {}
    assert set(index.closure(None)) == {WHOLE}


def test_formatting_and_comments_do_not_change_hashes() -> None:
    index = analyze(LIB, "d2l")
    reformatted = analyze(LIB.replace("return 1", "return 1  # one").replace("\n\n\n", "\n"), "d2l")
    assert index.closure({"C"}) == reformatted.closure({"C"})
    changed = analyze(LIB.replace("return 1", "return 2"), "d2l")
    assert changed.closure({"b"})["a"] != index.closure({"b"})["a"]
    assert changed.closure({"ones"}) == index.closure({"ones"})


def test_used_names() -> None:
    code = "from d2l import torch as d2l\nnet = d2l.LeNet()\nd2l . plot(x)\n"
    assert used_names(code, "d2l") == {"LeNet", "plot"}
    assert used_names("from d2l.torch import train, plot as p\n", "d2l") == {"train", "plot"}
    assert used_names("from d2l import torch as d2l\nf(d2l)\n", "d2l") is None
    assert used_names("import d2l.torch as d2l\nd2l.x\n", "d2l") == {"x"}
    assert used_names("print(1)", "d2l") == set()


def test_library_index_is_memoised(tmp_path: Path) -> None:
    lib = tmp_path / "torch.py"
    lib.write_text(LIB)
    first = load_index(lib, "d2l", tmp_path / "cache")
    assert list((tmp_path / "cache" / "lib").glob("*.json"))
    assert load_index(lib, "d2l", tmp_path / "cache") == first
    assert load_index(tmp_path / "missing.py", "d2l").closure({"a"}) == {}
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n")
    assert load_index(broken, "d2l").closure({"anything"}) == {}
    assert load_index(broken, "d2l").closure(None) != {}


def test_page_settings_merge_in_order() -> None:
    config = ExecuteConfig(
        cell_timeout=10,
        notebook_timeout=100,
        pages={
            "chapter_cv/*.md": PageExecuteConfig(gpus=2, notebook_timeout=500),
            "chapter_cv/big.md": PageExecuteConfig(gpus=4),
        },
    )
    assert page_settings(config, "chapter_cv/big.md").gpus == 4
    assert page_settings(config, "chapter_cv/big.md").notebook_timeout == 500
    assert page_settings(config, "chapter_cv/small.md").gpus == 2
    assert page_settings(config, "other.md").gpus == 0
    assert page_settings(config, "other.md").cell_timeout == 10


def test_allow_error_directives() -> None:
    assert allows_error("x = 1\n# polybook: allow-error\n1/0")
    assert not allows_error("1/0  # polybook: allow-error is only a whole-line comment")


def test_kernel_environment() -> None:
    cpu = kernel_environ([], ("/book",), base={"PATH": "/bin", "JPY_PARENT_PID": "1"})
    assert cpu["CUDA_VISIBLE_DEVICES"] == "" and cpu["JAX_PLATFORMS"] == "cpu"
    assert cpu["TF_CPP_MIN_LOG_LEVEL"] == "2" and cpu["PYTHONPATH"] == "/book"
    assert "JPY_PARENT_PID" not in cpu
    gpu = kernel_environ(["1", "2"], base={"JAX_PLATFORMS": "cpu"})
    assert gpu["CUDA_VISIBLE_DEVICES"] == "1,2" and "JAX_PLATFORMS" not in gpu


def test_env_fingerprint_ignores_paths(tmp_path: Path) -> None:
    for name in ("one", "two"):
        site = tmp_path / name / "lib" / "python3.11" / "site-packages"
        (site / "torch-2.0.dist-info").mkdir(parents=True)
        (tmp_path / name / "pyvenv.cfg").write_text("version = 3.11.9\n")
    assert env_fingerprint(tmp_path / "one", "pytorch") == env_fingerprint(
        tmp_path / "two", "pytorch"
    )
    site = tmp_path / "two" / "lib" / "python3.11" / "site-packages"
    (site / "torch-2.0.dist-info").rename(site / "torch-2.1.dist-info")
    assert env_fingerprint(tmp_path / "one", "pytorch") != env_fingerprint(
        tmp_path / "two", "pytorch"
    )


def test_cache_entries_roundtrip_and_detect_corruption(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = "ab" * 32
    cache.store(Entry(key, "pytorch", "p.md", "en", 1.5, [{"outputs": [], "execution_count": 1}]))
    entry = cache.lookup(key)
    assert entry is not None and entry.seconds == 1.5
    path = cache.object_path(key)
    path.write_bytes(path.read_bytes()[:-3])
    assert cache.lookup(key) is None and cache.corrupt == [key]
    assert cache.lookup(key, remove_corrupt=True) is None and not path.exists()
    cache.set_record("en", "pytorch", "p.md", key, 2.0)
    assert cache.duration("en", "pytorch", "p.md") == 2.0
    assert cache.duration("id", "pytorch", "p.md") == 2.0  # another language's record
    assert cache.duration("en", "jax", "p.md") is None


def _summary() -> ExecuteSummary:
    failure = Failure(FailureKind.CELL_TIMEOUT, "cell timed out after 2s", "chapters/en/a.md", 7)
    return ExecuteSummary(
        [
            NotebookReport(
                "en", "pytorch", "a.md", "chapters/en/a.md", Status.FAILED, 2, "k1", failure
            ),
            NotebookReport("en", "jax", "a.md", "chapters/en/a.md", Status.CACHED, 0, "k2"),
            NotebookReport("en", "jax", "b.md", "chapters/en/b.md", Status.EXECUTED, 1, "k3"),
        ],
        seconds=3.0,
    )


def test_reports() -> None:
    summary = _summary()
    data = to_json(summary)
    assert data["counts"] == {"executed": 1, "cached": 1, "failed": 1}
    assert data["ok"] is False
    root = to_junit(summary)
    assert root.get("tests") == "3" and root.get("failures") == "1"
    xml = ET.tostring(root, encoding="unicode")
    assert "chapters/en/a.md:7: error [en/pytorch] cell-timeout" in xml


def test_progress_displays() -> None:
    out, err = io.StringIO(), io.StringIO()
    plain = PlainReporter(out, err)
    summary = _summary()
    plain.begin(3, 2, 20.0)
    for report in summary.reports:
        plain.finished(report, 1.0, True)
    plain.end(summary)
    assert "[FAILED] en/pytorch a.md" in out.getvalue()
    assert "chapters/en/a.md:7" in err.getvalue()
    assert "1 executed, 1 cached, 1 failed" in out.getvalue()
    rich = RichReporter(2)
    rich.console.file = io.StringIO()
    rich.progress.console.file = rich.console.file
    rich.begin(3, 2, 20.0)
    rich.started("en/jax/b.md")
    for report in summary.reports:
        rich.finished(report, 1.0, True)
    rich.end(summary)
    assert "1 executed, 1 cached, 1 failed" in rich.console.file.getvalue()


@pytest.mark.parametrize("value", ["chapter_cnn/lenet", "chapters/en/chapter_cnn/lenet.md"])
def test_page_patterns(value: str, tmp_path: Path) -> None:
    from polybook.execute.plan import page_matcher
    from tests.execute.conftest import TinyBook

    tiny = TinyBook(tmp_path, tmp_path)
    tiny.configure()
    from polybook.source.book import Book

    assert page_matcher(Book.open(tmp_path), "en", [value]) == ["chapter_cnn/lenet.md"]


def test_semantic_source_ignores_comments_only() -> None:
    from polybook.execute.keys import semantic_source

    en = "x = 1  # the answer\n# a note\nprint('#not a comment', x)\n%matplotlib inline"
    vi = "x = 1  # câu trả lời\n# ghi chú\nprint('#not a comment', x)\n%matplotlib inline"
    assert semantic_source(en) == semantic_source(vi)
    assert semantic_source(en) == "x = 1\nprint('#not a comment', x)\n%matplotlib inline"
    assert semantic_source("print('a')") != semantic_source("print('b')")
