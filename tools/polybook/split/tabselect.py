"""Static resolution of `tab.selected(...)` branches with a concrete syntax tree.

For one framework, every `if` whose test is made only of `tab.selected(...)`
calls (joined by `or`/`and`/`not`) is replaced by the body of the branch that
holds for that framework, dedented into the enclosing block; `elif`/`else`
chains are followed; non-static tests stay as they are (a later static `elif`
of theirs is resolved in place). Comments and formatting are kept: libcst
stores indentation relative to the enclosing block, so moved bodies dedent
without touching their text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import libcst as cst
from libcst import ParserSyntaxError

from polybook.split.ipython import mask, unmask

__all__ = ["ParserSyntaxError", "mentions_tab_selected", "resolve_many"]

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


def _statements(body: cst.BaseSuite) -> list[cst.BaseStatement]:
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    assert isinstance(body, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body=body.body)]


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


class _Resolver(cst.CSTTransformer):
    def __init__(self, framework: str, full: bool) -> None:
        super().__init__()
        self.framework = framework
        self.full = full
        self._elifs: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not self.full and not isinstance(node, _STRUCTURE):
            return False
        return super().on_visit(node)

    def visit_If(self, node: cst.If) -> bool:
        if isinstance(node.orelse, cst.If):
            self._elifs.add(id(node.orelse))
        return True

    def _chain(self, node: cst.If) -> list[cst.BaseStatement] | cst.If:
        """Resolve an if/elif/else chain: kept statements, or an `if` to keep."""
        value = _truth(node.test, self.framework)
        if value is True:
            return _statements(node.body)
        if value is False:
            orelse = node.orelse
            if orelse is None:
                return []
            if isinstance(orelse, cst.Else):
                return _statements(orelse.body)
            return self._chain(orelse)
        # A test that is not static: keep it, resolve what follows it.
        orelse = node.orelse
        if isinstance(orelse, cst.If):
            rest = self._chain(orelse)
            if isinstance(rest, cst.If):
                return node.with_changes(orelse=rest)
            if not rest:
                return node.with_changes(orelse=None)
            return node.with_changes(orelse=cst.Else(body=cst.IndentedBlock(body=rest)))
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
        return cst.FlattenSentinel(result)

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        value = _truth(updated_node.test, self.framework)
        if value is None:
            return updated_node
        return updated_node.body if value else updated_node.orelse

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not updated_node.body:
            return updated_node.with_changes(body=[cst.SimpleStatementLine(body=[cst.Pass()])])
        return updated_node


def _signature(source: str, framework: str) -> tuple[bool, ...]:
    calls = [frozenset(_NAME.findall(m.group(1))) for m in _CALL.finditer(source)]
    return tuple(framework in names for names in calls)


def resolve_many(source: str, frameworks: Iterable[str]) -> dict[str, str]:
    """Resolve `source` for each framework; raises libcst.ParserSyntaxError."""
    wanted: Sequence[str] = list(frameworks)
    if not mentions_tab_selected(source):
        return dict.fromkeys(wanted, source)
    masked, originals = mask(source)
    module = cst.parse_module(masked)
    full = not _only_in_if_tests(source)
    by_signature: dict[tuple[bool, ...], str] = {}
    out: dict[str, str] = {}
    for framework in wanted:
        signature = _signature(source, framework)
        if signature not in by_signature:
            code = unmask(module.visit(_Resolver(framework, full)).code, originals)
            by_signature[signature] = code if code.strip() else ""
        out[framework] = by_signature[signature]
    return out
