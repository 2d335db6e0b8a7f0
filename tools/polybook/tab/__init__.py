"""The tab runtime: a page opened as a notebook runs only one framework's cells.

A page starts with

    %load_ext d2lbook.tab            (or: %load_ext polybook.tab)
    tab.interact_select(['pytorch', 'mxnet', 'jax', 'tensorflow'])

Loading the extension registers the `%%tab` cell magic, an IPython input
transformer that reads the marker on a cell's first line (`%%tab a, b`,
legacy `#@tab a, b`, the commented `# %%tab a`) and puts `tab` in the user
namespace. From then on a cell runs when its marker names the selected
framework or `all`; a cell without a marker belongs to the default framework
(the first one `interact_select` lists, DIALECT §3), except cells that talk to
the runtime (`%load_ext`, `tab.select`, `tab.interact_select`), which always
run. `tab.selected('a', 'b')` is true when the selected framework is one of
them, so `if tab.selected(...)` branches choose at run time.

The framework is chosen, first match wins: the `framework=` argument of
`interact_select`, the environment variable `POLYBOOK_FRAMEWORK`, the
framework this kernel already selected, else the first listed. When
ipywidgets is importable a row of buttons lets the reader switch.

This module imports only the standard library (and the dialect's patterns,
which are plain regular expressions); IPython is imported when the extension
is loaded. It is what kernels import: it must stay that light.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from polybook.source.grammar import TAB_MARKER

ALL = "all"
ENV_VAR = "POLYBOOK_FRAMEWORK"
# what a cell that talks to the runtime contains: it always runs
_RUNTIME_CALLS = ("%load_ext", "tab.select", "tab.interact_select")

__all__ = [
    "ENV_VAR",
    "current",
    "default",
    "frameworks",
    "interact_select",
    "load_ipython_extension",
    "select",
    "selected",
    "unload_ipython_extension",
]


@dataclass(slots=True)
class _State:
    framework: str | None = None
    default: str | None = None
    frameworks: tuple[str, ...] = ()
    # the transformer registered in each shell, to remove it on unload
    transformers: dict[int, Callable[[list[str]], list[str]]] = field(default_factory=dict)


_STATE = _State()


def _names(args: Iterable[Any]) -> tuple[str, ...]:
    """`('a', 'b')`, `(['a', 'b'],)` or `('a, b',)` -> `('a', 'b')`."""
    items = list(args)
    if len(items) == 1 and isinstance(items[0], list | tuple):
        items = list(items[0])
    out: list[str] = []
    for item in items:
        out.extend(n.strip() for n in str(item).split(",") if n.strip())
    return tuple(out)


def current() -> str | None:
    """The selected framework (None before any selection)."""
    return _STATE.framework


def default() -> str | None:
    """The framework that cells without a marker belong to (None: unknown)."""
    return _STATE.default


def frameworks() -> tuple[str, ...]:
    """The frameworks the page lists (`interact_select`)."""
    return _STATE.frameworks


def select(framework: str, default: str | None = None) -> str:
    """Select `framework`; `default` names the framework of unmarked cells
    (for legacy pages, whose default is not the first one listed)."""
    name = framework.strip()
    if not name or name == ALL:
        raise ValueError(f"not a framework: {framework!r}")
    _STATE.framework = name
    if default is not None:
        _STATE.default = default.strip()
    elif _STATE.default is None:
        _STATE.default = name
    print(f"polybook.tab: running the {name} cells of this page", file=sys.stderr)
    return name


def selected(*names: Any) -> bool:
    """True when the selected framework is among `names` (a list works too)."""
    wanted = _names(names)
    return _STATE.framework is not None and (_STATE.framework in wanted or ALL in wanted)


def interact_select(*names: Any, framework: str | None = None) -> None:
    """Choose the framework of this page (see the module's documentation).
    The first framework listed is the default tab."""
    listed = _names(names)
    if not listed:
        raise ValueError("interact_select needs the page's frameworks")
    _STATE.frameworks = listed
    _STATE.default = listed[0]
    choice = framework or os.environ.get(ENV_VAR, "").strip() or None
    if choice is None:
        choice = _STATE.framework if _STATE.framework in listed else listed[0]
    elif choice not in listed:
        raise ValueError(f"{choice!r} is not one of this page's frameworks {list(listed)}")
    select(choice)
    _show_widget(listed, choice)


def _show_widget(listed: tuple[str, ...], choice: str) -> None:
    """Buttons to switch frameworks, when ipywidgets is installed (optional)."""
    try:
        import ipywidgets  # type: ignore[import-not-found, unused-ignore]
        from IPython.display import display
    except ImportError:
        return
    buttons = ipywidgets.ToggleButtons(options=list(listed), value=choice, description="tab")

    def changed(change: dict[str, Any]) -> None:
        select(str(change["new"]))

    buttons.observe(changed, names="value")
    display(buttons)  # type: ignore[no-untyped-call]


# ---- cells


def cell_frameworks(first_line: str) -> tuple[str, ...] | None:
    """The frameworks a cell's first line names (`%%tab`, `#@tab`, commented
    `# %%tab`); None when it is no marker."""
    match = TAB_MARKER.match(first_line.strip())
    if match is None:
        return None
    return _names([match.group("rest")])


def runs(marker: tuple[str, ...] | None, source: str = "") -> bool:
    """Whether a cell with this marker (None: no marker) runs now."""
    if marker is None:
        if any(call in source for call in _RUNTIME_CALLS):
            return True
        return _STATE.default is None or _STATE.framework in (None, _STATE.default)
    return ALL in marker or (_STATE.framework is not None and _STATE.framework in marker)


def _skip_note(marker: tuple[str, ...] | None) -> str:
    what = "a cell of the default framework" if marker is None else f"a {', '.join(marker)} cell"
    now = _STATE.framework or "none (call tab.interact_select)"
    return f"polybook.tab: skipped {what}; selected framework: {now}"


def skipped(note: str) -> None:
    """What a cell that does not run executes instead."""
    print(note, file=sys.stderr)


def transform(lines: list[str]) -> list[str]:
    """IPython cleanup transformer: a marked cell keeps its line numbers (the
    marker line becomes blank) when it runs, and becomes a note when not."""
    if not lines:
        return lines
    marker = cell_frameworks(lines[0])
    if runs(marker, "".join(lines)):
        return lines if marker is None else ["\n", *lines[1:]]
    return [f"__import__({__name__!r}, fromlist=['_']).skipped({_skip_note(marker)!r})\n"]


# ---- the IPython extension


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext polybook.tab` / `%load_ext d2lbook.tab`."""
    from IPython.core.magic import Magics, cell_magic, magics_class

    @magics_class
    class TabMagics(Magics):  # type: ignore[misc, unused-ignore]
        @cell_magic  # type: ignore[untyped-decorator, unused-ignore]
        def tab(self, line: str, cell: str) -> None:
            """`%%tab a, b`: run the cell when one of them is selected (reached
            only when the transformer did not see the marker)."""
            marker = _names([line])
            if not runs(marker):
                skipped(_skip_note(marker))
                return
            shell: Any = self.shell
            result = shell.run_cell(cell, store_history=False)
            result.raise_error()

    ipython.register_magics(TabMagics)
    key = id(ipython)
    if key not in _STATE.transformers:
        _STATE.transformers[key] = transform
        ipython.input_transformers_cleanup.append(transform)
    env = os.environ.get(ENV_VAR, "").strip()
    if env and _STATE.framework is None:
        select(env)
    ipython.push({"tab": sys.modules[__name__]})


def unload_ipython_extension(ipython: Any) -> None:
    func = _STATE.transformers.pop(id(ipython), None)
    if func is not None and func in ipython.input_transformers_cleanup:
        ipython.input_transformers_cleanup.remove(func)
