"""Sphinx warnings -> diagnostics at book positions (warnings.py)."""

from __future__ import annotations

from pathlib import Path

from polybook.diagnostics import Code
from polybook.render.warnings import (
    Locator,
    SphinxWarning,
    WarningCache,
    classify,
    parse,
    to_diagnostics,
)


def test_parse_locations_types_and_continuations(tmp_path: Path) -> None:
    src = tmp_path / "src"
    text = (
        f"{src}/chap/a.ipynb:12: WARNING: undefined label: 'sec_x' [ref.numref]\n"
        f"{src}/chap/b.ipynb: WARNING: document isn't included in any toctree [toc.not_included]\n"
        "WARNING: something global\n"
        "  with a second line\n"
    )
    got = parse(text, src)
    assert got == [
        SphinxWarning("chap/a", 12, "WARNING", "undefined label: 'sec_x'", "ref.numref"),
        SphinxWarning(
            "chap/b", None, "WARNING", "document isn't included in any toctree", "toc.not_included"
        ),
        SphinxWarning(None, None, "WARNING", "something global with a second line", None),
    ]


def test_classify() -> None:
    def code(message: str, kind: str | None) -> tuple[Code, str | None]:
        return classify(SphinxWarning("d", 1, "WARNING", message, kind))

    assert code("undefined label: 'x'", "ref.numref") == (Code.RENDER_UNRESOLVED_REFERENCE, "x")
    assert code('could not find bibtex key "K"', "bibtex.key_not_found") == (
        Code.RENDER_UNRESOLVED_CITATION,
        "K",
    )
    assert code("image file not readable: img/a.svg", "image.not_readable") == (
        Code.RENDER_MISSING_IMAGE,
        "img/a.svg",
    )
    assert code("Unknown directive type: 'x'", "myst.directive_unknown")[0] is Code.RENDER_WARNING


def test_locator_maps_every_generated_line_to_its_book_line() -> None:
    locator = Locator({"p": ("chapters/en/p.md", [1, 3, 4])})
    # Sphinx reports virtual line v as v + 1 (see warnings._MYST_OFFSET)
    assert locator.locate("p", 3) == ("chapters/en/p.md", 3)
    assert locator.locate("p", 4) == ("chapters/en/p.md", 4)
    assert locator.locate("p", 99) == ("chapters/en/p.md", 4)
    assert locator.locate("other", 7) == ("other", 7)
    warnings = [
        SphinxWarning("p", 4, "WARNING", "undefined label: 'sec_gone'", "ref.numref"),
        SphinxWarning("p", 4, "WARNING", "undefined label: 'sec_gone'", "ref.numref"),
    ]
    diagnostics = to_diagnostics(warnings, locator, "en", "jax")
    assert [(d.file, d.line, d.message) for d in diagnostics] == [
        ("chapters/en/p.md", 4, "undefined label: 'sec_gone' (en, jax)")
    ]


def test_cache_keeps_warnings_of_untouched_pages(tmp_path: Path) -> None:
    path = tmp_path / "warnings.json"
    a = SphinxWarning("a", 1, "WARNING", "undefined label: 'x'", "ref.numref")
    b = SphinxWarning("b", 1, "WARNING", "undefined label: 'y'", "ref.numref")
    cache = WarningCache.load(path)
    cache.update("write", {"a", "b"}, [a, b], {"a", "b"})
    cache.save(path)
    again = WarningCache.load(path)
    loose = again.update("write", {"a"}, [], {"a", "b"})
    assert loose == [] and again.all() == [b]
    again.update("write", set(), [b], {"a", "b"})
    assert again.all() == [b]
    again.update("read", set(), [], {"a"})
    assert again.all() == []


def test_render_codes_are_unique_in_the_catalogue() -> None:
    ids = [code.id for code in Code]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
