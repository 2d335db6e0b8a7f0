"""Explanations and costs without kernels: the diffs, the library sites, the
reports and the GitHub step summary."""

from __future__ import annotations

from pathlib import Path

from polybook.execute.basis import Basis
from polybook.execute.cache import Cache, Entry
from polybook.execute.cost import cost_json, step_summary
from polybook.execute.envs import EnvManifest, env_manifest, parse_distribution
from polybook.execute.explain import Library, code_changes, environment_changes, library_changes
from polybook.execute.keys import KeyParts, code_parts
from polybook.execute.libdeps import analyze
from polybook.execute.model import (
    Change,
    ExecuteSummary,
    NotebookReport,
    Origin,
    Reason,
    ReasonKind,
    Status,
)
from polybook.execute.report import to_junit
from polybook.library.model import SavedBlock
from polybook.library.sites import definition_sites
from polybook.split.model import Cell, CellKind


def _cell(source: str, fence: int) -> Cell:
    count = source.count("\n") + 1
    return Cell(CellKind.CODE, source, fence, tuple(range(fence + 1, fence + 1 + count)))


def test_code_changes_name_cells_and_lines_through_the_map() -> None:
    old = [_cell("a = 1", 3), _cell("b = 2\nc = 3", 7), _cell("d = 4", 12)]
    # the middle cell's second line edited, the last cell removed, a cell added
    new = [_cell("a = 1", 3), _cell("b = 2\nc = 30", 7), _cell("e = 5", 20)]
    changes = code_changes(code_parts(old), new, "p.md")
    assert changes == (
        Change("cell", "p.md", 7, lines=(9,), state="changed"),
        Change("cell", "p.md", 20, lines=(21,), state="changed"),
    )
    # a removal is placed at the cell now after it
    assert code_changes(code_parts(old), [old[0], old[2]], "p.md") == (
        Change("cell", "p.md", 12, state="removed"),
    )
    assert code_changes(code_parts(old), old[:2], "p.md") == (Change("cell", state="removed"),)
    # comments are not code
    assert code_changes(code_parts(old), [_cell("a = 1  # note", 3), *old[1:]], "p.md") == ()


def test_environment_changes_name_packages_python_and_kernel() -> None:
    old = EnvManifest("3.11", ("numpy-1.26.0.dist-info", "torch-2.12.0.dist-info"), "{}")
    new = EnvManifest("3.12", ("scipy-1.0.egg-info", "torch-2.13.0.dist-info"), '{"a": 1}')
    changes, note = environment_changes(old, new)
    assert note == ""
    assert [c.describe() for c in changes] == [
        "python 3.11 \u2192 3.12",
        "numpy 1.26.0 removed",
        "scipy 1.0 added",
        "torch 2.12.0 \u2192 2.13.0",
        "kernel spec changed",
    ]
    assert environment_changes(None, new) == ((), "the previous package list is not known")
    assert parse_distribution("typing_extensions-4.9.0.dist-info") == (
        "typing-extensions",
        "4.9.0",
    )
    assert parse_distribution("foo-1.0-py3.11.egg-info") == ("foo", "1.0")


def test_manifest_fingerprint_and_round_trip(tmp_path: Path) -> None:
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    (site / "Torch-2.12.0.dist-info").mkdir(parents=True)
    manifest = env_manifest(tmp_path, "pytorch")
    assert manifest.packages() == {"torch": "2.12.0"}
    assert EnvManifest.from_json(manifest.to_json()) == manifest


LIB_OLD = """\
class Trainer:
    def fit(self):
        return 1

    def plot(self):
        return 2


def helper():
    return 3
"""
LIB_NEW = LIB_OLD.replace("return 2", "return 22").replace("return 3", "return 33")


def test_library_changes_name_methods_and_places() -> None:
    old_index, new_index = analyze(LIB_OLD, "d2l"), analyze(LIB_NEW, "d2l")
    used = {"Trainer", "helper"}
    old_basis = Basis(
        KeyParts(
            "p.md", "pytorch", (), "", tuple(sorted(old_index.closure(used).items())), (), 0, False
        ),
        None,
        tuple(old_index.member_hashes(["Trainer"]).items()),
    )
    sites = {"helper": ("chapters/en/s.md", 40)}
    library = Library(new_index, "d2l", lambda name: sites.get(name))
    changes = library_changes(old_basis, tuple(sorted(new_index.closure(used).items())), library)
    assert [c.describe() for c in changes] == [
        "d2l.Trainer.plot changed",
        "d2l.helper changed (chapters/en/s.md:40)",
    ]
    assert new_index.lines["Trainer.plot"] == 5 and new_index.lines["helper"] == 9


def test_definition_sites_follow_the_blocks_line_maps() -> None:
    blocks = [
        SavedBlock("class C:\n    def m(self):\n        pass", "", "a.md", 10, (10, 11, 12)),
        SavedBlock(
            "@d2l.add_to_class(C)\ndef n(self):\n    pass\nX = 1", "", "b.md", 30, (30, 31, 32, 34)
        ),
        SavedBlock("def f(:", "", "c.md", 50, (50,)),  # does not parse: skipped
        SavedBlock("def m2():\n    pass", "", "c.md", 60, (61, 62)),
    ]
    sites = definition_sites(blocks, "d2l")
    assert sites == {
        "C": ("a.md", 10),
        "C.m": ("a.md", 11),
        "C.n": ("b.md", 30),
        "X": ("b.md", 34),
        "m2": ("c.md", 61),
    }


def test_entry_keeps_its_basis(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    parts = KeyParts("p.md", "pytorch", (("x = 1", False),), "e", (("f", "h"),), (), 1, False)
    manifest = EnvManifest("3.11", ("torch-2.12.0.dist-info",), "")
    basis = Basis(parts, manifest, (("C.m", "h2"),))
    cache.store(Entry(parts.key(), "pytorch", "p.md", "en", 1.5, [], "e", "", basis, 0.75))
    entry = cache.lookup(parts.key())
    assert entry is not None and entry.basis == basis and entry.cpu_seconds == 0.75


def _reports() -> list[NotebookReport]:
    why = (Reason(ReasonKind.ENVIRONMENT, (Change("torch", old="2.12.0", new="2.13.0"),)),)
    return [
        NotebookReport(
            "en", "pytorch", "a.md", "chapters/en/a.md", Status.EXECUTED, 600, "k1",
            reasons=why, cpu_seconds=500, gpus=2,
        ),
        NotebookReport(
            "en", "jax", "a.md", "chapters/en/a.md", Status.EXECUTED, 240, "k2",
            reasons=why, cpu_seconds=100,
        ),
        NotebookReport(
            "id", "pytorch", "a.md", "chapters/id/a.md", Status.CACHED, 0, "k1",
            origin=Origin.CACHE, source_lang="en", saved_seconds=600,
        ),
        NotebookReport(
            "en", "pytorch", "b.md", "chapters/en/b.md", Status.CACHED, 0, "k3",
            origin=Origin.UP_TO_DATE, saved_seconds=30,
        ),
    ]  # fmt: skip


def test_cost_totals_per_framework_and_language() -> None:
    data = cost_json(ExecuteSummary(_reports(), seconds=850))
    total = data["total"]
    assert isinstance(total, dict)
    assert total["wall_seconds"] == 840 and total["cpu_seconds"] == 600
    assert total["gpu_seconds"] == 1200
    assert total["from_cache"] == 1 and total["shared_translations"] == 1
    assert total["saved_seconds"] == 630
    frameworks = data["frameworks"]
    assert isinstance(frameworks, dict)
    assert frameworks["jax"]["executed"] == 1 and frameworks["jax"]["gpu_seconds"] == 0
    languages = data["languages"]
    assert isinstance(languages, dict)
    assert languages["id"]["shared_translations"] == 1 and languages["id"]["executed"] == 0


def test_step_summary_says_why_and_what_it_cost() -> None:
    text = step_summary(ExecuteSummary(_reports(), seconds=850), "polybook execute en")
    lines = text.splitlines()
    assert lines[0] == "### polybook execute en"
    assert lines[2] == (
        "2 notebooks ran: 2 because environment changed (torch); 14 min (10 min CPU, 1200 GPU-s)."
    )
    assert lines[3] == (
        "1 served by the cache (~10 min saved); 1 translations reused another language's outputs."
    )
    assert "- `en/pytorch a.md`: environment changed: torch 2.12.0 \u2192 2.13.0" in lines
    assert ExecuteSummary([], dry_run=True).counts() == {"cached": 0, "would-run": 0}


def test_junit_suites_carry_their_totals() -> None:
    suites = to_junit(ExecuteSummary(_reports(), seconds=850))
    found = {
        str(suite.get("name")): {
            p.get("name"): p.get("value") for p in suite.findall("properties/property")
        }
        for suite in suites.findall("testsuite")
    }
    assert sorted(found) == ["en.jax", "en.pytorch", "id.pytorch"]
    pytorch = found["en.pytorch"]
    assert pytorch["polybook.total.notebooks"] == "2"
    assert pytorch["polybook.total.executed"] == "1"
    assert pytorch["polybook.total.wall_seconds"] == "600.0"
    assert pytorch["polybook.total.cpu_seconds"] == "500.0"
    assert pytorch["polybook.total.gpu_seconds"] == "1200.0"
    assert pytorch["polybook.total.from_cache"] == "1"
    assert pytorch["polybook.total.saved_seconds"] == "30.0"
    assert found["id.pytorch"]["polybook.total.shared_translations"] == "1"
    assert found["id.pytorch"]["polybook.total.saved_seconds"] == "600.0"
