"""Static resolution of `tab.selected(...)` branches with a concrete syntax tree.

For one framework, every `if` whose test is made only of `tab.selected(...)`
calls (joined by `or`/`and`/`not`) is replaced by the body of the branch that
holds for that framework, dedented into the enclosing block; `elif`/`else`
chains are followed; non-static tests stay as they are (a later static `elif`
of theirs is resolved in place). Comments and formatting are kept: libcst
stores indentation relative to the enclosing block, so moved bodies dedent
without touching their text.

Each resolution also gives, for every line of its code, the 0-based line of
the input it comes from (`Resolution.origin`), traced through the tokens of
the input tree (`split.cstmap`), never by comparing text: kept lines,
comments and blank lines come from their own line, a `pass` put into an
emptied block from the first branch it replaces, an `else:` that replaces a
resolved `elif` from that `elif`. Masking IPython lines keeps every line
where it is.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from typing import Any

import libcst as cst
from libcst import ParserSyntaxError

from polybook.split.cstmap import Tracking, generate, token_lines
from polybook.split.ipython import mask, unmask
from polybook.split.resolved import Resolution

__all__ = ["ParserSyntaxError", "Resolution", "mentions_tab_selected", "resolve_many"]

_CALL = re.compile(r"tab\.selected\(([^)]*)\)")
_NAME = re.compile(r"""["']([^"']+)["']""")


def mentions_tab_selected(source: str) -> bool:
    return "tab.selected" in source


def _selected_names(node: cst.BaseExpression) -> frozenset[str] | None:
    if not isinstance(node, cst.Call):
        return None
    func = node.func
    if not (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == "tab"
        and func.attr.value == "selected"
    ):
        return None
    names: set[str] = set()
    for arg in node.args:
        value = arg.value
        if isinstance(value, cst.SimpleString):
            names.add(value.evaluated_value if isinstance(value.evaluated_value, str) else "")
        elif isinstance(value, cst.List | cst.Tuple):
            for element in value.elements:
                if not isinstance(element.value, cst.SimpleString):
                    return None
                evaluated = element.value.evaluated_value
                names.add(evaluated if isinstance(evaluated, str) else "")
        else:
            return None
    return frozenset(names)


def _truth(node: cst.BaseExpression, framework: str) -> bool | None:
    """The static value of a test for `framework`, or None if it is not static."""
    names = _selected_names(node)
    if names is not None:
        return framework in names
    if isinstance(node, cst.BooleanOperation):
        left = _truth(node.left, framework)
        right = _truth(node.right, framework)
        if left is None or right is None:
            return None
        if isinstance(node.operator, cst.Or):
            return left or right
        return left and right
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        inner = _truth(node.expression, framework)
        return None if inner is None else not inner
    return None


# Nodes the resolver descends into when every `tab.selected` is an `if` test:
# statements and blocks only, never into expressions (rebuilding every node of
# a tree costs ~8x the parse).
_STRUCTURE = (
    cst.Module,
    cst.IndentedBlock,
    cst.If,
    cst.Else,
    cst.ClassDef,
    cst.FunctionDef,
    cst.For,
    cst.While,
    cst.With,
    cst.Try,
    cst.TryStar,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
)
_IF_TEST = re.compile(r"^\s*(?:if|elif)\s.*tab\.selected\(")


def _only_in_if_tests(source: str) -> bool:
    return all(_IF_TEST.match(line) for line in source.split("\n") if "tab.selected" in line)


# Where a parenthesised conditional expression is an operand: its parentheses
# stay around the chosen branch (as an argument or a value they are dropped).
_OPERAND_OF = (
    cst.Attribute,
    cst.Subscript,
    cst.Call,
    cst.BinaryOperation,
    cst.UnaryOperation,
    cst.BooleanOperation,
    cst.Comparison,
    cst.ComparisonTarget,
    cst.Await,
)


class _Resolver(Tracking):
    def __init__(self, framework: str, full: bool, inputs: Container[int]) -> None:
        super().__init__(inputs)
        self.framework = framework
        self.full = full
        self._elifs: set[int] = set()
        self._parents: list[cst.CSTNode] = []  # the nodes being visited, outermost first

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._parents.append(node)  # on_leave follows every on_visit
        if not self.full and not isinstance(node, _STRUCTURE):
            return False
        return super().on_visit(node)

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        self._parents.pop()
        return super().on_leave(original_node, updated_node)

    def _statements(self, body: cst.BaseSuite) -> list[cst.BaseStatement]:
        if isinstance(body, cst.IndentedBlock):
            return list(body.body)
        assert isinstance(body, cst.SimpleStatementSuite)
        line = cst.SimpleStatementLine(body=body.body)
        self.derive(line, body)
        return [line]

    def _changed(self, node: cst.If, orelse: cst.If | cst.Else | None) -> cst.If:
        changed = node.with_changes(orelse=orelse)
        self.derive(changed, node)
        return changed

    def visit_If(self, node: cst.If) -> bool:
        if isinstance(node.orelse, cst.If):
            self._elifs.add(id(node.orelse))
        return True

    def _chain(self, node: cst.If) -> list[cst.BaseStatement] | cst.If:
        """Resolve an if/elif/else chain: kept statements, or an `if` to keep."""
        value = _truth(node.test, self.framework)
        if value is True:
            return self._statements(node.body)
        if value is False:
            orelse = node.orelse
            if orelse is None:
                return []
            if isinstance(orelse, cst.Else):
                return self._statements(orelse.body)
            return self._chain(orelse)
        # A test that is not static: keep it, resolve what follows it.
        orelse = node.orelse
        if isinstance(orelse, cst.If):
            rest = self._chain(orelse)
            if isinstance(rest, cst.If):
                return self._changed(node, rest)
            if not rest:
                return self._changed(node, None)
            block = cst.IndentedBlock(body=rest)
            replacement = cst.Else(body=block)  # the `else:` line stands for the `elif`
            self.derive(block, orelse)
            self.derive(replacement, orelse)
            return self._changed(node, replacement)
        return node

    def leave_If(
        self, original_node: cst.If, updated_node: cst.If
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        if id(original_node) in self._elifs:
            return updated_node  # resolved with the head of its chain
        result = self._chain(updated_node)
        if isinstance(result, cst.If):
            return result
        if not result:
            return cst.RemoveFromParent()
        first = result[0]
        if updated_node.leading_lines and isinstance(
            first, cst.SimpleStatementLine | cst.BaseCompoundStatement
        ):
            result[0] = first.with_changes(
                leading_lines=[*updated_node.leading_lines, *first.leading_lines]
            )
            self.derive(result[0], first)
        return cst.FlattenSentinel(result)

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        value = _truth(updated_node.test, self.framework)
        if value is None:
            return updated_node
        chosen = updated_node.body if value else updated_node.orelse
        parent = self._parents[-1] if self._parents else None
        if not updated_node.lpar or not isinstance(parent, _OPERAND_OF):
            return chosen
        # `(a if tab.selected(...) else b).f()`: an operand keeps its parentheses
        # (`1.f()` would not parse, `(a + b) * 2` would change meaning)
        return chosen.with_changes(
            lpar=(*updated_node.lpar, *chosen.lpar), rpar=(*chosen.rpar, *updated_node.rpar)
        )

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not updated_node.body:
            line = cst.SimpleStatementLine(body=[cst.Pass()])
            if original_node.body:  # `pass` stands for the first branch it replaces
                self.derive(line, original_node.body[0])
            return updated_node.with_changes(body=[line])
        return updated_node


def _signature(source: str, framework: str) -> tuple[bool, ...]:
    calls = [frozenset(_NAME.findall(m.group(1))) for m in _CALL.finditer(source)]
    return tuple(framework in names for names in calls)


def resolve_many(source: str, frameworks: Iterable[str]) -> dict[str, Resolution]:
    """Resolve `source` for each framework; raises libcst.ParserSyntaxError."""
    wanted: Sequence[str] = list(frameworks)
    count = source.count("\n") + 1
    if not mentions_tab_selected(source):
        return dict.fromkeys(wanted, Resolution(source, tuple(range(count))))
    masked, originals = mask(source)  # line for line
    module = cst.parse_module(masked)
    lines = token_lines(module)
    full = not _only_in_if_tests(source)
    by_signature: dict[tuple[bool, ...], Resolution] = {}
    out: dict[str, Resolution] = {}
    for framework in wanted:
        signature = _signature(source, framework)
        if signature not in by_signature:
            resolver = _Resolver(framework, full, lines)
            code, origin = generate(module.visit(resolver), lines, resolver.provenance, count)
            if code.strip():
                by_signature[signature] = Resolution(unmask(code, originals), origin)
            else:
                by_signature[signature] = Resolution("", (0,))
        out[framework] = by_signature[signature]
    return out
