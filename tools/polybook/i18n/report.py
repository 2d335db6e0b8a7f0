"""The status report: JSON for CI, a rich table for a terminal (plain text
when the output is not one)."""

from __future__ import annotations

import json
from typing import IO

from polybook.i18n.status import LanguageStatus, PageState

_STYLE = {
    PageState.CURRENT: "green",
    PageState.PARTIAL: "yellow",
    PageState.STALE: "red",
    PageState.MISSING: "magenta",
}


def to_json(languages: list[LanguageStatus]) -> str:
    data = []
    for lang in languages:
        done, total = lang.paragraphs
        data.append(
            {
                "lang": lang.lang,
                "origin": lang.origin,
                "state": lang.state.value,
                "pages": len(lang.pages),
                "pages_current": lang.current,
                "pages_current_percent": round(lang.pages_percent, 1),
                "paragraphs_translated": done,
                "paragraphs": total,
                "paragraphs_translated_percent": round(lang.paragraphs_percent, 1),
                "page_status": [
                    {
                        "page": p.page,
                        "file": p.file,
                        "state": p.state.value,
                        "paragraphs_translated": p.translated,
                        "paragraphs_untranslated": p.untranslated,
                        "findings": [d.to_json() for d in p.findings],
                    }
                    for p in lang.pages
                ],
                "extra_pages": [d.to_json() for d in lang.extra],
            }
        )
    return json.dumps({"languages": data}, indent=2, ensure_ascii=False)


def print_table(languages: list[LanguageStatus], stream: IO[str], width: int | None = None) -> None:
    """A summary line per language, a table of its pages (state, paragraphs
    translated, findings), then each finding at its book line."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    if width is None and not stream.isatty():
        width = 120  # a log or a pipe: wide enough for a page path
    console = Console(file=stream, width=width, highlight=False, soft_wrap=True)
    for lang in languages:
        console.print(f"[bold {_STYLE[lang.state]}]{escape(lang.summary())}[/]")
        table = Table(pad_edge=False)
        table.add_column("page", overflow="fold")
        table.add_column("state")
        table.add_column("¶ translated", justify="right")
        table.add_column("findings", justify="right")
        for page in lang.pages:
            total = page.translated + page.untranslated
            table.add_row(
                escape(page.page),
                f"[{_STYLE[page.state]}]{page.state.value}[/]",
                f"{page.translated}/{total}" if total else "-",
                str(len(page.findings)) if page.findings else "",
            )
        console.print(table)
        for page in lang.pages:
            for finding in page.findings:
                console.print(escape(finding.format()))
        for extra in lang.extra:
            console.print(escape(extra.format()))
