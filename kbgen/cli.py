"""The `kbgen` command: check entries and export pages without a site build."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.cards.imposition import PAPERS
from kbgen.export import ExportRefused, export_pages
from kbgen.loading.loader import load_handbook
from kbgen.loading.problems import HandbookError
from kbgen.render.pages import RenderOptions, asset_files, render_pages

if TYPE_CHECKING:
    from kbgen.model.handbook import Handbook


def _load(args: argparse.Namespace, cards: bool = True) -> Handbook | None:
    """The checked handbook (cards included), or None after printing every problem."""
    try:
        handbook = load_handbook(Path(args.snippets))
        problems = []
        if cards and handbook.cards:
            from kbgen.cards.deck import deck_problems  # WeasyPrint is slow to import

            problems = deck_problems(handbook)
        if problems:
            raise HandbookError(problems)
    except HandbookError as exc:
        print(exc, file=sys.stderr)
        return None
    return handbook


def _check(args: argparse.Namespace) -> int:
    handbook = _load(args)
    if handbook is None:
        return 1
    print(
        f"OK: {len(handbook.techniques)} techniques, {len(handbook.situations)} situations, "
        f"{len(handbook.sources)} sources, {sum(1 for _ in handbook.phrase_uses())} phrases, "
        f"{len(handbook.cards)} cards, {len(handbook.stories)} stories"
    )
    return 0


def _cards(args: argparse.Namespace) -> int:
    handbook = _load(args)
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


def _export(args: argparse.Namespace) -> int:
    out_dir = Path(args.folder)
    if out_dir.resolve() == Path(args.docs_dir).resolve() and not args.into_docs:
        print(
            f"kbgen export: {out_dir} is the docs folder of hand-written pages; nothing written.\n"
            "    fix: name another folder, or add --into-docs if you really mean it",
            file=sys.stderr,
        )
        return 2
    handbook = _load(args, cards=False)
    if handbook is None:
        return 1
    options = RenderOptions(use_directory_urls=not args.no_directory_urls)
    try:
        result = export_pages({**render_pages(handbook, options), **asset_files()}, out_dir)
    except ExportRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Wrote {len(result.written)} files to {out_dir}", end="")
    print(f", removed {len(result.removed)} stale ones" if result.removed else "", end="")
    print(f"; kept {len(result.kept)} stale files edited since" if result.kept else "")
    return 0


def _stories(args: argparse.Namespace) -> int:
    handbook = _load(args, cards=False)
    if handbook is None:
        return 1
    from kbgen.stories.moderation import STATES, review_stories
    from kbgen.stories.status import set_status, status_value

    reviews = {r.story.id: r for r in review_stories(handbook)}
    if args.action == "list":
        for state in STATES:
            group = [r for r in reviews.values() if r.story.state == state]
            print(f"{state} ({len(group)})")
            for review in group:
                story = review.story
                shown = "published" if review.published else "not published"
                reason = f" (reason: {story.rejection_reason})" if story.rejection_reason else ""
                print(f"  {story.id}  {story.date}  {story.channel.value}  {shown}{reason}")
                for finding in review.findings:
                    print(
                        f"    {story.source_file}:{finding.line}: {finding.category}: "
                        f"{finding.what}\n      fix: {finding.fix}"
                    )
        return 0
    review = reviews.get(args.id)
    if review is None:
        print(f"kbgen stories: no story '{args.id}' in {args.snippets}/stories/", file=sys.stderr)
        return 2
    if args.action == "approve":
        blocking = [f for f in review.findings if f.blocking]
        if blocking and not args.force:
            for finding in blocking:
                print(f"{review.story.source_file}:{finding.line}: {finding.what}", file=sys.stderr)
            print(
                "kbgen stories: not approved: the story would still not be published.\n"
                "    fix: edit the file as shown, or reject it (--force approves anyway)",
                file=sys.stderr,
            )
            return 1
        set_status(review.story.source_path, status_value("approved"))
    else:
        set_status(review.story.source_path, status_value("rejected", args.reason))
    state = "approved" if args.action == "approve" else "rejected"
    print(f"{review.story.source_file}: status is now {state}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kbgen", description=__doc__)
    parser.add_argument(
        "--snippets", default="snippets", help="folder of entries (default: snippets)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every entry and report all problems")
    check.set_defaults(run=_check)
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
        help="for sites built with use_directory_urls: false (affects the home page diagram)",
    )
    export.set_defaults(run=_export)
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
    cards.set_defaults(run=_cards)
    stories = commands.add_parser(
        "stories", help="list stories by status with the checks' findings; approve or reject one"
    )
    actions = stories.add_subparsers(dest="action")
    stories.set_defaults(run=_stories, action="list")
    actions.add_parser("list", help="every story by status, with findings (the default)")
    approve = actions.add_parser("approve", help="publish a story (only its status line changes)")
    approve.add_argument("id", help="the story's id (its file name without .md)")
    approve.add_argument("--force", action="store_true", help="approve despite findings")
    reject = actions.add_parser("reject", help="keep a story off the site, with the reason")
    reject.add_argument("id", help="the story's id (its file name without .md)")
    reject.add_argument("--reason", required=True, help="why, for the agent who wrote it")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
