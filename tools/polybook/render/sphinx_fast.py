"""Work Sphinx repeats for every page of a large book, done once (loaded by sphinx_ext).

- `:numref:` resolution: Sphinx un-pickles the whole doctree of the target
  page for every reference, to look at the target node (about a thousand
  un-pickled documents for a book of 200 pages). `NumrefDomain` keeps the
  target pages it has read, read-only, for the write phase.
- The search index: Sphinx memoises its stemmer per page only; the words of a
  book repeat from page to page, so the stemmer is memoised for the build.
- Citations: sphinxcontrib-bibtex looks up a pybtex plugin for every citation
  it resolves, and pybtex finds installed plugins by reading the metadata of
  every installed distribution (10 ms a citation). The installed entry points
  do not change while a process runs: pybtex's lookup of them is memoised
  (plugins registered at run time are still looked up first, as pybtex does).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain

# pages kept un-pickled for :numref: resolution (a book's references cluster)
_KEPT_TARGETS = 64


class _Targets:
    """Doctrees read for their targets only (never modified), least recently used out."""

    def __init__(self, load: Callable[[str], nodes.document]) -> None:
        self.load = load
        self.docs: OrderedDict[str, nodes.document] = OrderedDict()

    def get(self, docname: str) -> nodes.document:
        doc = self.docs.get(docname)
        if doc is None:
            doc = self.docs[docname] = self.load(docname)
            if len(self.docs) > _KEPT_TARGETS:
                self.docs.popitem(last=False)
        else:
            self.docs.move_to_end(docname)
        return doc


class NumrefDomain(StandardDomain):
    """The standard domain, with `:numref:` targets read from kept doctrees."""

    _targets: _Targets | None = None

    def clear_targets(self) -> None:
        self._targets = None

    def _resolve_numref_xref(self, env: Any, *args: Any, **kwargs: Any) -> Any:
        if self._targets is None:
            self._targets = _Targets(env.get_doctree)
        # The base method reads only the target node of the target page: it is
        # given the kept doctree through the environment's `get_doctree`.
        env.get_doctree = self._targets.get
        try:
            return super()._resolve_numref_xref(env, *args, **kwargs)
        finally:
            del env.get_doctree


def _forget_targets(app: Sphinx, *args: Any) -> None:
    """Pages read again invalidate the kept doctrees."""
    domain = app.env.domains.get("std") if app.env is not None else None
    if isinstance(domain, NumrefDomain):
        domain.clear_targets()


def _memoise_stemmer(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    indexer = getattr(app.builder, "indexer", None)
    lang = getattr(indexer, "lang", None)
    if lang is None or getattr(lang, "_polybook_memo", False):
        return
    lang.stem = functools.cache(lang.stem)
    lang._polybook_memo = True


def _memoise_entry_points() -> None:
    import pybtex.plugin as plugin  # type: ignore[import-untyped]

    lookup = plugin.entry_points
    if getattr(lookup, "_polybook_memo", False):
        return

    @functools.cache
    def installed(**kwargs: str) -> tuple[Any, ...]:
        return tuple(lookup(**kwargs))

    def entry_points(**kwargs: str) -> tuple[Any, ...]:
        return installed(**kwargs)

    entry_points._polybook_memo = True  # type: ignore[attr-defined]
    plugin.entry_points = entry_points


def setup(app: Sphinx) -> None:
    _memoise_entry_points()
    app.add_domain(NumrefDomain, override=True)
    app.connect("env-before-read-docs", _forget_targets)
    app.connect("write-started", _forget_targets)
    app.connect("doctree-resolved", _memoise_stemmer)
