"""An example for every endpoint, made of this handbook's own ids (so each one works when sent
to this inbox), and the refusals the inbox really answers: a refused example's answer is
computed by the same checks a real request goes through.

Examples with the same name go together: a request example and the answer it gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kbgen.inbox import guard
from kbgen.inbox.contract import (
    Kept,
    KeptStory,
    Marked,
    Problems,
    Receipt,
    SearchCounts,
    Status,
    StoredStory,
    TrainerStories,
    VoteKey,
    Votes,
)
from kbgen.inbox.problems import Invalid
from kbgen.inbox.store import QueryCount, VoteRow
from kbgen.inbox.submissions import opened_from, pulled_from, search_from, story_from, vote_from

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import BaseModel

    from kbgen.inbox.settings import InboxSettings

RECEIPT = "KB-7F3Q-9M2X"
VOTE = "Xq3v9LmTz0bYwK1d"
DAY = "2026-03-14"


@dataclass(frozen=True)
class Example:
    name: str
    summary: str
    status: int
    answer: Any  # the answer's JSON
    request: Any = None  # the body's JSON; None: a GET


def examples(settings: InboxSettings) -> dict[str, list[Example]]:
    """By operation (its handler's name): the examples of its requests and answers."""
    technique, situation = _ids(settings)
    story = {
        "title": "He wanted it fixed today",
        "author": "",
        "channel": "phone",
        "situations": [situation] if situation else [],
        "techniques": [technique],
        "outcome": "Resolved on the call.",
        "lesson": "Let them finish, then offer the fix.",
        "body": "The customer was angry about a late engineer and shouted at me on the call. "
        "I let him finish, apologised and booked the first slot tomorrow.",
    }
    kept, _ = story_from(story)  # as kept: its ids are the handbook's, or it has none
    refused_story = {
        **story,
        "title": "   ",
        "channel": "e-mail",
        "techniques": [],
        "body": story["body"] + " He said ring me on 07700 900123 when it is done.",
    }
    search = {"query": "refund paypal", "found": 0}
    opened = {"query": "angry", "location": f"/techniques/{technique}/", "rank": 1}
    vote = {"page": f"technique/{technique}", "helped": False}
    comment = {"vote": VOTE, "comment": "The phrases sound scripted on chat."}
    pulled = {"receipt": RECEIPT, "story_id": "he-wanted-it-fixed-today"}
    stored = StoredStory(
        receipt=RECEIPT,
        received=DAY,
        fields=KeptStory.model_validate(kept),
        pulled=None,
        pulled_as=None,
    )
    counts = [QueryCount("refund paypal", 3, 3, 0, 0), QueryCount("angry", 5, 0, 1, 4)]
    return {
        "story": [
            _ok(
                "sent",
                "a story from the share form, with its key",
                story,
                201,
                _receipt(),
                {"submission": "3f9c1d7a0b2e4c6d8e0f1a2b3c4d5e6f"},
            ),
            _ok(
                "no-key",
                "a story from a CRM, with no key: its content is its key",
                story,
                201,
                _receipt(),
                {"title": "A late engineer, fixed today"},
            ),
            _refused(
                "refused",
                "every problem of a story in one answer",
                refused_story,
                lambda body: story_from(body, settings.known),
            ),
        ],
        "search": [
            _ok("settled", "a search that found nothing", search, 202, Kept(kept=True)),
            _ok(
                "personal",
                "a query with an e-mail address: dropped",
                {"query": "maria.lopez@example.com refund", "found": 0},
                202,
                Kept(kept=False),
            ),
            _refused(
                "refused",
                "a search the page could not have sent",
                {"query": " ", "found": -1, "retried": "no"},
                search_from,
            ),
        ],
        "opened": [
            _ok("opened", "the first result opened", opened, 202, Kept(kept=True)),
            _refused(
                "refused",
                "an open that is no page of the site",
                {"query": "angry", "location": "https://elsewhere.example/", "rank": 0},
                opened_from,
            ),
        ],
        "feedback": [
            _ok("vote", '"Did this help?" answered no', vote, 201, VoteKey(vote=VOTE)),
            _ok(
                "comment", "a comment on that vote (with its key)", comment, 201, VoteKey(vote=VOTE)
            ),
            _refused(
                "refused",
                "a vote on no page, with a phone number",
                {
                    "page": "technique/Not An Id",
                    "helped": "yes",
                    "comment": "call me on 07700 900123",
                },
                lambda body: vote_from(body, settings.known),
            ),
        ],
        "status": [_ok("up", "the inbox is up", None, 200, Status(inbox="ok"))],
        "trainer_stories": [
            _ok(
                "waiting", "the stories not pulled yet", None, 200, TrainerStories(stories=[stored])
            ),
        ],
        "trainer_pulled": [
            _ok("marked", "a story written to snippets/stories/", pulled, 200, Marked(marked=True)),
            _refused(
                "refused",
                "a mark that names no story",
                {"receipt": "KB-1234", "story_id": "Late Engineer"},
                pulled_from,
            ),
        ],
        "trainer_searches": [
            _ok(
                "counts",
                "the queries counted so far",
                None,
                200,
                SearchCounts(first=DAY, last="2026-03-20", queries=counts),
            ),
        ],
        "trainer_votes": [
            _ok(
                "votes",
                "the votes so far",
                None,
                200,
                Votes(
                    votes=[
                        VoteRow(DAY, f"technique/{technique}", False, comment["comment"]),
                        VoteRow(DAY, f"situation/{situation or 'customer-is-yelling'}", True, None),
                    ]
                ),
            ),
        ],
        "openapi": [
            Example(
                "document",
                "this description",
                200,
                {
                    "openapi": "3.1.0",
                    "info": {"title": "kbgen inbox", "version": "…"},
                    "paths": {"…": {}},
                },
            ),
        ],
    }


def refusal(status: int, caller: str, settings: InboxSettings) -> str:
    """What the inbox says with each refusal status, as the guard words it."""
    messages = {
        400: guard.BAD_JSON,
        401: guard.NO_TOKEN,
        403: guard.WRONG_TOKEN if caller == "trainer" else guard.CROSS_ORIGIN,
        409: guard.KEY_REUSED,
        413: guard.too_large(settings.max_body),
        415: guard.NOT_JSON,
        429: guard.TOO_MANY,
        500: guard.FAILED,
    }
    return messages[status]


def _ids(settings: InboxSettings) -> tuple[str, str | None]:
    """A technique and a situation this inbox accepts: the handbook's, when it knows them
    (None: it has no situation)."""
    technique, situation = "let-them-vent", "customer-is-yelling"
    if settings.known is None:
        return technique, situation
    known = settings.known
    return _pick(technique, known.techniques), (
        _pick(situation, known.situations) if known.situations else None
    )


def _pick(usual: str, ids: frozenset[str]) -> str:
    return usual if usual in ids or not ids else min(ids)


def _receipt() -> Receipt:
    return Receipt(receipt=RECEIPT)


def _ok(
    name: str,
    summary: str,
    request: Any,
    status: int,
    answer: BaseModel,
    changes: dict[str, Any] | None = None,
) -> Example:
    body = None if request is None else {**request, **(changes or {})}
    return Example(name, summary, status, answer.model_dump(mode="json"), body)


def _refused(name: str, summary: str, request: Any, check: Callable[[Any], object]) -> Example:
    """The example request's real 422 answer, from the checks themselves."""
    try:
        check(request)
    except Invalid as exc:
        answer = Problems(error=guard.PROBLEMS, problems=exc.problems)
        return Example(name, summary, 422, answer.model_dump(mode="json"), request)
    raise AssertionError(f"the example {name!r} passes the checks")  # a bug in this table
