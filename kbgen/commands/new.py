"""`kbgen new KIND "Title"`: a new entry file with every field as a placeholder to fill in."""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import TYPE_CHECKING

from kbgen.commands.common import open_project
from kbgen.freshness import reference_date
from kbgen.loading.loader import PLACEHOLDER
from kbgen.model.entries import ID_PATTERN
from kbgen.model.kinds import BY_NAME, KINDS
from kbgen.problems import shown_path
from kbgen.templating import make_environment

if TYPE_CHECKING:
    import argparse

DESCRIPTION = (
    f"Start a new entry file with every field as a {PLACEHOLDER} placeholder and a comment "
    "saying what goes there; never overwrites a file."
)
SCAFFOLDS = sorted(kind.name for kind in KINDS if kind.scaffold)


def add_parser(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser(
        "new", help="start a new entry file to fill in", description=DESCRIPTION
    )
    new.add_argument("kind", choices=SCAFFOLDS, help="what kind of entry")
    new.add_argument("title", help='its title, like "Use the customer\'s name"')
    new.add_argument(
        "--id",
        help="the file name without .md: lower-case words joined by hyphens "
        "(default: made from the title)",
    )
    new.set_defaults(run=run)


def slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower().replace("'", "").replace("’", ""))
    return "-".join(words)[:60].strip("-")


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    if project is None:
        return 2
    entry_id = args.id if args.id is not None else slug(args.title)
    if not entry_id:
        print(
            "kbgen new: the title has no letters or digits for a file name; give --id",
            file=sys.stderr,
        )
        return 2
    if not ID_PATTERN.match(entry_id):
        print(
            f"kbgen new: '{entry_id}' cannot be an id; nothing written.\n"
            "    fix: use lower-case letters and digits joined by hyphens, like 'use-their-name'",
            file=sys.stderr,
        )
        return 2
    folder = project.settings.snippets_dir / BY_NAME[args.kind].folder
    path = folder / f"{entry_id}.md"
    if path.exists() or path.is_symlink():
        print(
            f"kbgen new: {path} already exists; nothing written.\n"
            "    fix: edit that file, or choose another title or --id",
            file=sys.stderr,
        )
        return 1
    text = (
        make_environment()
        .get_template(f"new/{args.kind}.md.j2")
        .render(title=args.title, today=reference_date().isoformat(), todo=PLACEHOLDER)
    )
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:  # "x": never replace a file
        stream.write(text)
    shown = shown_path(path, project.settings.root)
    print(f"{shown}: fill in every {PLACEHOLDER}; `kbgen check` lists those left")
    return 0
