"""Line origins of a libcst transformation, from the trees' position metadata.

A transformer that derives from `Tracking` remembers, for every node it
builds, the node of the input tree it was made from (`provenance`). After the
transformation, `line_origins` gives each line of the output code the 0-based
line of the input it comes from: the input line of the first token on that
output line (the innermost node that starts first on the line, followed
through `provenance` to a node of the input tree, whose position
`PositionProvider` gives). A line where no traced node starts (the inside of
a multi-line string) keeps its offset in the innermost traced node spanning
it. No text is compared.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import TypeVar

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

Provenance = dict[cst.CSTNode, cst.CSTNode]
_Node = TypeVar("_Node", bound=cst.CSTNode)


class Tracking(cst.CSTTransformer):
    """A transformer that records where each node it returns comes from;
    `inputs`: the nodes of the input tree (those need no record)."""

    def __init__(self, inputs: Container[cst.CSTNode] = frozenset()) -> None:
        super().__init__()
        self.inputs = inputs
        self.provenance: Provenance = {}

    def source_of(self, node: cst.CSTNode) -> cst.CSTNode:
        """The input node `node` was made from (itself when it is one)."""
        return self.provenance.get(node, node)

    def derive(self, new: cst.CSTNode, old: cst.CSTNode) -> None:
        """Record that `new` (built by the transformer) stands for `old`."""
        if new is not old and new not in self.provenance and new not in self.inputs:
            self.provenance[new] = self.source_of(old)

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        result = super().on_leave(original_node, updated_node)
        if updated_node is not original_node:
            self.derive(updated_node, original_node)
        if isinstance(result, cst.CSTNode):
            self.derive(result, original_node)
        return result


def positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """The position of every node of `module` (1-based lines), without copying it."""
    return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def line_origins(
    before: Mapping[cst.CSTNode, CodeRange],
    result: cst.Module,
    provenance: Mapping[cst.CSTNode, cst.CSTNode],
    input_lines: int,
    code: str,
) -> tuple[int, ...]:
    """For each line of `code` (the code of `result`), the 0-based input line it
    comes from; `before`: positions of the input tree, `input_lines`: its line
    count."""
    count = code.count("\n") + 1
    found: dict[int, tuple[tuple[int, int, int], int]] = {}
    traced: list[tuple[CodeRange, CodeRange]] = []  # (output range, input range)
    for node, out in positions(result).items():
        where = before.get(provenance.get(node, node))
        if where is None:
            continue  # built from nothing in the input (e.g. an alias template)
        traced.append((out, where))
        line = out.start.line - 1
        key = (out.start.column, out.end.line, out.end.column)
        if line not in found or key < found[line][0]:
            found[line] = (key, where.start.line - 1)
    last = max(input_lines - 1, 0)
    origins: list[int] = []
    for line in range(count):
        if line in found:
            origins.append(found[line][1])
        elif line == count - 1 and code.endswith("\n"):
            origins.append(last)  # the empty line after the final newline
        else:
            origins.append(_inside(traced, line, origins[-1] if origins else 0))
    return tuple(min(o, last) for o in origins)


def _inside(traced: list[tuple[CodeRange, CodeRange]], line: int, previous: int) -> int:
    """The input line of output `line` inside the innermost traced node spanning it."""
    best: tuple[CodeRange, CodeRange] | None = None
    for out, where in traced:
        if out.start.line - 1 < line <= out.end.line - 1 and (
            best is None
            or (out.start.line, out.start.column) > (best[0].start.line, best[0].start.column)
        ):
            best = (out, where)
    if best is None:
        return previous
    out, where = best
    offset = where.start.line - 1 + line - (out.start.line - 1)
    return min(offset, where.end.line - 1)
