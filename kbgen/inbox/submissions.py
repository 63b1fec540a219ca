"""What agents send, read and checked as the build would: a story becomes a validated `Story`
and passes `check_story`; a search query or a comment with personal data never gets stored.

Nothing here knows HTTP: each function takes the decoded JSON and returns what to store, or
raises `Invalid` with problems an agent can fix, each at its form field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from kbgen.model.stories import LESSON_MAX_CHARS, Story
from kbgen.stories.checks import BLOCKING, check_fields, rules
from kbgen.stories.moderation import check_story

if TYPE_CHECKING:
    from collections.abc import Mapping

STORY_FIELDS = ("title", "author", "channel", "situations", "techniques", "outcome", "lesson")
STORY_FIELDS += ("body",)
TEXT_LIMITS = {"title": 100, "author": 60, "outcome": 200, "lesson": LESSON_MAX_CHARS}
"""As the share form's `maxlength`s: a longer field did not come from the form."""
QUERY_MAX = 200
COMMENT_MAX = 500
LOCATION_MAX = 300
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
VOTE_KEY = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
RECEIPT = re.compile(r"^KB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
STORY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PAGE = re.compile(r"^(technique|situation)/[a-z0-9]+(?:-[a-z0-9]+)*$")
LABELS = {
    "title": "the title",
    "author": "your name",
    "channel": "the channel",
    "situations": "what was happening on the call",
    "techniques": "the techniques that helped",
    "outcome": "how it ended",
    "lesson": "the lesson",
    "body": "what happened",
    "comment": "the comment",
}


@dataclass(frozen=True)
class FieldProblem:
    """One thing to fix, at one field of the form (None: the request as a whole)."""

    field: str | None
    what: str
    fix: str
    category: str = "invalid"  # or a story check's: personal data, spam, unsafe content…

    def as_json(self) -> dict[str, str | None]:
        return asdict(self)


class Invalid(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.what}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class KnownIds:
    """The handbook's technique and situation ids, when the inbox knows the project."""

    techniques: frozenset[str]
    situations: frozenset[str]


# --- stories ----------------------------------------------------------------------------


def story_from(payload: object, known: KnownIds | None = None) -> tuple[dict[str, Any], str | None]:
    """The story's fields to keep, and the form's submission key; raises `Invalid`."""
    data = _object(payload)
    submission = data.pop("submission", None)
    if submission is not None and not (
        isinstance(submission, str) and SUBMISSION_KEY.match(submission)
    ):
        raise Invalid([FieldProblem(None, "the submission key is malformed", "reload the page")])
    problems = [
        FieldProblem(name, "is not a field of a story", "send only the form's fields")
        for name in data
        if name not in STORY_FIELDS
    ]
    for name, value in data.items():
        if isinstance(value, str):
            problems += _text_problems(name, value, TEXT_LIMITS.get(name, _body_max()))
    if problems:
        raise Invalid(problems)
    author = data.get("author")
    if author is None or (isinstance(author, str) and not author.strip()):
        data["author"] = "anonymous"  # as the form writes an empty name
    fields = {name: data[name] for name in STORY_FIELDS if name in data}
    try:
        story = Story.model_validate({**fields, "id": "inbox-story", "date": dt.date.today()})
    except ValidationError as exc:
        raise Invalid(_explain(exc)) from None
    problems = _unknown_ids(story, known)
    if not story.body:
        problems.append(FieldProblem("body", "what happened is empty", "tell what happened"))
    problems += [
        FieldProblem(f.field, f.what, f.fix, f.category)
        for f in check_story(story)
        if f.category in BLOCKING
    ]
    if problems:
        raise Invalid(problems)
    kept = {
        "title": story.title,
        "author": story.author,
        "channel": story.channel.value,
        "situations": list(story.situations),
        "techniques": list(story.techniques),
        "outcome": story.outcome,
        "lesson": story.lesson,
        "body": story.body.replace("\r\n", "\n").replace("\r", "\n"),
    }
    return kept, submission


def _body_max() -> int:
    return int(rules()["published_body_max"])


def _unknown_ids(story: Story, known: KnownIds | None) -> list[FieldProblem]:
    if known is None:
        return []
    problems = []
    for name, ids, pool in (
        ("techniques", story.techniques, known.techniques),
        ("situations", story.situations, known.situations),
    ):
        unknown = [i for i in ids if i not in pool]
        if unknown:
            problems.append(
                FieldProblem(
                    name,
                    f"the handbook has no {', '.join(unknown)}",
                    "reload the page: the handbook may have changed",
                )
            )
    return problems


def _explain(error: ValidationError) -> list[FieldProblem]:
    """Pydantic's errors in an agent's words, one per field."""
    problems: dict[str, FieldProblem] = {}
    for detail in error.errors(include_url=False):
        field = str(detail["loc"][0]) if detail["loc"] else None
        label = LABELS.get(field or "", field or "the story")
        kind = detail["type"]
        if kind == "missing":
            what, fix = f"{label} is missing", f"fill in {label}"
        elif kind in ("string_too_short", "too_short"):
            what, fix = f"{label} is empty", f"fill in {label}"
        elif kind == "string_too_long":
            limit = detail.get("ctx", {}).get("max_length")
            what, fix = f"{label} is too long", f"keep it to {limit} characters"
        elif kind == "enum":
            what, fix = f"{label} is not one the form offers", "choose phone, chat or e-mail"
        elif kind == "string_pattern_mismatch":
            what, fix = f"{label} names something the handbook has no page for", "reload the page"
        elif kind in ("string_type", "list_type"):
            what, fix = f"{label} has the wrong type", "send it as the form does"
        else:
            what, fix = f"{label}: {detail['msg']}", "send it as the form does"
        problems.setdefault(field or "", FieldProblem(field, what, fix))
    return list(problems.values())


def _text_problems(field: str, value: str, limit: int) -> list[FieldProblem]:
    """Text that could not have come from the form, or could not be written to a file."""
    label = LABELS.get(field, field)
    if len(value) > limit:
        return [FieldProblem(field, f"{label} is too long", f"keep it to {limit} characters")]
    if not _encodable(value):
        return [FieldProblem(field, f"{label} holds broken characters", "type it again")]
    allowed = "\n\t\r" if field in ("body", "comment") else ""
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        return [FieldProblem(field, f"{label} holds control characters", "type it again")]
    return []


def _encodable(value: str) -> bool:
    """False for lone surrogates ("\\ud800" in JSON), which no file or database can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _object(payload: object) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise Invalid([FieldProblem(None, "the request is not a JSON object", "send an object")])
    return dict(payload)


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
    data = _only(_object(payload), {"query", "found", "retried"}, {"query", "found"})
    found = _integer(data, "found", 0, 10_000)
    retried = data.get("retried", False)
    if not isinstance(retried, bool):
        raise Invalid([FieldProblem("retried", "is not true or false", "send a boolean")])
    query = _query(data)
    return Search(query, found, retried) if query else None


def opened_from(payload: object) -> Opened | None:
    """A result opened from a search; None when its query must not be kept."""
    data = _only(_object(payload), {"query", "location", "rank"}, {"query", "location", "rank"})
    rank = _integer(data, "rank", 1, 10_000)
    location = data["location"]
    if (
        not isinstance(location, str)
        or not location.startswith("/")
        or len(location) > LOCATION_MAX
        or _text_problems("location", location, LOCATION_MAX)
        or any(c in location for c in "?# ")
    ):
        raise Invalid([FieldProblem("location", "is not a page address", "send the page's path")])
    query = _query(data)
    return Opened(query, location, rank) if query else None


def normalise_query(query: str) -> str:
    """One form per query, so "Refund  Paypal" and "refund paypal" count together."""
    return " ".join(unicodedata.normalize("NFKC", query).casefold().split())


def _query(data: dict[str, Any]) -> str:
    """The query to keep: normalised, or '' when the personal data checks flag it."""
    query = data["query"]
    if not isinstance(query, str):
        raise Invalid([FieldProblem("query", "is not text", "send the query as a string")])
    problems = _text_problems("query", query, QUERY_MAX)
    if problems:
        raise Invalid(problems)
    if not query.strip():
        raise Invalid([FieldProblem("query", "is empty", "send the query that was typed")])
    if personal(query.strip()):  # as typed: "my name is Jane Doe" needs its capitals
        return ""
    return normalise_query(query)


def personal(text: str) -> bool:
    """Whether the personal data checks of stories flag this text."""
    return any(f.category == "personal data" for f in check_fields({"query": text}))


def _only(data: dict[str, Any], allowed: set[str], required: set[str]) -> dict[str, Any]:
    problems = [
        FieldProblem(k, "is not expected here", "leave it out") for k in data if k not in allowed
    ]
    problems += [
        FieldProblem(k, "is missing", f"send '{k}'") for k in sorted(required) if k not in data
    ]
    if problems:
        raise Invalid(problems)
    return data


def _integer(data: Mapping[str, Any], name: str, low: int, high: int) -> int:
    value = data.get(name, low)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid([FieldProblem(name, f"is not a whole number from {low} to {high}", "fix it")])
    return value


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
        data = _only(data, {"vote", "comment"}, {"vote", "comment"})
        vote = data["vote"]
        if not isinstance(vote, str) or not VOTE_KEY.match(vote):
            raise Invalid([FieldProblem("vote", "is malformed", "send the key the vote returned")])
        comment = comment_from(data["comment"])
        if comment is None:
            raise Invalid([FieldProblem("comment", "is empty", "write a comment, or send none")])
        return Comment(vote, comment)
    data = _only(data, {"page", "helped", "comment"}, {"page", "helped"})
    page, helped = data["page"], data["helped"]
    if not isinstance(page, str) or not PAGE.match(page):
        raise Invalid([FieldProblem("page", "is not a technique or situation", "reload the page")])
    if known is not None:
        kind, entry_id = page.split("/", 1)
        pool = known.techniques if kind == "technique" else known.situations
        if entry_id not in pool:
            raise Invalid([FieldProblem("page", "is not in the handbook", "reload the page")])
    if not isinstance(helped, bool):
        raise Invalid([FieldProblem("helped", "is not yes or no", "send true or false")])
    return Vote(page, helped, comment_from(data.get("comment")))


def comment_from(value: object) -> str | None:
    """A comment checked like a story's text: refused with personal data, spam or markup."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid([FieldProblem("comment", "is not text", "send the comment as a string")])
    problems = _text_problems("comment", value, COMMENT_MAX)
    if problems:
        raise Invalid(problems)
    text = value.strip()
    if not text:
        return None
    findings = [
        f
        for f in check_fields({"comment": text})
        if f.field == "comment" and f.category in BLOCKING  # not "does not tell a call"
    ]
    if findings:
        raise Invalid([FieldProblem("comment", f.what, f.fix, f.category) for f in findings])
    return text.replace("\r\n", "\n")


def valid_receipt(value: str) -> bool:
    return bool(RECEIPT.match(value))


def valid_story_id(value: str) -> bool:
    return len(value) <= 80 and bool(STORY_ID.match(value))
