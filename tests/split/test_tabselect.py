"""Static resolution of tab.selected branches: exact outputs."""

from __future__ import annotations

import textwrap

import libcst
import pytest

from polybook.split.tabselect import resolve_many


def resolve(source: str, framework: str) -> str:
    return resolve_many(source, [framework])[framework].text


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_single_branch_is_dedented_and_others_removed() -> None:
    code = src(
        """
        model = LeNet()
        if tab.selected('pytorch'):
            model.apply_init(batch, init_cnn)  # init
        if tab.selected('mxnet', 'tensorflow'):
            model.initialize()
        trainer.fit(model, data)
        """
    )
    assert resolve(code, "pytorch") == src(
        """
        model = LeNet()
        model.apply_init(batch, init_cnn)  # init
        trainer.fit(model, data)
        """
    )
    assert resolve(code, "tensorflow") == src(
        """
        model = LeNet()
        model.initialize()
        trainer.fit(model, data)
        """
    )
    assert resolve(code, "jax") == "model = LeNet()\ntrainer.fit(model, data)\n"


def test_or_joined_tests_and_not() -> None:
    code = src(
        """
        if tab.selected('mxnet') or tab.selected('pytorch'):
            a = 1
        if not tab.selected('jax'):
            b = 2
        """
    )
    assert resolve(code, "pytorch") == "a = 1\nb = 2\n"
    assert resolve(code, "jax") == ""
    assert resolve(code, "tensorflow") == "b = 2\n"


def test_elif_and_else_chain() -> None:
    code = src(
        """
        if tab.selected('mxnet'):
            x = 'mx'
        elif tab.selected('pytorch'):
            x = 'pt'
        else:
            # everyone else
            x = 'other'
        """
    )
    assert resolve(code, "mxnet") == "x = 'mx'\n"
    assert resolve(code, "pytorch") == "x = 'pt'\n"
    assert resolve(code, "jax") == "# everyone else\nx = 'other'\n"


def test_nested_in_methods_and_other_ifs_keeps_comments() -> None:
    code = src(
        """
        class Net(d2l.Module):
            def __init__(self):
                super().__init__()
                # build the layers
                if tab.selected('pytorch'):
                    self.net = nn.LazyLinear(1)
                    if debug:
                        if tab.selected('pytorch'):
                            print('pt')  # trailing
                if tab.selected('jax'):
                    self.net = nn.Dense(1)

            def forward(self, X):
                if tab.selected('jax'):
                    return self.net(X)
        """
    )
    assert resolve(code, "pytorch") == src(
        """
        class Net(d2l.Module):
            def __init__(self):
                super().__init__()
                # build the layers
                self.net = nn.LazyLinear(1)
                if debug:
                    print('pt')  # trailing

            def forward(self, X):
                pass
        """
    )
    assert resolve(code, "jax") == src(
        """
        class Net(d2l.Module):
            def __init__(self):
                super().__init__()
                self.net = nn.Dense(1)

            def forward(self, X):
                return self.net(X)
        """
    )


def test_non_static_test_keeps_if_and_resolves_its_elif() -> None:
    code = src(
        """
        if cond:
            z = 1
        elif tab.selected('pytorch'):
            z = 2
        elif tab.selected('jax'):
            z = 3
        """
    )
    assert resolve(code, "pytorch") == "if cond:\n    z = 1\nelse:\n    z = 2\n"
    assert resolve(code, "mxnet") == "if cond:\n    z = 1\n"


def test_conditional_expression_is_resolved() -> None:
    code = "lr = 0.1 if tab.selected('mxnet') else 0.03\n"
    assert resolve(code, "mxnet") == "lr = 0.1\n"
    assert resolve(code, "jax") == "lr = 0.03\n"


def test_parenthesised_conditional_expression_keeps_its_parentheses() -> None:
    code = "n = (1 if tab.selected('pytorch') else 2).bit_length()\n"
    assert resolve(code, "pytorch") == "n = (1).bit_length()\n"
    assert resolve(code, "jax") == "n = (2).bit_length()\n"
    code = "m = (3 if tab.selected('jax') else (4)) + 1\n"
    assert resolve(code, "pytorch") == "m = ((4)) + 1\n"


def test_list_argument_and_shared_outputs() -> None:
    code = "if tab.selected(['jax', 'tensorflow']):\n    a = 1\nb = 2\n"
    out = resolve_many(code, ["pytorch", "mxnet", "jax", "tensorflow"])
    assert {fw: r.text for fw, r in out.items()} == {
        "pytorch": "b = 2\n",
        "mxnet": "b = 2\n",
        "jax": "a = 1\nb = 2\n",
        "tensorflow": "a = 1\nb = 2\n",
    }


def test_code_without_tab_selected_is_returned_untouched() -> None:
    code = "x = (1,\n  2)  # odd spacing\n"
    assert resolve(code, "pytorch") is code


def test_unparsable_code_raises() -> None:
    with pytest.raises(libcst.ParserSyntaxError):
        resolve("if tab.selected('jax'):\nx = 1\n", "jax")


def test_ipython_lines_survive_resolution() -> None:
    code = src(
        """
        %matplotlib inline
        if tab.selected('pytorch'):
            !pip list
            files = !ls
        x = 1
        """
    )
    assert resolve(code, "pytorch") == "%matplotlib inline\n!pip list\nfiles = !ls\nx = 1\n"
    assert resolve(code, "jax") == "%matplotlib inline\nx = 1\n"
