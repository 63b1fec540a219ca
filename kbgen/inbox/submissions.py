"""What agents send, read and checked as the build would: a story becomes a validated `Story`
and passes `check_story`; a search query or a comment with personal data never gets stored.

Nothing here knows HTTP: each function takes the decoded JSON and returns what to store, or
raises `Invalid` with every problem an agent can fix, each at its form field, all at once:
the shape of the request (contract.py's models) and the story checks of every field whose
shape is right.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from kbgen.inbox.contract import (
    SUBMISSION_KEY,
    CommentIn,
    KeptStory,
    OpenedIn,
    PulledIn,
    SearchIn,
    StoryIn,
    VoteIn,
    Wire,
)
from kbgen.inbox.problems import FieldProblem, Invalid, explain
from kbgen.model.stories import Story
from kbgen.stories.checks import BLOCKING, check_fields
from kbgen.stories.moderation import check_story

if TYPE_CHECKING:
    from collections.abc import Iterable

W = TypeVar("W", bound=Wire)
STORY_TEXT = ("title", "author", "outcome", "lesson", "body")


@dataclass(frozen=True)
class KnownIds:
    """The handbook's technique and situation ids, when the inbox knows the project."""

    techniques: frozenset[str]
    situations: frozenset[str]


def _object(payload: object) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise Invalid([FieldProblem(None, "the request is not a JSON object", "send an object")])
    return dict(payload)


def _shape(model: type[W], payload: object) -> tuple[W | None, list[FieldProblem]]:
    """The request as its model, or None and every field's problem."""
    try:
        return model.model_validate(_object(payload)), []
    except ValidationError as exc:
        return None, explain(exc, model)


def _valid(model: type[W], payload: object) -> W:
    found, problems = _shape(model, payload)
    if found is None:
        raise Invalid(problems)
    return found


def _sound(data: dict[str, Any], problems: Iterable[FieldProblem]) -> dict[str, Any]:
    """The fields whose shape is right (text trimmed, as the model trims it)."""
    bad = {p.field for p in problems}
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in data.items()
        if name not in bad
    }


def _findings(fields: dict[str, str]) -> list[FieldProblem]:
    """The story checks' blocking findings in these fields (a comment is not told it says
    too little about a call: that finding is the story's, not a field's)."""
    return [
        FieldProblem(f.field, f.what, f.fix, f.category)
        for f in check_fields(fields)
        if f.category in BLOCKING and f.field in fields
    ]


# --- stories ----------------------------------------------------------------------------


def story_from(
    payload: object, known: KnownIds | None = None, header_key: str | None = None
) -> tuple[dict[str, Any], str | None]:
    """The story's fields to keep, and the client's key for it (the body's `submission` or
    the Idempotency-Key header; None: none given); raises `Invalid` with every problem."""
    data = _object(payload)
    sent, problems = _shape(StoryIn, data)
    sound = _sound(data, problems)
    key, key_problems = _key(sound.get("submission"), header_key, "submission" in sound)
    ids = {name: sound.get(name) or [] for name in ("techniques", "situations")}
    problems += key_problems + _unknown_ids(ids, known)
    if sent is None:  # the checks of the fields that are right, so all is said at once
        texts = {name: sound[name] for name in STORY_TEXT if sound.get(name)}
        raise Invalid(problems + _findings(texts))
    story = Story.model_validate(
        {
            **sent.model_dump(exclude={"submission"}),
            "author": sent.author or "anonymous",  # as the form writes an empty name
            "id": "inbox-story",
            "date": dt.date.today(),
        }
    )
    problems += [
        FieldProblem(f.field, f.what, f.fix, f.category)
        for f in check_story(story)
        if f.category in BLOCKING
    ]
    if problems:
        raise Invalid(problems)
    kept = KeptStory(
        title=story.title,
        author=story.author,
        channel=story.channel,
        situations=list(story.situations),
        techniques=list(story.techniques),
        outcome=story.outcome,
        lesson=story.lesson,
        body=story.body.replace("\r\n", "\n").replace("\r", "\n"),
    )
    return kept.model_dump(mode="json"), key


def _key(
    body_key: str | None, header_key: str | None, body_sound: bool
) -> tuple[str | None, list[FieldProblem]]:
    """One key for the story, from the body or the header (both: the same one)."""
    if header_key is None:
        return body_key, []
    if not re.match(SUBMISSION_KEY, header_key):
        fix = "send 16 to 64 letters, digits, - or _"
        return None, [FieldProblem(None, "the Idempotency-Key header is malformed", fix)]
    if body_sound and body_key is not None and body_key != header_key:
        fix = "send one key, or the same one in both"
        return None, [FieldProblem("submission", "differs from the Idempotency-Key header", fix)]
    return header_key, []


def _unknown_ids(ids: dict[str, list[str]], known: KnownIds | None) -> list[FieldProblem]:
    if known is None:
        return []
    problems = []
    for name, pool in (("techniques", known.techniques), ("situations", known.situations)):
        unknown = [i for i in ids[name] if i not in pool]
        if unknown:
            problems.append(
                FieldProblem(
                    name,
                    f"the handbook has no {', '.join(unknown)}",
                    "reload the page: the handbook may have changed",
                )
            )
    return problems


# --- search events ----------------------------------------------------------------------


@dataclass(frozen=True)
class Search:
    query: str
    found: int
    retried: bool


@dataclass(frozen=True)
class Opened:
    query: str
    location: str
    rank: int


def search_from(payload: object) -> Search | None:
    """A settled search to count; None when its query must not be kept (personal data)."""
    search = _valid(SearchIn, payload)
    query = _keepable(search.query)
    return Search(query, search.found, search.retried) if query else None


def opened_from(payload: object) -> Opened | None:
    """A result opened from a search; None when its query must not be kept."""
    opened = _valid(OpenedIn, payload)
    query = _keepable(opened.query)
    return Opened(query, opened.location, opened.rank) if query else None


def normalise_query(query: str) -> str:
    """One form per query, so "Refund  Paypal" and "refund paypal" count together."""
    return " ".join(unicodedata.normalize("NFKC", query).casefold().split())


def _keepable(query: str) -> str:
    """The query to keep: normalised, or '' when the personal data checks flag it."""
    if personal(query):  # as typed: "my name is Jane Doe" needs its capitals
        return ""
    return normalise_query(query)


def personal(text: str) -> bool:
    """Whether the personal data checks of stories flag this text."""
    return any(f.category == "personal data" for f in check_fields({"query": text}))


# --- "Did this help?" -------------------------------------------------------------------


@dataclass(frozen=True)
class Vote:
    page: str
    helped: bool
    comment: str | None


@dataclass(frozen=True)
class Comment:
    vote: str
    comment: str


def vote_from(payload: object, known: KnownIds | None = None) -> Vote | Comment:
    """A yes/no vote on a page (with an optional comment), or a comment on an earlier vote."""
    data = _object(payload)
    if "vote" in data:
        given, problems = _shape(CommentIn, data)
    else:
        given, problems = _shape(VoteIn, data)
    sound = _sound(data, problems)
    if sound.get("comment"):
        problems += _findings({"comment": sound["comment"]})
    page = sound.get("page")
    if known is not None and isinstance(page, str) and "/" in page:
        kind, entry_id = page.split("/", 1)
        if entry_id not in (known.techniques if kind == "technique" else known.situations):
            problems.append(FieldProblem("page", "is not in the handbook", "reload the page"))
    if problems or given is None:
        raise Invalid(problems)
    if isinstance(given, CommentIn):
        return Comment(given.vote, _lines(given.comment))
    assert isinstance(given, VoteIn)
    return Vote(given.page, given.helped, _lines(given.comment) if given.comment else None)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n")


# --- trainers ---------------------------------------------------------------------------


def pulled_from(payload: object) -> PulledIn:
    """A trainer's mark that a story was written to a file."""
    return _valid(PulledIn, payload)
