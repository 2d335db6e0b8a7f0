"""Path patterns with `glob.glob(root/pattern, recursive=True)`'s meaning (d2lbook's lists)."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from polybook.globs import PathPatterns, has_magic

FILES = [
    "index.md",
    "README.md",
    "chapter_a/index.md",
    "chapter_a/page.md",
    "chapter_a/deep/page.md",
    "contrib/notes.md",
    "contrib/sub/more.md",
    "img/README.md",
    "img/nested/fig.md",
]


@pytest.mark.parametrize(
    "patterns",
    [
        ("*.md",),
        ("*/*.md",),
        ("*.md", "*/*.md"),
        ("**/*.md",),
        ("chapter_a/**",),
        ("contrib/*md",),
        ("img/",),
        ("img",),
        ("chapter_?/*.md",),
        ("[ci]*/*.md",),
        ("./index.md",),
    ],
)
def test_patterns_match_what_glob_finds(tmp_path: Path, patterns: tuple[str, ...]) -> None:
    for rel in FILES:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", "utf-8")
    expected: set[str] = set()
    for pattern in patterns:  # d2lbook's find_files: a folder stands for all below it
        spec = tmp_path / pattern
        found = glob.glob(str(spec / "**" if spec.is_dir() else spec), recursive=True)
        expected |= {Path(f).relative_to(tmp_path).as_posix() for f in found if Path(f).is_file()}
    assert set(PathPatterns(patterns, tmp_path).select(FILES)) == expected


def test_plain_names_and_wildcards() -> None:
    assert PathPatterns(("*.md", "*/*.md")).select(FILES) == [
        "index.md",
        "README.md",
        "chapter_a/index.md",
        "chapter_a/page.md",
        "contrib/notes.md",
        "img/README.md",
    ]
    assert not PathPatterns(()).matches("index.md")
    assert PathPatterns(("img/",)).matches("img/nested/fig.md")  # a folder, without the tree
    assert (has_magic("*.md"), has_magic("static/d2l.css")) == (True, False)
