"""Line origins of a libcst transformation, traced through the trees' tokens.

A transformer that derives from `Tracking` remembers, for every node it
builds, the node of the input tree it was made from (`provenance`). The input
tree's code generation records the line of every token, by the node that
writes it (`TokenLines`); the output's code generation (`generate`) then
gives each output line the input line of its first token: the k-th token a
node writes is the k-th token of the node it was made from (keywords,
operators, names and newlines do not change when a transformer moves a node
or replaces its children). A token written by a node built from nothing (a
`pass` put in an emptied block, a name of an alias template) takes the first
token of the nearest enclosing node that has an origin. The lines inside a
multi-line string keep their offset; a line with no token (a blank line)
takes the line of the newline that ends it. No text is compared.

This is libcst's own way of computing positions (`PositionProvider`, a
code generation with a recording state) reduced to what a line map needs:
one pass over each tree, and the output's pass also gives its code.
"""

from __future__ import annotations

from collections.abc import Container
from typing import TypeVar

import libcst as cst
from libcst._nodes.internal import CodegenState

# id of a node a transformer built -> (that node, kept alive; id of the input
# node it stands for). Maps are keyed by `id()`: node hashing is a Python call.
Provenance = dict[int, tuple[cst.CSTNode, int]]
TokenLines = dict[int, list[int]]  # id of a node -> 0-based line of each token it writes
_Node = TypeVar("_Node", bound=cst.CSTNode)


class Tracking(cst.CSTTransformer):
    """A transformer that records where each node it returns comes from;
    `inputs`: the ids of the input tree's nodes (those need no record)."""

    def __init__(self, inputs: Container[int] = frozenset()) -> None:
        super().__init__()
        self.inputs = inputs
        self.provenance: Provenance = {}

    def derive(self, new: cst.CSTNode, old: cst.CSTNode) -> None:
        """Record that `new` (built by the transformer) stands for `old`."""
        key = id(new)
        if new is not old and key not in self.provenance and key not in self.inputs:
            entry = self.provenance.get(id(old))
            self.provenance[key] = (new, id(old) if entry is None else entry[1])

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        result = super().on_leave(original_node, updated_node)
        if updated_node is not original_node:
            self.derive(updated_node, original_node)
        if isinstance(result, cst.CSTNode):
            self.derive(result, original_node)
        return result


class _State(CodegenState):
    """Code generation that follows the current line and the node writing each
    counted token (not indentation or spacing)."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__(
            default_indent=module.default_indent, default_newline=module.default_newline
        )
        self.line = 0
        self.stack: list[cst.CSTNode] = []

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append(node)

    def after_codegen(self, node: cst.CSTNode) -> None:
        self.stack.pop()

    def pop_trailing_newline(self) -> None:
        if self.tokens:
            self.line -= self.tokens.pop().count("\n")


class _Recorder(_State):
    def __init__(self, module: cst.Module) -> None:
        super().__init__(module)
        self.lines: TokenLines = {}

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        newlines = value.count("\n")
        if newlines or (value and not value.isspace()):
            key = id(self.stack[-1])
            found = self.lines.get(key)
            if found is None:
                self.lines[key] = [self.line]
            else:
                found.append(self.line)
            self.line += newlines


def token_lines(module: cst.Module) -> TokenLines:
    """The line of every counted token of `module`, by the node that writes it."""
    state = _Recorder(module)
    module._codegen(state)
    return state.lines


class _Mapper(_State):
    def __init__(self, module: cst.Module, lines: TokenLines, provenance: Provenance) -> None:
        super().__init__(module)
        self.input = lines
        self.provenance = provenance
        self.written: dict[int, int] = {}  # id of a node -> counted tokens it wrote so far
        self.origin: dict[int, int] = {}

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        newlines = value.count("\n")
        if not newlines and (not value or value.isspace()):
            return  # indentation or spacing: not counted
        key = id(self.stack[-1])
        index = self.written.get(key, 0)
        self.written[key] = index + 1
        spans = newlines and not value.isspace()  # a multi-line string
        if self.line not in self.origin or spans:
            line = self._source_line(index)
            if line is not None:
                self.origin.setdefault(self.line, line)
                for offset in range(1, newlines + 1 if spans else 1):
                    self.origin.setdefault(self.line + offset, line + offset)
        self.line += newlines

    def _source_line(self, index: int) -> int | None:
        """The input line of the `index`-th token of the innermost node (the first
        token of the nearest enclosing node with an origin, for a new node)."""
        for depth in range(len(self.stack) - 1, -1, -1):
            key = id(self.stack[depth])
            entry = self.provenance.get(key)
            found = self.input.get(key if entry is None else entry[1])
            if found:
                innermost = depth == len(self.stack) - 1
                return found[index] if innermost and index < len(found) else found[0]
        return None


def generate(
    result: cst.Module, lines: TokenLines, provenance: Provenance, input_count: int
) -> tuple[str, tuple[int, ...]]:
    """The code of `result` and, for each of its lines, the 0-based input line it
    comes from (`lines`: `token_lines` of the input tree, `input_count`: its
    line count)."""
    state = _Mapper(result, lines, provenance)
    result._codegen(state)
    code = "".join(state.tokens)
    last = max(input_count - 1, 0)
    origins: list[int] = []
    for line in range(code.count("\n") + 1):
        found = state.origin.get(line)
        if found is None:  # the empty line after a final newline
            found = last if line == code.count("\n") else (origins[-1] if origins else 0)
        origins.append(min(found, last))
    return code, tuple(origins)
