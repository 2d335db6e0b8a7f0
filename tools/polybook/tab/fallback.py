"""`d2lbook.tab` for pages' first cell, without shadowing a real d2lbook.

Pages begin with `%load_ext d2lbook.tab`. Where d2lbook is installed, that
line loads d2lbook's own runtime and nothing here interferes. Where it is not
(polybook's framework environments), `install()` appends a finder at the
*end* of `sys.meta_path`: Python asks it only after every other finder
(the path, zip imports, editable installs) found no `d2lbook`, and it then
serves a small `d2lbook` package whose `tab` module is polybook's runtime.

The framework environments get it from their `polybook.pth` (written by
`python -m polybook.tab.fallback ROOT`, see tools/make/env.mk): the book root
(for `d2l`) and one line that loads this file by its path and calls
`install(TOOLS)`. The `tools` folder itself is not put on `sys.path`: it holds
the `polybook.egg-info` of the toolchain's editable install, which would make
the environment's `pip check` (and importlib.metadata) see a polybook
distribution whose requirements the environment does not have. The finder
serves the `polybook` package from `TOOLS/polybook` instead, again only when
no other finder has one. Only the standard library is imported at
interpreter start.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

NAMES = ("d2lbook", "d2lbook.tab")
# the .pth line (`site` executes lines that start with `import`): this file,
# loaded by its path under a private name, installs the finder
PTH_IMPORT = (
    "import importlib.util as _u; "
    "_s = _u.spec_from_file_location('_polybook_fallback', {file!r}); "
    "_m = _u.module_from_spec(_s); _s.loader.exec_module(_m); _m.install({tools!r})"
)


class _Loader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # a plain module

    def exec_module(self, module: ModuleType) -> None:
        if module.__name__ == "d2lbook":
            module.__doc__ = "polybook's stand-in for d2lbook (only `d2lbook.tab`)."
            return
        import polybook.tab as runtime

        module.__doc__ = runtime.__doc__
        for name in runtime.__all__:
            setattr(module, name, getattr(runtime, name))


class D2lbookFallback(importlib.abc.MetaPathFinder):
    """Serves `d2lbook` and `d2lbook.tab`, and `polybook` from `tools`, when no
    other finder does."""

    polybook_fallback = True  # recognised across copies of this module

    def __init__(self, tools: str | None = None) -> None:
        self.tools = tools

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "polybook" and self.tools is not None:
            package = Path(self.tools) / "polybook"
            return importlib.util.spec_from_file_location(
                "polybook", package / "__init__.py", submodule_search_locations=[str(package)]
            )
        if fullname not in NAMES:
            return None
        is_package = fullname == "d2lbook"
        spec = importlib.machinery.ModuleSpec(fullname, _Loader(), is_package=is_package)
        if is_package:
            spec.submodule_search_locations = []
        return spec


def install(tools: str | None = None) -> None:
    """Append the fallback finder to `sys.meta_path` (once); with `tools`, it
    also serves the `polybook` package found there."""
    if not any(getattr(f, "polybook_fallback", False) for f in sys.meta_path):
        sys.meta_path.append(D2lbookFallback(tools))


def pth_text(root: Path) -> str:
    """The `polybook.pth` of a framework environment for the book at `root`."""
    tools = root / "tools"
    line = PTH_IMPORT.format(file=str(tools / "polybook" / "tab" / "fallback.py"), tools=str(tools))
    return f"{root}\n{line}\n"


if __name__ == "__main__":  # python -m polybook.tab.fallback ROOT > site-packages/polybook.pth
    sys.stdout.write(pth_text(Path(sys.argv[1]).resolve()))
