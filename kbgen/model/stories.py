"""Stories from the floor: agents' own calls, moderated before anything is published."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from kbgen.model.entries import Entry, EntryId, Line, Record, Reference

LESSON_MAX_CHARS = 140
"""A lesson is one line: it is what a listing shows under the story's title."""


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"


class Rejected(Record):
    """`status: {rejected: "why"}`, as older story files wrote it (now ignored)."""

    rejected: Line = Field(description="why the story is not published")


Status = Literal["submitted", "approved"] | Rejected
"""A story file's own say on its status. It is never trusted: a submitted file could call
itself approved. Approvals live in the stories folder's moderation.yml (kbgen/stories/ledger.py),
bound to the file's exact content."""


class StorySource(Record):
    """Where a tip was first shared, when it comes from an article's comments."""

    article: EntryId = Field(description="id of the source article")
    commenter: Line = Field(description="the commenter's handle, as the article shows it")


class Story(Entry):
    """One agent's call: what happened, what helped, how it ended and the lesson."""

    kind: ClassVar[str] = "story"
    author: Line = Field(description="the agent's handle, or 'anonymous'")
    date: dt.date = Field(description="when the call happened or the story was written, YYYY-MM-DD")
    channel: Channel = Field(description="phone, chat or email")
    situations: list[EntryId] = Field(default_factory=list, description="ids of situations")
    techniques: list[EntryId] = Field(min_length=1, description="ids of the techniques that helped")
    outcome: Line = Field(description="how the call ended, in one line")
    lesson: Line = Field(max_length=LESSON_MAX_CHARS, description="the lesson, in one line")
    status: Status = Field(
        default="submitted",
        description="ignored: `kbgen stories approve/reject` record decisions in moderation.yml",
    )
    source: StorySource | None = Field(default=None, description="article comment it comes from")
    example: bool = Field(default=False, description="true for an example written for the handbook")

    def references(self) -> list[Reference]:
        refs = [
            Reference(kind="technique", id=t, loc=("techniques", i))
            for i, t in enumerate(self.techniques)
        ]
        refs += [
            Reference(kind="situation", id=s, loc=("situations", i))
            for i, s in enumerate(self.situations)
        ]
        if self.source is not None:
            refs.append(Reference(kind="source", id=self.source.article, loc=("source", "article")))
        return refs
