"""Citations as readers read them: "(Author et al., 2019)" from the bibliography."""

from __future__ import annotations

from pathlib import Path


def citation_texts(path: Path | None, and_two: str) -> dict[str, str]:
    """BibTeX key -> "Authors|year" ("Kingma and Ba|2015", "Paszke et al.|2019");
    empty when there is no bibliography or it cannot be read (each citation is
    then reported as unknown)."""
    if path is None or not path.is_file():
        return {}
    from pybtex.database import parse_file  # type: ignore[import-untyped]
    from pybtex.richtext import Text  # type: ignore[import-untyped]
    from pybtex.scanner import PybtexError  # type: ignore[import-untyped]

    try:
        data = parse_file(str(path), bib_format="bibtex")
    except (PybtexError, OSError, UnicodeDecodeError):
        return {}
    out: dict[str, str] = {}
    for key, entry in data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [Text.from_latex(" ".join(p.last_names)).render_as("text") for p in people]
        if not names:
            authors = Text.from_latex(entry.fields.get("title", key)).render_as("text")
        elif len(names) == 1:
            authors = names[0]
        elif len(names) == 2:
            authors = f"{names[0]} {and_two.strip()} {names[1]}"
        else:
            authors = f"{names[0]} et al."
        out[key] = f"{authors}|{entry.fields.get('year', '')}"
    return out
