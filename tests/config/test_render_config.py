"""`[render]` of _config/book.toml; config.ini books get the same defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from polybook.config import ConfigError, load_config
from tests.conftest import FIXTURES

GOOD = (FIXTURES / "seedbook" / "_config" / "book.toml").read_text(encoding="utf-8")


def _root(tmp_path: Path, text: str) -> Path:
    (tmp_path / "_config").mkdir()
    (tmp_path / "_config" / "book.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_every_display_equation_is_numbered_by_default(tmp_path: Path) -> None:
    assert load_config(_root(tmp_path, GOOD)).render.number_all_equations is True


def test_numbering_only_labelled_equations_is_a_book_setting(tmp_path: Path) -> None:
    text = GOOD + "\n[render]\nnumber_all_equations = false\n"
    assert load_config(_root(tmp_path, text)).render.number_all_equations is False


def test_an_unknown_render_key_names_the_key(tmp_path: Path) -> None:
    text = GOOD + "\n[render]\nnumber_equations = false\n"
    with pytest.raises(ConfigError) as info:
        load_config(_root(tmp_path, text))
    assert (info.value.key, info.value.message) == ("render.number_equations", "unknown key")


def test_a_config_ini_book_numbers_every_equation_as_d2lbook(tmp_path: Path) -> None:
    (tmp_path / "config.ini").write_text(
        "[project]\ntitle = Old\n\n[build]\ntabs = mxnet, pytorch\n", encoding="utf-8"
    )
    assert load_config(tmp_path).render.number_all_equations is True
