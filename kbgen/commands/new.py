"""`kbgen new KIND "Title"`: a new entry file with every field as a placeholder to fill in."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.freshness import reference_date
from kbgen.loading.kinds import KINDS
from kbgen.render.environment import make_environment

if TYPE_CHECKING:
    import argparse

SCAFFOLDS = {
    "technique": "techniques",
    "situation": "situations",
    "card": "cards",
    "story": "stories",
}


def add_parser(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help="write a new entry file to fill in (never overwrites)")
    new.add_argument("kind", choices=sorted(SCAFFOLDS), help="what kind of entry")
    new.add_argument("title", help='its title, like "Use the customer\'s name"')
    new.add_argument("--id", help="the file name without .md (default: made from the title)")
    new.set_defaults(run=run)


def slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower().replace("'", ""))
    return "-".join(words)[:60].strip("-")


def run(args: argparse.Namespace) -> int:
    folder = SCAFFOLDS[args.kind]
    assert folder in KINDS
    entry_id = args.id or slug(args.title)
    if not entry_id:
        print(
            "kbgen new: the title has no letters or digits for a file name; give --id",
            file=sys.stderr,
        )
        return 2
    path = Path(args.snippets) / folder / f"{entry_id}.md"
    if path.exists():
        print(
            f"kbgen new: {path} already exists; nothing written.\n"
            "    fix: edit that file, or choose another title or --id",
            file=sys.stderr,
        )
        return 1
    text = (
        make_environment()
        .get_template(f"new/{args.kind}.md.j2")
        .render(title=args.title, today=reference_date().isoformat())
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:  # "x": never replace a file
        stream.write(text)
    print(f"{path}: fill in every TODO; `kbgen check` lists those left")
    return 0
