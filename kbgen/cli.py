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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kbgen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"kbgen {__version__}")
    parser.add_argument(
        "--config",
        default="mkdocs.yml",
        help="the site's mkdocs.yml, whose kbgen settings apply (default: mkdocs.yml)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
