"""Command line: argument parsing only; each command calls one stage function."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from polybook import __version__, interrupt
from polybook.config import ConfigError
from polybook.diagnostics import Code, Diagnostic, counts_line, has_errors
from polybook.faults import EXIT_SETUP, Fault, os_fault
from polybook.source.book import Book, one_walk
from polybook.split.select import ExistenceRule


def _print_diagnostics(diagnostics: list[Diagnostic], stream: TextIO | None = None) -> None:
    out = stream or sys.stderr  # looked up when printing: callers may redirect it
    for d in diagnostics:
        print(d.format(), file=out)


def _frameworks(book: Book, lang: str, value: str) -> list[str]:
    ordered = book.config.frameworks_for(lang)
    if value == "all":
        return list(ordered)
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in ordered]
    if unknown:
        known = ", ".join(ordered)
        raise Fault(Code.USAGE, f"unknown framework {unknown[0]!r} (known: {known})")
    return names


def _lang(book: Book, value: str | None) -> str:
    lang = value or book.config.source_language
    if lang not in book.config.languages:
        known = ", ".join(book.config.languages)
        raise Fault(Code.USAGE, f"unknown language {lang!r} (known: {known})")
    return lang


def frameworks_arg(book: Book, lang: str, value: str) -> list[str]:
    return _frameworks(book, lang, value)


def lang_arg(book: Book, value: str | None) -> str:
    return _lang(book, value)


def cmd_split(book: Book, args: argparse.Namespace) -> int:
    from polybook.graph import split_language
    from polybook.split.out import output_folder

    lang = _lang(book, args.lang)
    report = split_language(
        book,
        lang,
        _frameworks(book, lang, args.framework),
        out=output_folder(book, Path(args.out)) if args.out else None,
        rule=ExistenceRule(args.existence),
        jobs=args.jobs,
    )
    _print_diagnostics(report.result.diagnostics)
    print(report.line())
    return 0


def cmd_check(book: Book, args: argparse.Namespace) -> int:
    from polybook.check.command import print_found
    from polybook.check.run import check_book

    if args.changed is not None or args.changed_since or args.outputs is not None:
        from polybook.check.command import cmd_check_changed

        return cmd_check_changed(book, args)
    lang = _lang(book, args.lang)
    diagnostics = check_book(book, lang)
    print_found(diagnostics, args.format, args.verbose)
    if args.format == "text":
        print(f"check {lang}: {counts_line(diagnostics)}")
    return 1 if has_errors(diagnostics) else 0


# The commands of the stage modules: each module has `register(subparsers) ->
# None` and imports heavy dependencies lazily, inside its handlers, so that
# `polybook --help` and fast commands stay fast. A command's arguments are
# parsed with its own module alone (the others are not imported); a command
# line that parse rejects is parsed again with every module registered (the
# error message is the full parser's).
COMMAND_MODULES = {
    "lib": "polybook.library.command",
    "execute": "polybook.execute.command",
    "cache": "polybook.execute.command",
    "build": "polybook.render.command",
    "assets": "polybook.render.command",
    "edit": "polybook.edit.command",
    "i18n": "polybook.i18n.command",
    "migrate": "polybook.i18n.command",
    "preview": "polybook.preview.command",
}
STAGE_COMMANDS = tuple(dict.fromkeys(COMMAND_MODULES.values()))  # in registration order
_BUILT_IN = ("split", "check")


class _Rejected(Exception):
    """The quick parse (the command alone) did not accept the command line."""


class _QuickParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Rejected(message)


def _command_word(argv: Sequence[str]) -> str | None:
    """The command of a command line (`--book DIR` may come first); None when
    anything else comes before it (`--help`, `--version`)."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--book":
            index += 2
        elif word.startswith("--book="):
            index += 1
        elif word.startswith("-"):
            return None
        else:
            return word
    return None


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The parsed command line: a command is parsed by a parser holding that
    command alone (a stage's: its module's commands)."""
    words = list(sys.argv[1:] if argv is None else argv)
    command = _command_word(words) or ""
    module = COMMAND_MODULES.get(command)
    if module is not None or command in _BUILT_IN:
        stages = () if module is None else (module,)
        built_in = () if module is not None else (command,)
        try:
            return build_parser(stages, _QuickParser, built_in).parse_args(words)
        except _Rejected:
            pass  # parsed again below, for the full parser's message
    return build_parser().parse_args(words)


def build_parser(
    stages: Sequence[str] = STAGE_COMMANDS,
    parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser,
    built_in: Sequence[str] = _BUILT_IN,
) -> argparse.ArgumentParser:
    """The command line parser, with the `built_in` commands and those of
    `stages` (modules with a `register(subparsers)`): by default every one."""
    parser = parser_class(
        prog="polybook",
        description="Build multi-framework, multi-language literate books.",
    )
    parser.add_argument("--version", action="version", version=f"polybook {__version__}")
    parser.add_argument("--book", default=".", help="book root (default: current directory)")
    sub = parser.add_subparsers(dest="command", required=True)

    if "split" in built_in:
        _add_split(sub)
    if "check" in built_in:
        _add_check(sub)
    for name in stages:
        importlib.import_module(name).register(sub)
    return parser


def _add_split(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    split = sub.add_parser("split", help="write one notebook per page and framework")
    split.add_argument("--lang")
    split.add_argument("--framework", default="all", help="a framework, a comma list, or all")
    split.add_argument("--out", help="output directory (default _build/split/<lang>)")
    split.add_argument(
        "--existence",
        choices=[r.value for r in ExistenceRule],
        default=ExistenceRule.NAMED.value,
        help="which pages get a notebook for a non-default framework (default: named)",
    )
    split.add_argument("--jobs", type=int, default=None, help="worker processes")
    split.set_defaults(func=cmd_split)


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = sub.add_parser("check", help="report problems in the sources")
    check.add_argument("--lang")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every information line (by default, five of each code and a count)",
    )
    importlib.import_module("polybook.check.command").add_changed_arguments(check)
    check.set_defaults(func=cmd_check)


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status: 0 done, 1 errors in the book, 2 a setup or usage fault (one
    line naming the path and the action), 130 interrupted (README "Exit status"):
    Ctrl-C ends any command with one line (`polybook.interrupt`)."""
    with interrupt.handling():
        try:
            code: int | None = _main(argv)
        except KeyboardInterrupt:
            code = None
        except Exception:
            if not interrupt.requested():
                raise
            code = None  # an error that the interruption caused
        if code is None or interrupt.requested():
            print(interrupt.MESSAGE, file=sys.stderr, flush=True)
            return interrupt.EXIT_INTERRUPTED
        return code


def _main(argv: Sequence[str] | None) -> int:
    args = parse_arguments(argv)
    try:
        book = Book.open(Path(args.book))
        with one_walk():
            code: int = args.func(book, args)
    except ConfigError as exc:
        print(f"polybook: configuration error: {exc}", file=sys.stderr)
        return EXIT_SETUP
    except Fault as fault:
        print(fault.line(), file=sys.stderr)
        return EXIT_SETUP
    except OSError as exc:  # the last resort: a fault no stage named
        print(os_fault(exc, f"polybook {args.command}", "access").line(), file=sys.stderr)
        return EXIT_SETUP
    return code


if __name__ == "__main__":
    sys.exit(main())
