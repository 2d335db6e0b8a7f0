"""Per-framework code checks placed through the split cells' exact line maps."""

from __future__ import annotations

from polybook.check.code import check_cell
from polybook.split.page import split_page
from tests.conftest import parse_text


def test_tab_selected_outside_if_is_placed_on_its_line_in_every_framework() -> None:
    page = parse_text(
        "# P\n"  # 1
        "```{.python .input}\n"  # 2
        "%%tab pytorch, jax\n"  # 3
        "if tab.selected('jax'):\n"  # 4
        "    import jax\n"  # 5
        "\n"  # 6
        "    # jax only\n"  # 7
        "    key = jax.random.PRNGKey(0)\n"  # 8
        "use = tab.selected('jax')\n"  # 9
        "```\n"
    )
    notebooks = split_page(page, ("pytorch", "jax")).notebooks
    versions = {fw: nb.code_cells[0] for fw, nb in notebooks.items()}
    # the line is the 1st of the PyTorch code and the 5th of the JAX code
    assert [c.source.split("\n").index("use = tab.selected('jax')") for c in versions.values()] == [
        0,
        4,
    ]
    found = check_cell(page, page.code_cells[0], versions)
    assert [(d.code, d.line, d.message) for d in found] == [
        ("PB161", 9, "tab.selected(...) outside an if test cannot be resolved (pytorch, jax)")
    ]
