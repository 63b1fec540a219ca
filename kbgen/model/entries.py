"""The handbook's entry kinds as typed, validated records (no MkDocs, no YAML in here)."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:
    from kbgen.model.handbook import Handbook

SUMMARY_MAX_CHARS = 100
"""A summary is printed as one step on a desk card; longer text would not fit at 12 pt."""

QUOTE_MAX_WORDS = 40
"""Quotes from the articles stay short: we paraphrase, we do not copy."""

SAY_NOW_MAX = 3
"""A situation's first screen holds two or three phrases to say: more, and none stands out."""

DONT_SAY_MAX = 2

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
EntryId = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]


class Stage(StrEnum):
    """The stages of a call, in the order they happen."""

    OPENING = "opening"
    VENTING = "venting"
    SOLVING = "solving"
    CLOSING = "closing"
    AFTER = "after"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.OPENING: "Before & opening",
    Stage.VENTING: "Venting",
    Stage.SOLVING: "Solving",
    Stage.CLOSING: "Closing",
    Stage.AFTER: "After the call",
}


class Record(BaseModel):
    """Base of every front-matter record: unknown fields are mistakes, not extras."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Phrase(Record):
    """Something an agent can say (or must not say), with where it comes from."""

    text: Line = Field(description="the words, as an agent would say or type them")
    source: EntryId | None = Field(
        default=None, description="id of the article it comes from; leave out for house guidance"
    )
    quoted: bool = Field(
        default=False, description="true when the article prints these exact words"
    )
    note: str | None = Field(default=None, description="when or why to use it (optional)")

    @model_validator(mode="after")
    def _quoted_needs_source(self) -> Phrase:
        if self.quoted and self.source is None:
            raise ValueError("a phrase marked 'quoted: true' needs the 'source' it is quoted from")
        return self


class SourceRef(Record):
    """Support for an entry from one article: a short quote or our paraphrase of it."""

    source: EntryId = Field(description="id of a file in snippets/sources/")
    quote: str | None = Field(default=None, description="a short verbatim quote")
    paraphrase: str | None = Field(default=None, description="the article's point in our words")

    @model_validator(mode="after")
    def _quote_or_paraphrase(self) -> SourceRef:
        if not (self.quote or self.paraphrase):
            raise ValueError("give a short 'quote' or a 'paraphrase' of what the article says")
        if self.quote and len(self.quote.split()) > QUOTE_MAX_WORDS:
            raise ValueError(
                f"the quote has {len(self.quote.split())} words; keep quotes to "
                f"{QUOTE_MAX_WORDS} words or fewer and paraphrase the rest"
            )
        return self


class Caution(Record):
    """Advice from an article that today's practice doubts, and what we say instead."""

    source: EntryId = Field(description="id of the article whose advice is doubtful")
    text: Line = Field(description="what the article says, why it is doubtful, what to do instead")


class Entry(Record):
    """Fields every entry kind shares. `id` comes from the file name, never from front matter."""

    kind: ClassVar[str]
    id: EntryId
    title: Line = Field(description="the page title, in the words an agent would use")
    body: str = ""

    def references(self) -> list[Reference]:
        """Every id this entry points at, with where in the file it is written."""
        return []

    def cross_check(self, handbook: Handbook) -> list[tuple[tuple[str | int, ...], str, str]]:
        """Problems only visible against the whole handbook: (field path, message, fix)."""
        return []


class HistoryItem(Record):
    """One change to an entry, as What's new tells agents about it."""

    date: dt.date = Field(description="when it changed, YYYY-MM-DD")
    what: Line = Field(description="what changed, in a few words an agent understands")


class ReviewedEntry(Entry):
    """Advice a trainer owns and reviews: the handbook shows when and by whom, and flags it
    when the review is older than the handbook's freshness period."""

    reviewed: dt.date = Field(description="when the entry was last reviewed, YYYY-MM-DD")
    owner: Line = Field(description="who keeps the entry up to date (a trainer or a team)")
    added: dt.date | None = Field(default=None, description="when the entry was first added")
    history: list[HistoryItem] = Field(
        default_factory=list,
        description="what changed and when ({date, what}), shown on What's new",
    )

    @property
    def changed(self) -> dt.date:
        """The entry's own date for 'What's new': its last review, or when it was added."""
        return max(d for d in (self.reviewed, self.added) if d is not None)


class Reference(BaseModel):
    """A pointer from one entry to another, kept with its field path for error lines."""

    kind: str
    id: str
    loc: tuple[str | int, ...]


def _summary_field() -> object:
    return Field(
        description=f"one line, at most {SUMMARY_MAX_CHARS} characters, that fits on a card",
        max_length=SUMMARY_MAX_CHARS,
    )


class Source(Entry):
    """One source article."""

    kind: ClassVar[str] = "source"
    summary: Line = _summary_field()  # type: ignore[assignment]
    publisher: str | None = Field(
        default=None, description="site or publisher, if the article names it"
    )
    date: dt.date | None = Field(default=None, description="publication date, YYYY-MM-DD, if given")
    author: str | None = Field(default=None, description="author or editor, if given")
    url: str | None = Field(default=None, description="address of the original, if known")
    archive_copy: str | None = Field(
        default=None, description="file name of the stored copy the entries were checked against"
    )


class Technique(ReviewedEntry):
    """One piece of advice: what to do, why, how, what to say and what not to say."""

    kind: ClassVar[str] = "technique"
    summary: Line = _summary_field()  # type: ignore[assignment]
    stages: list[Stage] = Field(min_length=1, description="call stages it belongs to")
    order: int = Field(default=100, description="position within its stage (lower comes first)")
    aliases: list[Line] = Field(default_factory=list, description="words agents use for it")
    say: list[Phrase] = Field(default_factory=list, description="phrases to use")
    avoid: list[Phrase] = Field(default_factory=list, description="phrases not to use")
    related: list[EntryId] = Field(default_factory=list, description="ids of related techniques")
    sources: list[SourceRef] = Field(default_factory=list, description="articles that support it")
    house_guidance: bool = Field(
        default=False,
        description="true when the technique comes from common practice, not an article",
    )
    house_notes: list[Line] = Field(
        default_factory=list,
        description="advice we add from common practice (shown as house guidance)",
    )
    cautions: list[Caution] = Field(
        default_factory=list, description="article advice that today's practice doubts"
    )

    REQUIRED_HEADINGS: ClassVar[tuple[str, ...]] = ("## Why", "## How")

    @field_validator("body")
    @classmethod
    def _body_has_why_and_how(cls, body: str) -> str:
        missing = [h for h in cls.REQUIRED_HEADINGS if not _has_heading(body, h)]
        if missing:
            raise ValueError(
                "the body needs the sections " + " and ".join(f"'{h} …'" for h in missing)
            )
        return body

    @model_validator(mode="after")
    def _sourced_or_house(self) -> Technique:
        if not self.sources and not self.house_guidance:
            raise ValueError(
                "a technique needs 'sources' (the articles that support it), "
                "or 'house_guidance: true' when it comes from common practice"
            )
        return self

    def references(self) -> list[Reference]:
        refs = [
            Reference(kind="technique", id=r, loc=("related", i))
            for i, r in enumerate(self.related)
        ]
        refs += _source_refs(self.sources, "sources")
        refs += _phrase_refs(self.say, ("say",)) + _phrase_refs(self.avoid, ("avoid",))
        refs += [
            Reference(kind="source", id=c.source, loc=("cautions", i, "source"))
            for i, c in enumerate(self.cautions)
        ]
        return refs


class SituationStep(Record):
    """One step of a situation: a technique, with what to do and say in this situation."""

    technique: EntryId = Field(description="id of the technique to use at this step")
    note: str | None = Field(default=None, description="how this technique applies here")
    say: list[Phrase] = Field(default_factory=list, description="phrases for this step")
    avoid: list[Phrase] = Field(default_factory=list, description="phrases not to use here")


class Situation(ReviewedEntry):
    """Something an agent recognises mid-call: what to say now, what never to say, then the
    techniques to use in order, and when to hand over."""

    kind: ClassVar[str] = "situation"
    summary: Line = _summary_field()  # type: ignore[assignment]
    order: int = Field(default=100, description="position on the home page (lower comes first)")
    aliases: list[Line] = Field(default_factory=list, description="words agents use for it")
    say_now: list[Phrase] = Field(
        default_factory=list,
        max_length=SAY_NOW_MAX,
        description=f"the phrases for this moment, at most {SAY_NOW_MAX}, first on the page "
        "(default: the first phrases of the steps)",
    )
    dont_say: list[Phrase] = Field(
        default_factory=list,
        max_length=DONT_SAY_MAX,
        description=f"at most {DONT_SAY_MAX} phrases that make it worse, right under 'say now'",
    )
    safety: bool = Field(
        default=False,
        description="true when the situation has an abuse or safety side: the warning words and "
        "when to hand over go on the first screen",
    )
    warning: Phrase | None = Field(
        default=None, description="the words that warn the caller (with safety: true)"
    )
    safeguarding: bool = Field(
        default=False,
        description="true when the caller may be at risk (with safety: true): the first screen "
        "shows the centre's safeguarding procedure and phone (plugin options safeguarding_url, "
        "safeguarding_phone)",
    )
    recognise: list[Line] = Field(min_length=1, description="signs that this is happening")
    steps: list[SituationStep] = Field(min_length=1, description="techniques to use, in order")
    handover: Line = Field(description="when and how to hand the call to a manager")
    see_also: list[EntryId] = Field(
        default_factory=list, description="ids of situations to turn to from this one"
    )
    sources: list[SourceRef] = Field(default_factory=list, description="articles that support it")

    @model_validator(mode="after")
    def _safeguarding_is_a_safety_side(self) -> Situation:
        if self.safeguarding and not self.safety:
            raise ValueError(
                "'safeguarding: true' needs 'safety: true' too: the procedure for callers at "
                "risk goes on the first screen, with when to hand over"
            )
        return self

    def references(self) -> list[Reference]:
        refs: list[Reference] = []
        for i, step in enumerate(self.steps):
            refs.append(
                Reference(kind="technique", id=step.technique, loc=("steps", i, "technique"))
            )
            refs += _phrase_refs(step.say, ("steps", i, "say"))
            refs += _phrase_refs(step.avoid, ("steps", i, "avoid"))
        refs += _phrase_refs(self.say_now, ("say_now",))
        refs += _phrase_refs(self.dont_say, ("dont_say",))
        if self.warning is not None:
            refs += _phrase_refs([self.warning], ("warning",))
        refs += [
            Reference(kind="situation", id=other, loc=("see_also", i))
            for i, other in enumerate(self.see_also)
        ]
        return refs + _source_refs(self.sources, "sources")


def _has_heading(body: str, heading: str) -> bool:
    return any(line.strip().startswith(heading) for line in body.splitlines())


def _source_refs(refs: list[SourceRef], field: str) -> list[Reference]:
    return [
        Reference(kind="source", id=r.source, loc=(field, i, "source")) for i, r in enumerate(refs)
    ]


def _phrase_refs(phrases: list[Phrase], loc: tuple[str | int, ...]) -> list[Reference]:
    return [
        Reference(kind="source", id=p.source, loc=(*loc, i, "source"))
        for i, p in enumerate(phrases)
        if p.source is not None
    ]
