"""The dialect's grammar is defined once (`source/grammar.py`)."""

from __future__ import annotations

import re
from pathlib import Path

from polybook.source import grammar

PACKAGE = Path(grammar.__file__).resolve().parents[1]


def _sources() -> dict[str, str]:
    return {p.relative_to(PACKAGE).as_posix(): p.read_text("utf-8") for p in PACKAGE.rglob("*.py")}


def test_the_fence_and_role_patterns_are_spelled_only_in_the_grammar() -> None:
    fence = re.escape(r"`{3,}")
    role = re.escape(r":(?P<kind>")
    for name, text in _sources().items():
        if name == "source/grammar.py":
            assert len(re.findall(fence, text)) == 1
            assert len(re.findall(role, text)) == 1
            continue
        assert not re.search(fence, text), name
        assert not re.search(role, text), name
        assert ":begin_tab:`(" not in text and "%%tab|#@tab" not in text, name


def test_role_named_matches_only_its_kinds() -> None:
    pattern = grammar.role_named("label", "width")
    assert [
        m.group("kind", "v") for m in pattern.finditer(":label:`a` :eqlabel:`b` :width:`3`")
    ] == [
        ("label", "a"),
        ("width", "3"),
    ]
    begin = grammar.BEGIN_TAB.match(":begin_tab:`pytorch, jax`")
    assert begin is not None and begin.group("v") == "pytorch, jax"
