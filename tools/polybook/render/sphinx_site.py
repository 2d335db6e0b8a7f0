"""Sphinx side of the site settings (loaded by `sphinx_ext`).

- "Open in Colab" links under each page's title, from the site's `colab.json`.
- A page that cites depends on the bibliography file: when the file changes
  (a fixed `[pdf] bibfile`, a new entry), exactly the pages that cite are
  read again, so their citations resolve without a clean build.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx


@lru_cache(maxsize=4)
def _links(path: str, stamp: int) -> dict[str, list[list[str]]]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


_COLAB = "https://colab.research.google.com/"


def _colab(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    path = app.config.polybook_colab_file
    body = context.get("body")
    if not path or not isinstance(body, str):
        return
    try:
        stamp = Path(path).stat().st_mtime_ns
    except OSError:
        return
    links = _links(path, stamp).get(pagename)
    end = body.find("</h1>")
    if not links or end < 0:
        return
    words = app.config.polybook_words
    title = html.escape(words.get("colab_title", "Open the notebook in Colab"))
    download = html.escape(words.get("download_title", "Download the notebook"))
    anchors = "".join(
        f'<a class="pb-colab-link" href="{html.escape(url)}" target="_blank" '
        f'rel="noopener" title="{title if url.startswith(_COLAB) else download}">'
        f"{html.escape(label)}</a> "
        for label, url in links
    )
    block = f'<div class="pb-colab" style="text-align: right">{anchors.strip()}</div>'
    end += len("</h1>")
    context["body"] = body[:end] + block + body[end:]


def _cites(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "cite":
            for bibfile in app.config.bibtex_bibfiles:
                app.env.note_dependency(bibfile)
            return


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("polybook_colab_file", "", "", str)
    app.add_config_value("polybook_colab", {}, "html", dict)
    app.connect("html-page-context", _colab)
    app.connect("doctree-read", _cites)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
