"""The book repository's CI recipe runs the quick checks on pull requests, not
only notebook execution (issue 12): lint, types, the committed library, check
and the tests not marked slow."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "book.yml"


def _workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _commands(job: dict[str, Any]) -> list[str]:
    return [str(step["run"]) for step in job["steps"] if "run" in step]


def test_pull_requests_run_lint_types_and_the_fast_tests() -> None:
    data = _workflow()
    triggers = data[True]  # YAML 1.1 reads the key `on` as a boolean
    assert "pull_request" in triggers and "push" in triggers
    commands = _commands(data["jobs"]["checks"])
    assert "make lint" in commands
    assert "make typecheck" in commands
    assert "make lib-check" in commands
    assert any(".venv/bin/polybook check --lang" in c for c in commands)
    assert '.venv/bin/python -m pytest -m "not slow" -q' in commands
    # a notebook run is not what this job does
    assert not any("make notebooks" in c for c in commands)


def test_every_make_target_the_workflow_runs_exists() -> None:
    makefile = (REPO / "Makefile").read_text("utf-8")
    defined = set(re.findall(r"^([\w-]+):", makefile, flags=re.M))
    for fragment in (REPO / "tools" / "make").glob("*.mk"):
        defined |= set(re.findall(r"^([\w-]+):", fragment.read_text("utf-8"), flags=re.M))
    used = {
        target
        for job in _workflow()["jobs"].values()
        for command in _commands(job)
        for target in re.findall(r"\bmake ([\w-]+)", command)
    }
    assert used >= {"venv", "lint", "typecheck", "lib-check", "notebooks"}
    assert used <= defined, used - defined
