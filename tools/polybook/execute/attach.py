"""Outputs attached to a split notebook's own text, for a rebuild from the cache.

The typed path (`plan.with_outputs` + `Notebook.to_json`) parses every cell
into the model and writes it out again; for a notebook of the cache that is
most of a rebuild's time, and all but a few of its bytes come out as they went
in. Split writes every notebook with the model's writer (`Notebook.to_json`)
and writes again one whose bytes changed since (PB009), so the text execute
reads is in the model's layout: a code cell that never ran has its
`"execution_count": null` and `"outputs": []` members on lines of their own at
cell depth (3 spaces; nothing else inside a cell is at that depth), and the
`"cells"` list is followed by `"metadata"`, then the nbformat version. An
executed notebook differs from its split notebook in exactly those two members
of every code cell and in `metadata.polybook.execution`.

`attach` writes those differences into the text, each as the model's writer
writes it (outputs and metadata through `jsonfmt.dumps`), and keeps every other
byte. Where the text is not in that layout (a notebook from elsewhere, or a
model that changed its layout) it answers None and the caller takes the typed
path. The model stays the one definition of the format:
tests/execute/test_attach.py holds the two writers equal byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from polybook.execute.model import CellOutputs
from polybook.split.jsonfmt import JSON, dumps
from polybook.split.model import NBFORMAT, NBFORMAT_MINOR

_COUNT = '\n   "execution_count": '
_NO_COUNT = _COUNT + "null,\n"
_OUTPUTS = '\n   "outputs": '
_NO_OUTPUTS = _OUTPUTS + "[],\n"
_METADATA = '\n ],\n "metadata": '
_TAIL = f',\n "nbformat": {NBFORMAT},\n "nbformat_minor": {NBFORMAT_MINOR}\n}}\n'


def attach(
    text: str,
    metadata: object,
    cells: Sequence[CellOutputs],
    execution: Mapping[str, Any],
) -> str | None:
    """The executed notebook of the split notebook `text` (decoded as
    `metadata`: its top-level metadata): the outputs and execution count of
    `cells` (one per code cell, in order) attached and `execution` recorded
    under `metadata.polybook`. None if `text` is not in the model's layout or
    has another number of code cells."""
    cells_end = text.find(_METADATA)
    if cells_end < 0 or not text.endswith(_TAIL) or not isinstance(metadata, dict):
        return None
    polybook = metadata.get("polybook")
    if not isinstance(polybook, dict):
        return None
    starts: list[int] = []
    at = text.find(_NO_COUNT, 0, cells_end)
    while at >= 0:
        starts.append(at)
        at = text.find(_NO_COUNT, at + len(_NO_COUNT) - 1, cells_end)
    if len(starts) != len(cells):
        return None
    starts.append(cells_end)
    pieces: list[str] = []
    done = 0
    for n, out in enumerate(cells):
        start = starts[n]
        found = text.find(_NO_OUTPUTS, start, starts[n + 1])
        if found < 0:
            return None
        # what the model writes for `with_outputs`' cell (split.model._cell_json)
        raw = out.get("execution_count")
        count = raw if isinstance(raw, int) else None
        outputs = cast(list[JSON], [dict(o) for o in out.get("outputs", ())])
        value = start + len(_COUNT)  # of `null`
        listed = found + len(_OUTPUTS)  # of `[]`
        pieces += (
            text[done:value],
            "null" if count is None else str(count),
            text[value + 4 : listed],
            dumps(outputs, 3),
        )
        done = listed + 2
    meta = cast(dict[str, JSON], {**metadata, "polybook": {**polybook, "execution": execution}})
    pieces += (text[done:cells_end], _METADATA, dumps(meta, 1), _TAIL)
    return "".join(pieces)
