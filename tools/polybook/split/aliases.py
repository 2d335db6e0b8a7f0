"""Alias tables of a framework (DIALECT §5), with the semantics of `config.ini` books.

``d2l`` below stands for the book's library (`BookConfig.library_dir`), the
name its code uses (`from d2l import torch as d2l`).

* `simple_alias`: ``a`` or ``a -> b``: ``d2l.a`` is ``<lib_name>.b``; an entry
  written ``a(`` only applies to calls;
* `fluent_alias`: ``d2l.a(x, *args, **kwargs)`` is ``x.b(*args, **kwargs)``;
* `args_alias`: ``a(p, q=None) -> expression``: a call with those parameters;
* `alias`: lines of Python the library defines verbatim;
* `reverse_alias`: ``pattern -> replacement`` regular expressions (with
  back-references) applied to notebook code only.

The library writes the first four at its end; notebooks get the rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from polybook.config import FrameworkConfig

ALIAS_BANNER = "# Alias defined in config.ini"


def mapping(items: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``a -> b`` and ``a`` entries as pairs (``a`` maps to itself)."""
    pairs: list[tuple[str, str]] = []
    for item in items:
        term = item.strip()
        if not term:
            continue
        parts = term.split("->")
        if len(parts) == 2:
            pairs.append((parts[0].strip(), parts[1].strip()))
        else:
            pairs.append((term, term))
    return tuple(pairs)


@dataclass(frozen=True, slots=True)
class ArgsAlias:
    signature: str  # ``name(p, q=None)`` as written
    template: str  # the expression it stands for


@dataclass(frozen=True, slots=True)
class AliasTable:
    """One framework's aliases, ready for rewriting."""

    library: str  # the book's library, as code names it (`d2l` in `d2l.ones`)
    lib_name: str
    simple: dict[str, str]  # name -> dotted target (``cat``, ``random.normal``)
    simple_calls: dict[str, str]  # entries written ``name(``: calls only
    fluent: dict[str, str]  # name -> method path (``detach().numpy``)
    args: dict[str, ArgsAlias]
    reverse: tuple[tuple[re.Pattern[str], str], ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.simple) | set(self.simple_calls) | set(self.fluent) | set(self.args)

    @property
    def empty(self) -> bool:
        return not (self.names or self.reverse)


def _bounded(pattern: str) -> str:
    """A reverse pattern that does not match inside longer names
    (``d2l.to`` must not rewrite ``d2l.tolist``)."""
    if re.match(r"[A-Za-z_]", pattern):
        pattern = r"(?<![\w.])" + pattern
    if re.search(r"(?<!\\)[A-Za-z0-9_]$", pattern):
        pattern += r"(?!\w)"
    return pattern


def _reverse(items: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled: list[tuple[re.Pattern[str], str]] = []
    for pattern, replacement in mapping(items):
        try:
            regex = re.compile(_bounded(pattern))
        except re.error:
            regex = re.compile(_bounded(re.escape(pattern)))
        compiled.append((regex, replacement))
    return tuple(compiled)


def _call_name(signature: str) -> str:
    return signature.split("(", 1)[0].strip()


@lru_cache(maxsize=64)
def alias_table(config: FrameworkConfig, library: str) -> AliasTable:
    """`config`'s aliases of names of `library` (the book's library package)."""
    simple: dict[str, str] = {}
    simple_calls: dict[str, str] = {}
    for a, b in mapping(config.simple_alias):
        target = b.removesuffix("(")
        if a.endswith("("):
            simple_calls[a[:-1]] = target
        else:
            simple[a] = target
    return AliasTable(
        library=library,
        lib_name=config.lib_name,
        simple=simple,
        simple_calls=simple_calls,
        fluent=dict(mapping(config.fluent_alias)),
        args={_call_name(a): ArgsAlias(a, b) for a, b in mapping(config.args_alias)},
        reverse=_reverse(config.reverse_alias),
    )


def has_aliases(config: FrameworkConfig) -> bool:
    return bool(
        config.simple_alias or config.fluent_alias or config.args_alias or config.reverse_alias
    )


def library_aliases(config: FrameworkConfig) -> str:
    """The definitions the library writes at its end ("" when there are none)."""
    text = ""
    if config.alias:
        text += "\n".join(config.alias).strip() + "\n"
    lib = config.lib_name
    for a, b in mapping(config.simple_alias):
        text += f"\n{a.removesuffix('(')} = {lib}.{b.removesuffix('(')}"
    fluent = mapping(config.fluent_alias)
    if fluent:
        text += "\n" + "\n".join(
            f"{a} = lambda x, *args, **kwargs: x.{b}(*args, **kwargs)" for a, b in fluent
        )
    for a, b in mapping(config.args_alias):
        text += f"\ndef {a}:\n    return {b}"
    return text
