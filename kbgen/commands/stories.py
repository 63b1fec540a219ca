"""`kbgen stories`: the moderation queue, and approving or rejecting one story."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kbgen.commands.common import Progress, load

if TYPE_CHECKING:
    import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    stories = commands.add_parser(
        "stories", help="list stories by status with the checks' findings; approve or reject one"
    )
    actions = stories.add_subparsers(dest="action")
    stories.set_defaults(run=run, action="list")
    actions.add_parser("list", help="every story by status, with findings (the default)")
    approve = actions.add_parser("approve", help="publish a story (only its status line changes)")
    approve.add_argument("id", help="the story's id (its file name without .md)")
    approve.add_argument("--force", action="store_true", help="approve despite findings")
    reject = actions.add_parser("reject", help="keep a story off the site, with the reason")
    reject.add_argument("id", help="the story's id (its file name without .md)")
    reject.add_argument("--reason", required=True, help="why, for the agent who wrote it")


def run(args: argparse.Namespace) -> int:
    handbook = load(args, cards=False)
    if handbook is None:
        return 1
    from kbgen.stories.moderation import STATES, review_stories
    from kbgen.stories.status import set_status, status_value

    progress = Progress("checking stories", len(handbook.stories))
    reviews = {r.story.id: r for r in review_stories(handbook, progress)}
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
