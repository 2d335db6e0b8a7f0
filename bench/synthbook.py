"""A synthetic book for benchmarks: N pages x 15 code cells x 4 frameworks.

Pages look like real ones: prose with roles, `:begin_tab:` regions, `%%tab`
cells per framework, one `%%tab all` cell with `tab.selected` branches and
`#@save` definitions. Deterministic for a given size.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FRAMEWORKS = ("pytorch", "mxnet", "jax", "tensorflow")
_CONFIG = """[book]
title = "Synthetic"
release = "1.0.0"
frameworks = ["pytorch", "mxnet", "jax", "tensorflow"]

[framework.pytorch]
display_name = "PyTorch"
module = "torch"
lib_name = "torch"

[framework.mxnet]
display_name = "MXNet"
module = "mxnet"
lib_name = "np"

[framework.jax]
display_name = "JAX"
module = "jax"
lib_name = "jnp"

[framework.tensorflow]
display_name = "TensorFlow"
module = "tensorflow"
lib_name = "tf"

[languages.en]
name = "English"
title = "Synthetic"
"""

_PROSE = (
    "The model in :numref:`sec_{prev}` maps inputs to outputs with weights $\\mathbf{{w}}$\n"
    "and a bias $b$, as in :eqref:`eq_{prev}`; see :cite:`Key.{n}` for the history.\n"
    "We now (**train it with minibatch stochastic gradient descent**) and watch the loss\n"
    "fall, as plotted in :numref:`fig_{prev}`. Each step costs one pass over a batch.\n"
)


def _cell(marker: str, body: str) -> str:
    return f"```{{.python .input}}\n%%tab {marker}\n{body}```\n\n"


def _framework_cells(page: int, cell: int) -> str:
    out = []
    for fw in FRAMEWORKS:
        save = "  #@save" if cell == 0 else ""
        out.append(
            _cell(
                fw,
                f"def step_{page}_{cell}_{fw[:2]}(X, w, b):{save}\n"
                f'    """One step for {fw}."""\n'
                "    y = d2l.matmul(X, w) + b\n"
                "    loss = ((y - X[:, :1]) ** 2).mean()\n"
                f"    return loss * {cell + 1}\n",
            )
        )
    return "".join(out)


def _all_cell(page: int) -> str:
    return _cell(
        "all",
        f"class Model{page}(d2l.Module):  #@save\n"
        "    def __init__(self, lr=0.1):\n"
        "        super().__init__()\n"
        "        self.save_hyperparameters()\n"
        "        if tab.selected('pytorch'):\n"
        "            self.net = nn.LazyLinear(1)\n"
        "        elif tab.selected('mxnet'):\n"
        "            self.net = nn.Dense(1)\n"
        "            self.net.initialize()\n"
        "        else:\n"
        "            self.net = make_dense(1)  # jax and tensorflow\n"
        "        if tab.selected('jax') or tab.selected('tensorflow'):\n"
        "            self.extra = True\n",
    )


def page_text(page: int) -> str:
    prev = max(page - 1, 0)
    parts = [f"# Page {page}\n:label:`sec_{page}`\n\n"]
    parts.append(_PROSE.format(prev=prev, n=page) * 3 + "\n")
    parts.append(f"$$y = Xw + b_{{{page}}}$$\n:eqlabel:`eq_{page}`\n\n")
    parts.append(f"![Loss curve {page}](../img/loss.svg)\n:width:`300px`\n:label:`fig_{page}`\n\n")
    cells = 0
    while cells < 14:
        parts.append(_framework_cells(page, cells // 4))
        cells += 4
        parts.append(":begin_tab:`pytorch, mxnet`\nThe imperative frameworks run eagerly.\n")
        parts.append(":end_tab:\n\n:begin_tab:`jax`\nJAX traces the function first.\n:end_tab:\n\n")
        parts.append(_PROSE.format(prev=prev, n=page) + "\n")
    parts.append(_all_cell(page))
    return "".join(parts)


def make_book(root: Path, pages: int = 200, chapters: int = 10) -> Path:
    """Write the synthetic book under `root` (replacing it) and return `root`."""
    if root.exists():
        shutil.rmtree(root)
    (root / "_config").mkdir(parents=True)
    (root / "_config" / "book.toml").write_text(_CONFIG, encoding="utf-8")
    (root / "references.bib").write_text(
        "".join(
            f"@book{{Key.{i},\n  title = {{T{i}}},\n  year = {{2000}}\n}}\n" for i in range(pages)
        ),
        encoding="utf-8",
    )
    base = root / "chapters" / "en"
    per_chapter = pages // chapters
    chapter_names = [f"chapter_{c:02d}" for c in range(chapters)]
    toc = "\n".join(f"{name}/index" for name in chapter_names)
    (base).mkdir(parents=True)
    (base / "index.md").write_text(f"# Synthetic\n\n```toc\n:maxdepth: 2\n\n{toc}\n```\n")
    page = 0
    for c, name in enumerate(chapter_names):
        folder = base / name
        folder.mkdir()
        entries = []
        for _ in range(per_chapter):
            entries.append(f"page_{page:03d}")
            (folder / f"page_{page:03d}.md").write_text(page_text(page), encoding="utf-8")
            page += 1
        (folder / "index.md").write_text(
            f"# Chapter {c}\n:label:`chap_{c}`\n\n```toc\n:maxdepth: 2\n\n"
            + "\n".join(entries)
            + "\n```\n",
            encoding="utf-8",
        )
    return root
