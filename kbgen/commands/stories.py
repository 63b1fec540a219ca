"""`kbgen stories`: the moderation queue, and approving or rejecting one story."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kbgen.build import build
from kbgen.commands.common import open_project
from kbgen.model.kinds import BY_NAME
from kbgen.problems import format_report

if TYPE_CHECKING:
    import argparse

DESCRIPTION = (
    "List stories by status with the checks' findings, or approve or reject one "
    "(only its status line changes)."
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    stories = commands.add_parser(
        "stories", help="the story moderation queue; approve or reject one", description=DESCRIPTION
    )
    actions = stories.add_subparsers(dest="action")
    stories.set_defaults(run=run, action="list")
    actions.add_parser(
        "list",
        help="every story by status, with findings (the default)",
        description="Every story by status, with the checks' findings.",
    )
    approve = actions.add_parser(
        "approve",
        help="publish a story (only its status line changes)",
        description="Publish a story: only its status line changes.",
    )
    approve.add_argument("id", help="the story's id (its file name without .md)")
    approve.add_argument("--force", action="store_true", help="approve despite findings")
    reject = actions.add_parser(
        "reject",
        help="keep a story off the site, with the reason",
        description="Keep a story off the site, with the reason: only its status line changes.",
    )
    reject.add_argument("id", help="the story's id (its file name without .md)")
    reject.add_argument("--reason", required=True, help="why, for the agent who wrote it")


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    if project is None:
        return 2

    def show(line: str) -> None:
        print(f"  {line}", file=sys.stderr, flush=True)

    result = build(project.settings, "content", progress=show)
    from kbgen.stories.moderation import STATES
    from kbgen.stories.status import set_status, status_value

    origins = result.loaded.origins
    if result.errors:
        print(format_report(result.errors), file=sys.stderr)
    reviews = {r.story.id: r for r in result.reviews}
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
                        f"    {origins.file_of(story)}:{finding.line}: {finding.category}: "
                        f"{finding.what}\n      fix: {finding.fix}"
                    )
        return 1 if result.errors else 0
    review = reviews.get(args.id)
    if review is None:
        folder = project.settings.snippets_dir / BY_NAME["story"].folder
        print(f"kbgen stories: no valid story '{args.id}' in {folder}/", file=sys.stderr)
        return 2
    origin = origins.of(review.story)
    if args.action == "approve":
        blocking = [f for f in review.findings if f.blocking]
        if blocking and not args.force:
            for finding in blocking:
                print(f"{origin.file}:{finding.line}: {finding.what}", file=sys.stderr)
            print(
                "kbgen stories: not approved: the story would still not be published.\n"
                "    fix: edit the file as shown, or reject it (--force approves anyway)",
                file=sys.stderr,
            )
            return 1
        set_status(origin.path, status_value("approved"))
        if blocking:
            print(
                f"warning: {origin.file} is approved but its findings keep it off the site; "
                "`kbgen check` and `mkdocs build --strict` fail until it is fixed or rejected",
                file=sys.stderr,
            )
    else:
        set_status(origin.path, status_value("rejected", args.reason))
    state = "approved" if args.action == "approve" else "rejected"
    print(f"{origin.file}: status is now {state}")
    return 0
