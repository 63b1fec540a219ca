"""The `kbgen` command: check entries and export pages without a site build."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kbgen.loading.loader import load_handbook
from kbgen.loading.problems import HandbookError


def _check(args: argparse.Namespace) -> int:
    try:
        handbook = load_handbook(Path(args.snippets))
    except HandbookError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"OK: {len(handbook.techniques)} techniques, {len(handbook.situations)} situations, "
        f"{len(handbook.sources)} sources, {sum(1 for _ in handbook.phrase_uses())} phrases"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kbgen", description=__doc__)
    parser.add_argument("--snippets", default="snippets", help="folder of entries (default: snippets)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every entry and report all problems")
    check.set_defaults(run=_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
