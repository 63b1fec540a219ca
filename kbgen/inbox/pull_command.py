"""`kbgen stories pull`: the inbox's new stories into snippets/stories/, each marked pulled."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kbgen.inbox.pull import StoryWriter
from kbgen.inbox.sources import SourceError, open_source
from kbgen.model.kinds import BY_NAME
from kbgen.problems import plural, shown_path

if TYPE_CHECKING:
    import argparse

    from kbgen.build import Settings


def pull(args: argparse.Namespace, settings: Settings) -> int:
    folder = settings.snippets_dir / BY_NAME["story"].folder
    try:
        source = open_source(args)
        stories = source.stories()
    except SourceError as exc:
        print(f"kbgen stories pull: {exc}", file=sys.stderr)
        return 2
    writer = StoryWriter(folder)
    written = 0
    for story in stories:
        pulled = writer.write(story)
        shown = shown_path(pulled.path, settings.root)
        try:
            source.mark_pulled(story.receipt, pulled.story_id)
        except SourceError as exc:
            print(
                f"{shown}: written, but not marked pulled in the inbox ({exc}); the next pull "
                "finds the file by its receipt and marks it",
                file=sys.stderr,
            )
            return 1
        if pulled.written:
            written += 1
            print(f"{shown}: from the inbox, receipt {story.receipt}")
        else:
            print(f"{shown}: already written for receipt {story.receipt}; marked pulled")
    if not stories:
        print("No new stories in the inbox.")
    else:
        they = "it waits" if written == 1 else "they wait"
        print(
            f"{plural(written, 'story', 'stories')} written; {they} for review: "
            "'kbgen stories' lists them, 'kbgen stories approve ID' publishes one"
        )
    return 0
