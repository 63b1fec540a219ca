"""`kbgen feedback`: the pages agents said did not help, with their comments, from the inbox."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kbgen.problems import plural

if TYPE_CHECKING:
    import argparse

DESCRIPTION = (
    "Technique and situation pages by 'Did this help? No' votes, most first, with the votes "
    "for them and every comment. Reads the inbox's database, or the running inbox with the "
    "trainer token."
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    from kbgen.inbox.sources import add_options

    feedback = commands.add_parser(
        "feedback", help="pages agents said did not help, from the inbox", description=DESCRIPTION
    )
    add_options(feedback)
    feedback.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kbgen.commands.search_gaps import loaded_handbook
    from kbgen.inbox.reports import feedback
    from kbgen.inbox.sources import SourceError, open_source

    try:
        votes = open_source(args).votes()
    except SourceError as exc:
        print(f"kbgen feedback: {exc}", file=sys.stderr)
        return 2
    if not votes:
        print("No votes recorded yet.")
        return 0
    pages = feedback(votes)
    handbook = loaded_handbook(args)
    print(
        f"Votes from {votes[0].day} to {max(v.day for v in votes)}: "
        f"{plural(len(votes), 'vote')} on {plural(len(pages), 'page')}."
    )
    print(f"\n  {'no':>4}  {'yes':>4}  page")
    for page in pages:
        kind, _, entry_id = page.page.partition("/")
        entries = getattr(handbook, f"{kind}s", {}) if handbook else {}
        title = f"  ({entries[entry_id].title})" if entry_id in entries else ""
        print(f"  {page.not_helped:>4}  {page.helped:>4}  {page.page}{title}")
        for vote in page.comments:
            answer = "yes" if vote.helped else "no"
            print(f"          {vote.day} ({answer}): {vote.comment!r}")
    return 0
