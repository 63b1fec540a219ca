"""The `kbgen` command: check, scaffold, export and print, using mkdocs.yml's settings."""

from __future__ import annotations

import argparse
import os
import sys

from kbgen import __version__
from kbgen.commands import (
    cards,
    check,
    export,
    feedback,
    inbox,
    new,
    search_gaps,
    serve,
    stats,
    stories,
)

COMMANDS = (check, new, stats, stories, cards, export, serve, inbox, search_gaps, feedback)


CONFIG_HELP = "the site's mkdocs.yml, whose kbgen settings apply (default: mkdocs.yml)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kbgen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"kbgen {__version__}")
    parser.add_argument("--config", default="mkdocs.yml", help=CONFIG_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    _config_anywhere(parser)
    return parser


def _config_anywhere(parser: argparse.ArgumentParser) -> None:
    """`kbgen check --config X` as well as `kbgen --config X check`: every subcommand (and
    theirs, like `kbgen stories reject`) takes --config too, without overriding the first."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in dict.fromkeys(action.choices.values()):
            if "--config" not in sub._option_string_actions:
                sub.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
            _config_anywhere(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `kbgen`: what it can do
        parser.print_help()
        return 0
    try:
        code = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # `kbgen stories | head`: the reader has all it wanted; end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("kbgen: interrupted; nothing more was written", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
