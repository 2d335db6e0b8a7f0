"""The command line is parsed with the command's own stage module only
(`cli.parse_arguments`), to the same result as with every module registered."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from polybook import cli

COMMAND_LINES = [
    ["lib", "--check"],
    ["--book", "book", "lib", "--clean", "--lang", "en"],
    ["--book=book", "lib", "--api", "--format", "json", "--strict"],
    ["split", "--lang", "vi", "--framework", "jax", "--jobs", "2"],
    ["check", "--format", "json"],
    ["execute", "--framework", "all"],
    ["cache", "prune", "--older-than", "3"],
    ["build", "html", "--framework", "pytorch"],
    ["assets", "show"],
    ["edit", "chapters/en/a.md"],
    ["i18n", "status", "--lang", "vi"],
    ["preview", "--port", "8001"],
]


def _commands(module: str) -> set[str]:
    """The commands one stage module registers."""
    parser = argparse.ArgumentParser(prog="polybook")
    sub = parser.add_subparsers(dest="command")
    __import__(module, fromlist=["register"]).register(sub)
    return set(sub.choices)


def test_every_listed_command_is_its_modules() -> None:
    registered = {name: module for module in cli.STAGE_COMMANDS for name in _commands(module)}
    for name, module in cli.COMMAND_MODULES.items():
        assert registered[name] == module, name
    # every command of today's modules is listed (a command missing from the
    # list is parsed with every module registered: correct, only slower)
    assert set(registered) == set(cli.COMMAND_MODULES)


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: " ".join(argv))
def test_quick_parse_equals_the_full_parse(argv: list[str]) -> None:
    full = cli.build_parser().parse_args(argv)
    assert vars(cli.parse_arguments(argv)) == vars(full)


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["--book", "b", "lib", "--check"], ["polybook.library.command"]),
        (["check", "--lang", "en"], ["polybook.check.command"]),
        (["split"], []),
    ],
)
def test_a_command_imports_its_own_command_module_only(argv: list[str], modules: list[str]) -> None:
    probe = (
        "import sys; from polybook.cli import parse_arguments; "
        f"parse_arguments({argv!r}); "
        "print(' '.join(sorted(m for m in sys.modules if m.endswith('.command'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == modules


@pytest.mark.parametrize(
    "argv",
    [
        ["lib", "--bogus"],
        ["lib", "--clean", "--compat"],
        ["split", "--jobs", "x"],
        ["check", "--format", "yaml"],
        ["lib", "-h"],
        ["check", "--help"],
    ],
)
def test_rejected_or_help_lines_print_what_the_full_parser_prints(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as full:
        cli.build_parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as quick:
        cli.parse_arguments(argv)
    got = capsys.readouterr()
    assert (quick.value.code, got.out, got.err) == (full.value.code, expected.out, expected.err)


def test_an_unknown_argument_is_reported_with_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.parse_arguments(["lib", "--bogus"])
    err = capsys.readouterr().err
    # the top-level usage, as the full parser writes it: every command listed
    assert err.startswith("usage: polybook [-h]")
    assert all(name in err for name in [*cli.COMMAND_MODULES, "split", "check"])
    assert err.endswith("error: unrecognized arguments: --bogus\n")
