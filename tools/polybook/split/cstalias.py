"""The syntax-tree half of alias rewriting (imported only when a cell needs it).

A rewrite can change a cell's line count (`d2l.clip(x,\n low=0)` becomes
`torch.clamp(x, min=0)`): each output line is traced to the input line of its
first token through the trees' tokens (`split.cstmap`).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from polybook.split.aliases import AliasTable, ArgsAlias
from polybook.split.cstmap import Tracking, generate, token_lines

_ATOMS = (
    cst.Name,
    cst.Attribute,
    cst.Call,
    cst.Subscript,
    cst.List,
    cst.ListComp,
    cst.Dict,
    cst.DictComp,
    cst.Set,
    cst.SetComp,
    cst.GeneratorExp,
    cst.SimpleString,
    cst.FormattedString,
)
_RECEIVER = "__polybook_receiver__"
_EMPTY = cst.Module(body=[])
_DEFAULT = cst.MaybeSentinel.DEFAULT


def _atom(node: cst.BaseExpression) -> cst.BaseExpression:
    """`node`, parenthesised unless it can take `.attr` or a call as it is."""
    if node.lpar or isinstance(node, _ATOMS):
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _library_name(node: cst.BaseExpression, library: str) -> str | None:
    """`name` when `node` is `<library>.name`."""
    if (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == library
    ):
        return node.attr.value
    return None


class _Substitute(cst.CSTTransformer):
    """Names of a template replaced by expressions; keyword arguments whose
    value names an unbound optional parameter removed."""

    def __init__(
        self, bound: dict[str, cst.BaseExpression], defaults: dict[str, cst.BaseExpression]
    ) -> None:
        super().__init__()
        self.bound = bound
        self.defaults = defaults
        self.skip: set[int] = set()  # attribute and keyword names are not references

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.skip.add(id(node.attr))
        return True

    def visit_Arg(self, node: cst.Arg) -> bool:
        if node.keyword is not None:
            self.skip.add(id(node.keyword))
        return True

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if id(original_node) in self.skip:
            return updated_node
        if original_node.value in self.bound:
            return _atom(self.bound[original_node.value])
        if original_node.value in self.defaults:
            return _atom(self.defaults[original_node.value])
        return updated_node

    def leave_Arg(
        self, original_node: cst.Arg, updated_node: cst.Arg
    ) -> cst.Arg | cst.RemovalSentinel:
        value = original_node.value
        if not isinstance(value, cst.Name):
            return updated_node
        if original_node.keyword is not None and value.value in self.defaults:
            return cst.RemoveFromParent()
        if value.value in self.bound:
            return updated_node.with_changes(value=self.bound[value.value])
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        args = updated_node.args
        if len(args) < len(original_node.args) and args and args[-1].comma is not _DEFAULT:
            last = args[-1].with_changes(comma=_DEFAULT)
            return updated_node.with_changes(args=[*args[:-1], last])
        return updated_node


def _bind(alias: ArgsAlias, args: Sequence[cst.Arg]) -> cst.BaseExpression | None:
    """The alias's template for a call with `args`, or None when they do not fit."""
    signature = cst.parse_expression(alias.signature)
    if not isinstance(signature, cst.Call):
        return None
    params: list[tuple[str, cst.BaseExpression | None]] = []
    for param in signature.args:
        if param.keyword is not None:
            params.append((param.keyword.value, param.value))
        elif isinstance(param.value, cst.Name):
            params.append((param.value.value, None))
        else:
            return None
    names = [name for name, _ in params]
    bound: dict[str, cst.BaseExpression] = {}
    positional = [a for a in args if a.keyword is None]
    if any(a.star for a in args) or len(positional) > len(params):
        return None
    for (name, _), arg in zip(params, positional, strict=False):
        bound[name] = arg.value
    for arg in args:
        if arg.keyword is not None:
            key = arg.keyword.value
            if key not in names or key in bound:
                return None
            bound[key] = arg.value
    if any(default is None and name not in bound for name, default in params):
        return None
    defaults = {n: d for n, d in params if d is not None and n not in bound}
    template = cst.parse_expression(alias.template)
    result = template.visit(_Substitute(bound, defaults))
    assert isinstance(result, cst.BaseExpression)
    return result


class _Aliases(Tracking):
    # Every node its leave methods return is new (no `on_visit` skips children),
    # so no input node needs to be known in advance.
    def __init__(self, table: AliasTable) -> None:
        super().__init__()
        self.table = table
        # whether a rewritten node spans lines (else every line stays where it is)
        self.joins = False

    def _rewritten(self, original: cst.CSTNode, new: cst.BaseExpression) -> cst.BaseExpression:
        if not self.joins:
            self.joins = "\n" in _EMPTY.code_for_node(original)
        return new

    def _dotted(self, target: str, like: cst.BaseExpression) -> cst.BaseExpression:
        node = cst.parse_expression(f"{self.table.lib_name}.{target}")
        return node.with_changes(lpar=like.lpar, rpar=like.rpar)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        name = _library_name(updated_node, self.table.library)
        if name is not None and name in self.table.simple:
            return self._rewritten(
                original_node, self._dotted(self.table.simple[name], updated_node)
            )
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        name = _library_name(updated_node.func, self.table.library)
        if name is None:
            return updated_node
        if name in self.table.simple_calls:
            func = self._dotted(self.table.simple_calls[name], updated_node.func)
            return self._rewritten(original_node, updated_node.with_changes(func=func))
        if name in self.table.fluent:
            fluent = self._fluent(updated_node, self.table.fluent[name])
            return (
                updated_node if fluent is updated_node else self._rewritten(original_node, fluent)
            )
        if name in self.table.args:
            replaced = _bind(self.table.args[name], updated_node.args)
            if replaced is None:
                return updated_node
            if updated_node.lpar:
                replaced = replaced.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
            else:
                replaced = _atom(replaced)
            return self._rewritten(original_node, replaced)
        return updated_node

    def _fluent(self, call: cst.Call, path: str) -> cst.BaseExpression:
        args = call.args
        if not args or args[0].keyword is not None or args[0].star:
            return call
        template = cst.parse_expression(f"{_RECEIVER}.{path}")
        method = template.visit(_Substitute({_RECEIVER: _atom(args[0].value)}, {}))
        assert isinstance(method, cst.BaseExpression)
        return call.with_changes(func=method, args=args[1:])


def rewrite_tree(source: str, table: AliasTable) -> tuple[str, tuple[int, ...]] | None:
    """`source` with simple, fluent and args aliases rewritten, and for each of its
    lines the 0-based line of `source` it comes from; None if it does not parse."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    rewriter = _Aliases(table)
    result = module.visit(rewriter)
    code = result.code
    count = source.count("\n") + 1
    if code.count("\n") + 1 == count and not rewriter.joins:
        return code, tuple(range(count))  # rewritten in place, line for line
    return generate(result, token_lines(module), rewriter.provenance, count)
