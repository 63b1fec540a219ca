"""The inbox's wire contract: every request and answer body as a pydantic model, with the
limits the inbox enforces. submissions.py validates what arrives with these models and
app.py builds its answers with them; openapi.py describes the API from their JSON Schema, so
the description says what the code does.

What a schema cannot say (personal data, spam, markup, ids the handbook does not have) is
checked after the shape, in submissions.py, and listed in each model's description.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from pydantic import StringConstraints as Text

from kbgen.inbox.problems import FieldProblem
from kbgen.inbox.store import QueryCount, VoteRow
from kbgen.model.entries import ID_PATTERN
from kbgen.model.stories import LESSON_MAX_CHARS, Channel
from kbgen.stories.checks import rules

TITLE_MAX, AUTHOR_MAX, OUTCOME_MAX = 100, 60, 200
"""As the share form's `maxlength`s: a longer field did not come from the form."""
BODY_MAX = int(rules()["published_body_max"])
QUERY_MAX, COMMENT_MAX, LOCATION_MAX, STORY_ID_MAX = 200, 500, 300, 80
FOUND_MAX = RANK_MAX = 10_000

ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
"""No control characters (a field on one line)."""
LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
"""No control characters but line breaks and tabs."""
SUBMISSION_KEY = r"^[A-Za-z0-9_-]{16,64}$"
VOTE_KEY = r"^[A-Za-z0-9_-]{8,32}$"
RECEIPT = r"^KB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"
PAGE = r"^(technique|situation)/[a-z0-9]+(?:-[a-z0-9]+)*$"
LOCATION = r"^/[^\x00-\x20\x7f-\x9f?#]*$"
STORY_ID = ID_PATTERN.pattern


def text(limit: int, description: str, *, lines: bool = False, empty: bool = False) -> object:
    """A string field: trimmed, at most `limit` characters, no control characters."""
    return Annotated[
        StrictStr,
        Text(
            strip_whitespace=True,
            min_length=0 if empty else 1,
            max_length=limit,
            pattern=LINES if lines else ONE_LINE,
        ),
        Field(description=description),
    ]


EntryId = Annotated[StrictStr, Text(pattern=STORY_ID)]
Title = text(TITLE_MAX, "the story's title")
Author = text(AUTHOR_MAX, "the agent's handle; empty or null: anonymous", empty=True)
Outcome = text(OUTCOME_MAX, "how the call ended, in one line")
Lesson = text(LESSON_MAX_CHARS, "the lesson, in one line")
Body = text(BODY_MAX, "what happened, as Markdown", lines=True)
Query = text(QUERY_MAX, "what was typed in the search box")
Remark = text(COMMENT_MAX, "why, in the agent's words", lines=True)
MaybeRemark = text(COMMENT_MAX, "why, in the agent's words", lines=True, empty=True)


class Wire(BaseModel):
    """A request body: JSON with these fields and no others, each of exactly its type."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(BaseModel):
    """An answer body: every field is always there (null when it has no value)."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)


# --- what pages send ----------------------------------------------------------------------


class StoryIn(Wire):
    """A story from the share form, checked again by the inbox with the build's own checks:
    besides this shape, a field holding personal data (a phone, account or card number, an
    e-mail address, a name), spam (a link) or markup is refused with its story check's
    category, and so are technique and situation ids the handbook does not have. Text is
    trimmed first (a title of spaces is empty)."""

    title: Title
    author: Author | None = None
    channel: Channel = Field(description="where the call happened (the form's Phone, Chat, E-mail)")
    situations: list[EntryId] = Field(
        default_factory=list, description="ids of the situations on the call"
    )
    techniques: list[EntryId] = Field(min_length=1, description="ids of the techniques that helped")
    outcome: Outcome
    lesson: Lesson
    body: Body
    submission: Annotated[StrictStr, Text(pattern=SUBMISSION_KEY)] | None = Field(
        default=None,
        description="a random key the client makes once per story (the share form does): the "
        "same key sent again gets the first receipt back. Without one (nor an Idempotency-Key "
        "header), the story's checked content is its key: the same story is kept once",
    )


class SearchIn(Wire):
    """A settled search. A query the personal data checks flag is dropped, not stored (the
    answer says `kept: false`)."""

    query: Query
    found: StrictInt = Field(ge=0, le=FOUND_MAX, description="how many results it showed")
    retried: StrictBool = Field(
        default=False, description="it found something only after a retry with looser words"
    )


class OpenedIn(Wire):
    """A result opened from a search (its query is dropped like a search's)."""

    query: Query
    location: Annotated[StrictStr, Text(max_length=LOCATION_MAX, pattern=LOCATION)] = Field(
        description="the path of the page opened, no query or fragment"
    )
    rank: StrictInt = Field(ge=1, le=RANK_MAX, description="its place in the results, from 1")


class VoteIn(Wire):
    """A "Did this help?" vote on a page, with an optional comment. A comment holding
    personal data, a link or markup is refused."""

    page: Annotated[StrictStr, Text(pattern=PAGE)] = Field(
        description="technique/<id> or situation/<id>, a page of the handbook"
    )
    helped: StrictBool = Field(description="the answer: yes (true) or no (false)")
    comment: MaybeRemark | None = None


class CommentIn(Wire):
    """A comment on a vote given earlier the same day (once: a comment is never replaced)."""

    vote: Annotated[StrictStr, Text(pattern=VOTE_KEY)] = Field(
        description="the key the vote was answered with"
    )
    comment: Remark


class PulledIn(Wire):
    """Marks a story written to snippets/stories/ (what `kbgen stories pull` sends)."""

    receipt: Annotated[StrictStr, Text(pattern=RECEIPT)] = Field(description="the story's receipt")
    story_id: Annotated[StrictStr, Text(max_length=STORY_ID_MAX, pattern=STORY_ID)] = Field(
        description="the id of the story file written"
    )


# --- what the inbox answers ---------------------------------------------------------------


class Receipt(Answer):
    """The story is committed to disk: its receipt, for the agent to quote."""

    receipt: str = Field(pattern=RECEIPT, description="like KB-7F3Q-9M2X (no I, L, O or U)")


class Kept(Answer):
    kept: bool = Field(description="false: its query was dropped (personal data)")


class VoteKey(Answer):
    vote: str = Field(pattern=VOTE_KEY, description="the vote's key, for a comment to follow")


class Status(Answer):
    inbox: Literal["ok"]


class Refusal(Answer):
    """A refused request: what to do, in one sentence."""

    error: str


class Problems(Refusal):
    """A refused submission: every problem it has, each at its field, in one answer."""

    problems: list[FieldProblem] = Field(min_length=1)


class KeptStory(Answer):
    """A story's fields as the inbox keeps them, checked, author filled in."""

    title: str
    author: str = Field(description="'anonymous' when the agent gave no name")
    channel: Channel
    situations: list[str]
    techniques: list[str]
    outcome: str
    lesson: str
    body: str = Field(description="Markdown, with \\n line breaks")


class StoredStory(Answer):
    receipt: str = Field(pattern=RECEIPT)
    received: str = Field(description="the day it arrived, YYYY-MM-DD")
    fields: KeptStory
    pulled: str | None = Field(description="the day `kbgen stories pull` wrote its file")
    pulled_as: str | None = Field(description="the story id it was written as")


class TrainerStories(Answer):
    stories: list[StoredStory] = Field(description="oldest first")


class Marked(Answer):
    marked: bool = Field(description="false: no such receipt, or it was marked already")


class SearchCounts(Answer):
    first: str | None = Field(description="the day of the first search or open counted")
    last: str | None = Field(description="the day of the last")
    queries: list[QueryCount] = Field(
        description="each query (normalised) with its settled searches, how many of those "
        "found nothing or only after a retry, and the results opened from it"
    )


class Votes(Answer):
    votes: list[VoteRow] = Field(description="every vote, oldest first, with its comment")
