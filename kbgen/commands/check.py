"""`kbgen check`: every problem in every entry, and the entries due for review."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kbgen.commands.common import load, plugin_options
from kbgen.freshness import overdue, overdue_report, reference_date

if TYPE_CHECKING:
    import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help="validate every entry and report all problems")
    check.add_argument(
        "--review-after-days",
        type=int,
        default=None,
        help="days a review stays valid (default: mkdocs.yml's review_after_days, or 180)",
    )
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    handbook = load(args)
    if handbook is None:
        return 1
    days = args.review_after_days or int(plugin_options(args.config).get("review_after_days", 180))
    items = overdue(handbook, days, reference_date())
    if items:
        print(
            f"warning: {len(items)} entries are past their review date ({days} days):\n"
            + overdue_report(items),
            file=sys.stderr,
        )
    print(
        f"OK: {len(handbook.techniques)} techniques, {len(handbook.situations)} situations, "
        f"{len(handbook.sources)} sources, {sum(1 for _ in handbook.phrase_uses())} phrases, "
        f"{len(handbook.cards)} cards, {len(handbook.stories)} stories"
    )
    return 0
