"""`kbgen stories`: the moderation queue, and approving or rejecting one story."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.build import build
from kbgen.commands.common import open_project
from kbgen.inbox.sources import add_options as add_inbox_options
from kbgen.model.kinds import BY_NAME
from kbgen.problems import format_report, shown_path

if TYPE_CHECKING:
    import argparse

    from kbgen.build import BuildResult
    from kbgen.model.stories import Story
    from kbgen.stories.checks import Finding
    from kbgen.stories.moderation import Review

DESCRIPTION = (
    "List stories by status with the checks' findings, or approve or reject one: the decision "
    "is recorded in the stories folder's moderation.yml, bound to the story's exact content."
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
        help="publish a story, in its current version",
        description="Publish a story, exactly as its file reads now: editing it later sends it "
        "back to the queue.",
    )
    approve.add_argument("id", help="the story's id (its file name without .md)")
    approve.add_argument(
        "--accept-finding",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="publish despite finding N (as numbered by `kbgen stories`), once you have "
        "checked it is not personal data; repeat for each finding",
    )
    approve.add_argument(
        "--force",
        action="store_true",
        help="record the approval despite findings (they still keep the story off the site)",
    )
    reject = actions.add_parser(
        "reject",
        help="keep a story off the site, with the reason",
        description="Keep a story off the site, with the reason. Works on a story whose file "
        "cannot be read, too.",
    )
    reject.add_argument("id", help="the story's id (its file name without .md)")
    reject.add_argument("--reason", required=True, help="why, for the agent who wrote it")
    pull = actions.add_parser(
        "pull",
        help="write the inbox's new stories into the stories folder, to wait for review",
        description="Write each story agents sent to the inbox as a new file in the stories "
        "folder (never over a file; the id is made from the title), where it waits for review "
        "like any story, and mark it pulled in the inbox.",
    )
    add_inbox_options(pull)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    if project is None:
        return 2
    if args.action == "pull":
        from kbgen.inbox.pull_command import pull

        return pull(args, project.settings)

    def show(line: str) -> None:
        print(f"  {line}", file=sys.stderr, flush=True)

    result = build(project.settings, "content", progress=show)
    if args.action == "list":
        return _list(result)
    return _decide(result, args)


def _list(result: BuildResult) -> int:
    from kbgen.stories.moderation import STATES
    from kbgen.stories.where import story_line

    origins = result.loaded.origins
    for state in STATES:
        group = [r for r in result.reviews if r.state == state]
        print(f"{state} ({len(group)})")
        for review in group:
            story = review.story
            shown = "published" if review.published else "not published"
            reason = f" (reason: {review.rejection_reason})" if review.rejection_reason else ""
            again = " (changed since the last decision)" if review.changed else ""
            print(f"  {story.id}  {story.date}  {story.channel.value}  {shown}{reason}{again}")
            origin = origins.of(story)
            for number, finding in enumerate(review.findings, 1):
                line = story_line(origin, finding)
                where = f"{origin.file}:{line}" if line else origin.file
                print(
                    f"    [{number}] {where}: {finding.category}: {finding.what} in the "
                    f"{finding.field}\n"
                    f"      {highlighted(story, finding)}\n"
                    f"      fix: {finding.fix}"
                    + (
                        f"; or, if it is not personal data, `kbgen stories approve {story.id} "
                        f"--accept-finding {number}`"
                        if finding.blocking and finding.acceptable
                        else ""
                    )
                )
    left_out = [p for p in result.problems if p.message.startswith("story left out")]
    print(f"left out, cannot be read or checked ({len(left_out)})")
    for problem in left_out:
        print(f"  {problem}")
    return 0


def _decide(result: BuildResult, args: argparse.Namespace) -> int:
    from kbgen.stories.checks import ACCEPTED
    from kbgen.stories.ledger import Decision, content_hash, record, today

    folder = result.settings.snippets_dir / BY_NAME["story"].folder
    path = _story_file(result, folder, args.id)
    if path is None:
        print(f"kbgen stories: no story '{args.id}' in {folder}/", file=sys.stderr)
        return 2
    raw = path.read_bytes()
    review = next((r for r in result.reviews if r.story.id == args.id), None)
    shown = Path(shown_path(path, result.settings.root))
    if args.action == "approve":
        if review is None:
            problems = [p for p in result.problems if p.file == shown.as_posix()]
            print(format_report(problems) if problems else "", file=sys.stderr)
            print(
                "kbgen stories: not approved: the story cannot be read or checked.\n"
                "    fix: correct the file as shown, or reject it",
                file=sys.stderr,
            )
            return 1
        accepted, problem = _accepted(review, args.accept_finding)
        if problem:
            print(f"{shown}: {problem}", file=sys.stderr)
            return 2
        # what an approval of this very version accepted stays accepted
        accepted |= {f.key for f in review.findings if f.category == ACCEPTED}
        numbered = list(enumerate(review.findings, 1))
        blocking = [(n, f) for n, f in numbered if f.blocking and f.key not in accepted]
        if blocking and not args.force:
            for number, finding in blocking:
                print(
                    f"{shown}: {finding.what} in the {finding.field}\n"
                    f"    [{number}] {highlighted(review.story, finding)}",
                    file=sys.stderr,
                )
            overridable = [str(n) for n, f in blocking if f.acceptable]
            hint = (
                " or, once you have checked a finding is not personal data, name it: "
                + " ".join(f"--accept-finding {n}" for n in overridable)
                if overridable
                else ""
            )
            print(
                "kbgen stories: not approved: the story would still not be published.\n"
                f"    fix: edit the file as shown, or reject it;{hint}",
                file=sys.stderr,
            )
            return 1
        record(
            folder,
            args.id,
            Decision("approved", content_hash(raw), today(), accepted=tuple(sorted(accepted))),
        )
        for number, finding in numbered:
            if finding.key in accepted:
                print(
                    f"{shown}: finding [{number}] accepted: {finding.what} in the "
                    f"{finding.field} will be published",
                    file=sys.stderr,
                )
        if blocking:
            print(
                f"warning: {shown} is approved but its findings keep it off the site; "
                "`kbgen check` and `mkdocs build --strict` fail until it is fixed or rejected",
                file=sys.stderr,
            )
    else:
        record(folder, args.id, Decision("rejected", content_hash(raw), today(), args.reason))
    state = "approved" if args.action == "approve" else "rejected"
    print(f"{shown}: {state}, as the file reads now (recorded in {folder.name}/moderation.yml)")
    return 0


def _accepted(review: Review, numbers: list[int]) -> tuple[set[str], str | None]:
    """The keys of the findings named by number, or the problem with a number."""
    findings = review.findings
    keys: set[str] = set()
    for number in numbers:
        if not 1 <= number <= len(findings):
            shown = f"its findings are numbered 1 to {len(findings)}" if findings else "it has none"
            return set(), f"no finding [{number}]: {shown} (see `kbgen stories`)"
        finding = findings[number - 1]
        if not finding.acceptable:
            return set(), (
                f"finding [{number}] ({finding.category}: {finding.what}) cannot be accepted: "
                "only personal data a trainer has checked can be; edit the file or reject it"
            )
        keys.add(finding.key)
    return keys, None


CONTEXT = 30
"""Characters shown either side of a finding in `kbgen stories`."""


def highlighted(story: Story, finding: Finding) -> str:
    """The finding's span in its field, between ⟦ ⟧, with a little text either side, on one
    line (what a trainer needs to decide; the listing is for trainers only)."""
    from kbgen.stories.render import written_fields

    text = written_fields(story).get(finding.field, "")
    start, end = finding.start, finding.end if finding.end >= 0 else finding.start
    if not 0 <= start <= end <= len(text):
        return f"⟦{finding.excerpt[:60]}⟧"
    before = text[max(start - CONTEXT, 0) : start]
    after = text[end : end + CONTEXT]
    parts = [before, "⟦", text[start:end][:80], "⟧", after]
    return "".join(_printable(p) for p in parts)


def _printable(text: str) -> str:
    """Control characters escaped: a story's text never moves the terminal's cursor."""
    return "".join(c if c.isprintable() or c == "⟦" else repr(c)[1:-1] for c in text)


def _story_file(result: BuildResult, folder: Path, story_id: str) -> Path | None:
    """The story's file, valid or not (a story that cannot be read can still be rejected)."""
    origins = result.loaded.origins.by_entry.get(("story", story_id))
    if origins:
        return origins[0].path
    candidates = [p for p in folder.rglob(f"{story_id}.md") if p.is_file()]
    return candidates[0] if candidates else None
