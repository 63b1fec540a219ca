"""`kbgen export DIR`: the whole handbook as plain Markdown, buildable without kbgen."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.commands.common import open_project, run_build
from kbgen.export import ExportRefused, export_pages, refuse_target

if TYPE_CHECKING:
    import argparse

DESCRIPTION = (
    "Write every page (generated and hand-written), the card PDFs and the assets as plain "
    "Markdown into a folder that plain mkdocs-material builds without kbgen."
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write the whole handbook as plain Markdown into a folder",
        description=DESCRIPTION,
    )
    export.add_argument("folder", help="where to write (created if missing)")
    export.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out_dir = Path(args.folder)
    project = open_project(args)
    if project is None:
        return 2
    settings = project.settings
    refusal = refuse_target(out_dir, [settings.docs_dir, settings.snippets_dir])
    if refusal:
        print(f"kbgen export: {refusal}; nothing written.", file=sys.stderr)
        return 2
    result = run_build(args)
    if result is None:
        return 1
    contents = {**result.hand_written_pages(), **result.pages, **result.files}
    try:
        written = export_pages(contents, out_dir)
    except ExportRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Wrote {len(written.written)} files to {out_dir}", end="")
    print(f", removed {len(written.removed)} stale ones" if written.removed else "", end="")
    print(f"; kept {len(written.kept)} stale files edited since" if written.kept else "")
    return 0
