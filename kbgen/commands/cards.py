"""`kbgen cards`: each card's PDF and the imposed print sheets, without a site build."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.cards.imposition import PAPERS
from kbgen.commands.common import load
from kbgen.export import ExportRefused, export_pages

if TYPE_CHECKING:
    import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    cards = commands.add_parser(
        "cards", help="write each card's PDF and imposed print sheets, without a site build"
    )
    cards.add_argument("--out", default="print", help="where to write (default: print)")
    cards.add_argument(
        "--paper",
        nargs="+",
        choices=sorted(PAPERS),
        default=sorted(PAPERS),
        help="paper sizes for the print sheets (default: all)",
    )
    cards.add_argument("--quiet", action="store_true", help="no progress lines")
    cards.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    handbook = load(args)
    if handbook is None:
        return 1
    if not handbook.cards:
        print("No cards: add one under snippets/cards/ (see docs/guide/contributing.md).")
        return 0
    from kbgen.cards.deck import print_files

    out_dir = Path(args.out)
    progress = (lambda step: print(f"  {step}", file=sys.stderr)) if not args.quiet else None
    try:
        result = export_pages(print_files(handbook, args.paper, progress), out_dir)
    except ExportRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in result.written:
        print(out_dir / path)
    return 0
