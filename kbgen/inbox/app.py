"""The inbox's HTTP API (Starlette): what pages send, and what trainers' commands read.

    POST /inbox/api/stories     a story from the share form   201 {receipt} | 422 {problems}
    POST /inbox/api/searches    a settled search              202 {kept}
    POST /inbox/api/opens       a result opened from a search 202 {kept}
    POST /inbox/api/feedback    "Did this help?" (or a comment on that vote)  201 {vote} | 422
    GET  /inbox/api/status      whether the inbox is up       200 {inbox: "ok"}
    GET  /inbox/api/trainer/…   stories, searches, votes      token only
    POST /inbox/api/trainer/pulled   mark a story written to snippets/stories/
    GET  /inbox/openapi.json    the API's description (OpenAPI 3.1), with examples

The addresses come from operations.py, the bodies' models from contract.py; each handler's
docstring is its summary and description in openapi.json.

Every answer is JSON. A refused request gets a 4xx with a message and one log line; a bug gets
a 500 without details (they go to the log), never a stack trace.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import traceback
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from kbgen.inbox import PREFIX
from kbgen.inbox.contract import (
    Kept,
    Marked,
    Receipt,
    SearchCounts,
    Status,
    StoredStory,
    TrainerStories,
    VoteKey,
    Votes,
)
from kbgen.inbox.guard import (
    FAILED,
    KEY_REUSED,
    PROBLEMS,
    RateLimit,
    Refused,
    check_token,
    client_of,
    read_json,
    require_json,
    same_origin,
    same_origin_if_any,
)
from kbgen.inbox.headers import SecurityHeaders
from kbgen.inbox.openapi import document
from kbgen.inbox.operations import OPERATIONS
from kbgen.inbox.problems import FieldProblem, Invalid
from kbgen.inbox.store import KeyReused, Store
from kbgen.inbox.submissions import (
    Comment,
    opened_from,
    pulled_from,
    search_from,
    story_from,
    vote_from,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute
    from starlette.types import ASGIApp

    from kbgen.inbox.settings import InboxSettings

    Handler = Callable[["Inbox", Request], Awaitable[Response]]

log = logging.getLogger("kbgen.inbox")


def refused(
    request: Request,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
    why: str | None = None,
    **extra: Any,
) -> JSONResponse:
    """The answer to a refused request, and its one log line (no headers, no address, no
    text the client sent)."""
    path = loggable(request.url.path, 200)  # an address made up by a client is not worth more
    log.warning(
        "refused %s %s (%d): %s", loggable(request.method, 20), path, status, why or message
    )
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


def loggable(text: str, limit: int) -> str:
    """Client-chosen text as a log line may carry it: cut to `limit` characters and escaped
    (a newline becomes \\n, so no request can write a line of its own)."""
    cut = text[:limit].encode("unicode_escape").decode("ascii")
    return cut + ("…" if len(text) > limit else "")


MAX_PROBLEMS = 20
"""Problems in one answer: a request with 2,500 unknown fields is told of the first ones, so a
refusal is never much bigger than the request it refuses."""


def bounded(problems: list[FieldProblem]) -> list[dict[str, str | None]]:
    shown = [
        FieldProblem(
            p.field[:60] if p.field is not None else None,
            p.what[:300],
            p.fix[:300],
            p.category,
        ).as_json()
        for p in problems[:MAX_PROBLEMS]
    ]
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        shown.append(
            FieldProblem(None, f"and {more} more problems", "fix these and send it again").as_json()
        )
    return shown


def endpoint(handler: Handler) -> Handler:
    """Refusals become 4xx answers; anything else a 500 with no details for the client."""

    @functools.wraps(handler)
    async def guarded(self: Inbox, request: Request) -> Response:
        try:
            return await handler(self, request)
        except Refused as exc:
            return refused(request, exc.status, exc.message, headers=exc.headers)
        except Invalid as exc:
            found = sorted(
                {f"{loggable(p.field or 'request', 40)}: {p.category}" for p in exc.problems}
            )
            more = f" and {len(found) - 10} more" if len(found) > 10 else ""
            return refused(
                request,
                422,
                PROBLEMS,
                why=f"problems at {'; '.join(found[:10])}{more}",
                problems=bounded(exc.problems),
            )
        except Exception:
            log.error(
                "error in %s %s:\n%s",
                loggable(request.method, 20),
                loggable(request.url.path, 200),
                traceback.format_exc(),
            )
            return JSONResponse({"error": FAILED}, status_code=500)

    return guarded


class Inbox:
    """The endpoints, over one store and one set of settings."""

    def __init__(self, settings: InboxSettings, store: Store) -> None:
        self.settings, self.store = settings, store
        self.limit = RateLimit(settings.rate_per_minute)
        self._description: dict[str, Any] | None = None  # made on its first request

    async def _from_a_page(self, request: Request) -> Any:
        """A page's POST: same origin, JSON, within the client's rate; the decoded body."""
        self.limit.check(client_of(request))
        same_origin(request, self.settings.allowed_origins)
        require_json(request)
        return await read_json(request, self.settings.max_body)

    def _trainer(self, request: Request) -> None:
        """A trainer's request: the token, and never from another site's page. Only wrong
        tokens count against the rate (a pull of many stories is not slowed down)."""
        same_origin_if_any(request, self.settings.allowed_origins)
        try:
            check_token(request, self.settings.token)
        except Refused:
            self.limit.check(client_of(request))
            raise

    @endpoint
    async def story(self, request: Request) -> Response:
        """Send a story: kept, and answered with a receipt, or refused with all its problems.

        The inbox checks the story again with the build's own checks (the page's checks are a
        convenience, never trusted) and commits it to disk before it answers. Sending it again
        (a lost answer, a retry) gets the first receipt back and keeps it once, however the
        client names it: by the body's `submission` key, by an `Idempotency-Key` header, or,
        with neither, by its content. The story waits in the inbox until a trainer pulls it
        (`kbgen stories pull`) and reviews it like any story."""
        payload = await self._from_a_page(request)
        key = request.headers.get("idempotency-key")
        fields, submission = await run_in_threadpool(story_from, payload, self.settings.known, key)
        try:
            receipt = await run_in_threadpool(self.store.add_story, fields, submission)
        except KeyReused:
            raise Refused(409, KEY_REUSED) from None
        log.info("story kept: receipt %s", receipt)
        return answer(Receipt(receipt=receipt), 201)

    @endpoint
    async def search(self, request: Request) -> Response:
        """Report a settled search: its query, how many results it found.

        The search box sends it a few seconds after the results settle. A query the personal
        data checks flag (an e-mail address, a long number, a name) is dropped, not stored."""
        payload = await self._from_a_page(request)
        search = await run_in_threadpool(search_from, payload)
        if search is None:
            log.info("search query dropped: the personal data checks flag it")
            return answer(Kept(kept=False), 202)
        await run_in_threadpool(self.store.add_search, search.query, search.found, search.retried)
        return answer(Kept(kept=True), 202)

    @endpoint
    async def opened(self, request: Request) -> Response:
        """Report a result opened from a search (which page, at which rank).

        Its query is dropped like a search's when the personal data checks flag it."""
        payload = await self._from_a_page(request)
        opened = await run_in_threadpool(opened_from, payload)
        if opened is None:
            log.info("opened result dropped: the personal data checks flag its query")
            return answer(Kept(kept=False), 202)
        await run_in_threadpool(self.store.add_open, opened.query, opened.location, opened.rank)
        return answer(Kept(kept=True), 202)

    @endpoint
    async def feedback(self, request: Request) -> Response:
        """Answer "Did this help?" on a page, or comment on that answer.

        A vote (`page`, `helped`, an optional `comment`) is answered with its key; a comment
        sent later with that key (`vote`, `comment`) is added to it, the same day, once. A
        comment holding personal data, a link or markup is refused."""
        payload = await self._from_a_page(request)
        given = await run_in_threadpool(vote_from, payload, self.settings.known)
        if isinstance(given, Comment):
            if not await run_in_threadpool(self.store.add_comment, given.vote, given.comment):
                raise Invalid(
                    [
                        FieldProblem(
                            "vote",
                            "no answer with this key from today, or it has a comment already",
                            "answer the page again",
                        )
                    ]
                )
            return answer(VoteKey(vote=given.vote), 201)
        vote = await run_in_threadpool(self.store.add_vote, given.page, given.helped, given.comment)
        return answer(VoteKey(vote=vote), 201)

    @endpoint
    async def status(self, request: Request) -> Response:
        """Whether the inbox is up: the pages ask before they offer to send."""
        return answer(Status(inbox="ok"))

    @endpoint
    async def openapi(self, request: Request) -> Response:
        """This description of the inbox's API (OpenAPI 3.1), with an example for each endpoint.

        Its schemas come from the models the inbox validates requests and builds answers
        with, and its examples use this handbook's ids."""
        if self._description is None:
            self._description = await run_in_threadpool(document, self.settings, self)
        return JSONResponse(self._description)

    # --- trainers ---------------------------------------------------------------------

    @endpoint
    async def trainer_stories(self, request: Request) -> Response:
        """The stories waiting to be pulled (with `?all`, every story), oldest first.

        What `kbgen stories pull --inbox URL` reads."""
        self._trainer(request)
        waiting = request.query_params.get("all") is None
        stories = await run_in_threadpool(self.store.stories, waiting)
        return answer(
            TrainerStories(stories=[StoredStory.model_validate(asdict(s)) for s in stories])
        )

    @endpoint
    async def trainer_pulled(self, request: Request) -> Response:
        """Mark a story as written to snippets/stories/, so it is never pulled twice."""
        self._trainer(request)
        require_json(request)
        pulled = pulled_from(await read_json(request, self.settings.max_body))
        marked = await run_in_threadpool(self.store.mark_pulled, pulled.receipt, pulled.story_id)
        return answer(Marked(marked=marked))

    @endpoint
    async def trainer_searches(self, request: Request) -> Response:
        """Every query counted, with the days of the first and last: `kbgen search-gaps`."""
        self._trainer(request)
        counts = await run_in_threadpool(self.store.query_counts)
        first, last = await run_in_threadpool(self.store.search_days)
        return answer(SearchCounts(first=first, last=last, queries=counts))

    @endpoint
    async def trainer_votes(self, request: Request) -> Response:
        """Every "Did this help?" vote with its comment: `kbgen feedback`."""
        self._trainer(request)
        votes = await run_in_threadpool(lambda: list(self.store.votes()))
        return answer(Votes(votes=votes))

    def routes(self) -> list[Route]:
        return [Route(op.path, getattr(self, op.handler), methods=[op.method]) for op in OPERATIONS]


def answer(body: BaseModel, status: int = 200) -> JSONResponse:
    """An answer built with its model (contract.py), as the API description says."""
    return JSONResponse(body.model_dump(mode="json"), status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown address or wrong method inside the inbox: JSON, logged like any refusal."""
    assert isinstance(exc, HTTPException)
    messages = {404: "no such inbox address", 405: "this address takes another method"}
    return refused(
        request,
        exc.status_code,
        messages.get(exc.status_code, exc.detail),
        headers=dict(exc.headers or {}),
    )


def inbox_app(settings: InboxSettings, store: Store) -> Starlette:
    """The inbox alone, its addresses relative to where it is mounted (PREFIX)."""
    return Starlette(
        routes=Inbox(settings, store).routes(),
        exception_handlers={HTTPException: _http_error},
    )


def create_app(settings: InboxSettings, site: ASGIApp | None = None) -> ASGIApp:
    """The inbox at PREFIX, and the built site at / when given (`kbgen serve`). The database
    is opened now (a wrong path fails before the server listens) and closed when it stops."""
    store = Store(settings.database)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    routes: list[BaseRoute] = [Mount(PREFIX, app=inbox_app(settings, store))]
    if site is not None:
        routes.append(Mount("/", app=site))
    app = Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={HTTPException: _http_error}
    )
    served = SecurityHeaders(app)
    served.proxy = settings.proxy  # read by server.uvicorn_server: whose X-Forwarded-For counts
    return served
