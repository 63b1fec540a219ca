"""`kbgen cards`: each card's PDF and the imposed print sheets, without a site build."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.cards.imposition import PAPERS
from kbgen.commands.common import open_project
from kbgen.export import ExportRefused, export_pages, refuse_target
from kbgen.problems import format_report

if TYPE_CHECKING:
    import argparse

DESCRIPTION = "Write each card's duplex PDF and imposed print sheets, without a site build."


def add_parser(commands: argparse._SubParsersAction) -> None:
    cards = commands.add_parser(
        "cards", help="write each card's PDF and print sheets", description=DESCRIPTION
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
    from kbgen import parallel
    from kbgen.build import build

    project = open_project(args)
    if project is None:
        return 2
    parallel.configure(None)  # no server threads here: big decks render on every core

    def show(line: str) -> None:
        if not args.quiet:
            print(f"  {line}", file=sys.stderr, flush=True)

    settings = dataclasses.replace(project.settings, card_papers=tuple(args.paper))
    result = build(settings, progress=show)
    if result.errors:
        print(format_report(result.errors), file=sys.stderr)
        return 1
    handbook = result.published
    if not handbook.cards:
        print("No cards: add one under snippets/cards/ (see docs/guide/contributing.md).")
        return 0
    from kbgen.build import card_deck

    out_dir = Path(args.out)
    refusal = refuse_target(out_dir, [settings.docs_dir, settings.snippets_dir])
    if refusal:
        print(f"kbgen cards: {refusal}; nothing written.", file=sys.stderr)
        return 2
    # the file names the site publishes them under, without the site's folder
    files = {
        address.rsplit("/", 1)[-1]: pdf
        for address, pdf in card_deck().print_files(result.deck).items()
    }
    try:
        written = export_pages(files, out_dir)
    except ExportRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in written.written:
        print(out_dir / path)
    return 0
