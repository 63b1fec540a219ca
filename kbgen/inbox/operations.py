"""Every address the inbox answers, in one table: app.py makes its routes from it and
openapi.py its description, so no endpoint can go undocumented.

Each operation names its handler (a method of `app.Inbox`, whose docstring is its summary
and description), the request and answer models of contract.py, and who may call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kbgen.inbox.contract import (
    CommentIn,
    Kept,
    Marked,
    OpenedIn,
    PulledIn,
    Receipt,
    SearchCounts,
    SearchIn,
    Status,
    StoryIn,
    TrainerStories,
    VoteIn,
    VoteKey,
    Votes,
)

if TYPE_CHECKING:
    from kbgen.inbox.contract import Answer, Wire

Caller = Literal["page", "trainer", "anyone"]
"""page: JSON from the site's own origin, within the rate; trainer: the token; anyone: a GET
with no conditions."""


@dataclass(frozen=True)
class Operation:
    handler: str  # the method of app.Inbox, and the operationId
    method: Literal["GET", "POST"]
    path: str  # under the inbox's base, /inbox
    status: int  # the answer's status when all is well
    answer: type[Answer] | None  # None: this description itself
    request: tuple[type[Wire], ...] = ()  # the body's models (one of them)
    caller: Caller = "page"
    query: tuple[tuple[str, str], ...] = ()  # optional query parameters: (name, meaning)
    conflict: str | None = None  # what a 409 means, when the operation can answer one

    @property
    def refusals(self) -> tuple[int, ...]:
        """The 4xx and 5xx statuses it can answer (each with its message in the guard)."""
        codes = {500}
        if self.caller == "page":
            codes |= {403, 429}
        if self.caller == "trainer":
            codes |= {401, 403, 429}
        if self.request:
            codes |= {400, 413, 415, 422}
        if self.conflict:
            codes.add(409)
        if self.caller == "anyone" and self.answer is None:
            codes.clear()  # the description is built in memory: nothing can refuse it
        return tuple(sorted(codes))


KEY_REUSED = "its key (submission or Idempotency-Key) came before with another story"

OPERATIONS = (
    Operation("story", "POST", "/api/stories", 201, Receipt, (StoryIn,), conflict=KEY_REUSED),
    Operation("search", "POST", "/api/searches", 202, Kept, (SearchIn,)),
    Operation("opened", "POST", "/api/opens", 202, Kept, (OpenedIn,)),
    Operation("feedback", "POST", "/api/feedback", 201, VoteKey, (VoteIn, CommentIn)),
    Operation("status", "GET", "/api/status", 200, Status, caller="anyone"),
    Operation(
        "trainer_stories",
        "GET",
        "/api/trainer/stories",
        200,
        TrainerStories,
        caller="trainer",
        query=(("all", "present (?all): every story, those pulled already too"),),
    ),
    Operation("trainer_pulled", "POST", "/api/trainer/pulled", 200, Marked, (PulledIn,), "trainer"),
    Operation("trainer_searches", "GET", "/api/trainer/searches", 200, SearchCounts, (), "trainer"),
    Operation("trainer_votes", "GET", "/api/trainer/votes", 200, Votes, (), "trainer"),
    Operation("openapi", "GET", "/openapi.json", 200, None, caller="anyone"),
)
