"""The `kbgen` command: check, scaffold, export and print without a site build."""

from __future__ import annotations

import argparse
import sys

from kbgen.commands import cards, check, export, new, stats, stories

COMMANDS = (check, new, stats, stories, cards, export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kbgen", description=__doc__)
    parser.add_argument(
        "--snippets", default="snippets", help="folder of entries (default: snippets)"
    )
    parser.add_argument(
        "--config", default="mkdocs.yml", help="the site's mkdocs.yml, for kbgen's settings"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
