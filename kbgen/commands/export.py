"""`kbgen export DIR`: the generated pages as plain Markdown, for any MkDocs-like builder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.commands.common import load
from kbgen.export import ExportRefused, export_pages
from kbgen.render.pages import RenderOptions, asset_files, render_pages

if TYPE_CHECKING:
    import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export", help="write the generated pages as plain Markdown into a folder"
    )
    export.add_argument("folder", help="where to write (created if missing)")
    export.add_argument("--docs-dir", default="docs", help="the hand-written docs folder (refused)")
    export.add_argument(
        "--into-docs", action="store_true", help="allow writing into the docs folder"
    )
    export.add_argument(
        "--no-directory-urls",
        action="store_true",
        help="for sites built with use_directory_urls: false (affects links in raw HTML)",
    )
    export.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out_dir = Path(args.folder)
    if out_dir.resolve() == Path(args.docs_dir).resolve() and not args.into_docs:
        print(
            f"kbgen export: {out_dir} is the docs folder of hand-written pages; nothing written.\n"
            "    fix: name another folder, or add --into-docs if you really mean it",
            file=sys.stderr,
        )
        return 2
    handbook = load(args, cards=False)
    if handbook is None:
        return 1
    from kbgen.stories.moderation import published_only, review_stories

    shown = published_only(handbook, review_stories(handbook))
    options = RenderOptions(use_directory_urls=not args.no_directory_urls)
    try:
        result = export_pages({**render_pages(shown, options), **asset_files()}, out_dir)
    except ExportRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Wrote {len(result.written)} files to {out_dir}", end="")
    print(f", removed {len(result.removed)} stale ones" if result.removed else "", end="")
    print(f"; kept {len(result.kept)} stale files edited since" if result.kept else "")
    return 0
