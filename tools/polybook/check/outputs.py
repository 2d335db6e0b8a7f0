"""Executed outputs pasted into a markdown page ("outputs in sources").

A page holds code; its outputs come from executing it, never from the page.
What counts as a pasted output (each reported at its book line):

* PB430 (error) a fence whose attributes carry the class `.output`
  (```` ```{.json .output n=3} ````: how notedown and d2lbook store executed
  outputs in markdown);
* PB430 (error) an IPython prompt `In [3]:` / `Out[3]:` at the start of a
  line of an executable code cell (a console session pasted as code), or as
  the first line of a listing that directly follows a code cell (only blank
  lines between);
* PB430 (error) an image embedded as a `data:image/...` URL in the prose (a
  plot copied out of a notebook);
* PB431 (warning) a listing that directly follows a code cell and holds a
  Python traceback (`Traceback (most recent call last):`, or IPython's rule of
  dashes followed by `SomeError  Traceback (most recent call last)`). A warning:
  a page may show an error on purpose; `polybook check --outputs` (the
  pre-commit hook) still fails on it.

Positions come from the parse: fence lines, code cells' line maps, tokens.
"""

from __future__ import annotations

import re

from polybook.diagnostics import Code, Diagnostic
from polybook.source.elements import Fence, TokenKind, inlines
from polybook.source.markers import parse_fence_info
from polybook.source.model import CodeCell, Page, TextBlock, TextKind

OUTPUT_CLASS = ".output"
# IPython's prompts, as a console or a notebook export prints them.
_PROMPT = re.compile(r"^\s*(?:In|Out)\s*\[\s*\d*\s*\]:")
_TRACEBACK = re.compile(
    r"^\s*Traceback \(most recent call last\):|^\s*\w+(?:Error|Exception|Interrupt|Exit)\s+"
    r"Traceback \(most recent call last\)"
)
_DATA_IMAGE = "data:image/"


def _fence_outputs(fence: Fence, after_code: bool, file: str) -> list[Diagnostic]:
    info = parse_fence_info(fence.info)
    if OUTPUT_CLASS in info.classes:
        message = (
            f"executed outputs stored in the page (a fence with class {OUTPUT_CLASS}); "
            "outputs come from `polybook execute`: delete the fence"
        )
        return [Diagnostic.make(Code.PASTED_OUTPUT, file, fence.line, message)]
    if not after_code:
        return []
    body = [(text, line) for text, line in fence.body if text.strip()]
    if body and _PROMPT.match(body[0][0]):
        message = (
            "a listing after a code cell starts with an IPython prompt "
            f"({body[0][0].strip()[:20]!r}): pasted output; delete it"
        )
        return [Diagnostic.make(Code.PASTED_OUTPUT, file, body[0][1], message)]
    for text, line in body:
        if _TRACEBACK.match(text):
            message = (
                "a listing after a code cell holds a Python traceback: pasted output "
                "(keep it only if the page shows an error on purpose)"
            )
            return [Diagnostic.make(Code.PASTED_TRACEBACK, file, line, message)]
    return []


def _code_prompts(cell: CodeCell, file: str) -> list[Diagnostic]:
    for index, text in enumerate(cell.source.split("\n")):
        if _PROMPT.match(text):
            message = (
                f"an IPython prompt in a code cell ({text.strip()[:20]!r}): a pasted console "
                "session; keep the code, drop the prompts and outputs"
            )
            return [Diagnostic.make(Code.PASTED_OUTPUT, file, cell.source_line(index), message)]
    return []


def _embedded_images(block: TextBlock, file: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for element in block.elements:
        for content in inlines(element):
            for token in content.tokens:
                if token.kind is TokenKind.IMAGE and token.value.startswith(_DATA_IMAGE):
                    message = (
                        "an image embedded as a data: URL (an output copied from a notebook); "
                        "save it under img/ or let the code draw it"
                    )
                    out.append(Diagnostic.make(Code.PASTED_OUTPUT, file, token.line, message))
    return out


def pasted_outputs(page: Page) -> list[Diagnostic]:
    """The page's pasted outputs (see the module's docstring), in line order."""
    out: list[Diagnostic] = []
    after_code = False
    for block in page.blocks:
        if isinstance(block, CodeCell):
            out.extend(_code_prompts(block, page.file))
            after_code = True
            continue
        if isinstance(block, TextBlock) and block.fence is not None:
            out.extend(_fence_outputs(block.fence, after_code, page.file))
        elif isinstance(block, TextBlock) and block.kind is TextKind.PROSE:
            if _DATA_IMAGE in block.text:
                out.extend(_embedded_images(block, page.file))
            if not block.text.strip():
                continue  # blank lines keep "directly after a code cell"
        after_code = False
    return out
