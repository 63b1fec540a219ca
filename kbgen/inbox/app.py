"""The inbox's HTTP API (Starlette): what pages send, and what trainers' commands read.

    POST /inbox/api/stories     a story from the share form   201 {receipt} | 422 {problems}
    POST /inbox/api/searches    a settled search              202 {kept}
    POST /inbox/api/opens       a result opened from a search 202 {kept}
    POST /inbox/api/feedback    "Did this help?" (or a comment on that vote)  201 {vote} | 422
    GET  /inbox/api/status      whether the inbox is up       200 {inbox: "ok"}
    GET  /inbox/api/trainer/…   stories, searches, votes      token only
    POST /inbox/api/trainer/pulled   mark a story written to snippets/stories/

Every answer is JSON. A refused request gets a 4xx with a message and one log line; a bug gets
a 500 without details (they go to the log), never a stack trace.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import traceback
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from kbgen.inbox import PREFIX
from kbgen.inbox.guard import (
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
from kbgen.inbox.store import Store
from kbgen.inbox.submissions import (
    Comment,
    FieldProblem,
    Invalid,
    opened_from,
    search_from,
    story_from,
    valid_receipt,
    valid_story_id,
    vote_from,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

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
    path = request.url.path[:200]  # an address made up by a client is not worth more
    log.warning("refused %s %s (%d): %s", request.method, path, status, why or message)
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


def endpoint(handler: Handler) -> Handler:
    """Refusals become 4xx answers; anything else a 500 with no details for the client."""

    @functools.wraps(handler)
    async def guarded(self: Inbox, request: Request) -> Response:
        try:
            return await handler(self, request)
        except Refused as exc:
            return refused(request, exc.status, exc.message, headers=exc.headers)
        except Invalid as exc:
            found = sorted({f"{p.field or 'request'}: {p.category}" for p in exc.problems})
            return refused(
                request,
                422,
                "fix the problems shown at each field",
                why=f"problems at {'; '.join(found)}",
                problems=[p.as_json() for p in exc.problems],
            )
        except Exception:
            log.error(
                "error in %s %s:\n%s", request.method, request.url.path, traceback.format_exc()
            )
            return JSONResponse(
                {"error": "the inbox failed on this request; try again later (its log has why)"},
                status_code=500,
            )

    return guarded


class Inbox:
    """The endpoints, over one store and one set of settings."""

    def __init__(self, settings: InboxSettings, store: Store) -> None:
        self.settings, self.store = settings, store
        self.limit = RateLimit(settings.rate_per_minute)

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
        payload = await self._from_a_page(request)
        fields, submission = await run_in_threadpool(story_from, payload, self.settings.known)
        receipt = await run_in_threadpool(self.store.add_story, fields, submission)
        log.info("story kept: receipt %s", receipt)
        return JSONResponse({"receipt": receipt}, status_code=201)

    @endpoint
    async def search(self, request: Request) -> Response:
        payload = await self._from_a_page(request)
        search = await run_in_threadpool(search_from, payload)
        if search is None:
            log.info("search query dropped: the personal data checks flag it")
            return JSONResponse({"kept": False}, status_code=202)
        await run_in_threadpool(self.store.add_search, search.query, search.found, search.retried)
        return JSONResponse({"kept": True}, status_code=202)

    @endpoint
    async def opened(self, request: Request) -> Response:
        payload = await self._from_a_page(request)
        opened = await run_in_threadpool(opened_from, payload)
        if opened is None:
            log.info("opened result dropped: the personal data checks flag its query")
            return JSONResponse({"kept": False}, status_code=202)
        await run_in_threadpool(self.store.add_open, opened.query, opened.location, opened.rank)
        return JSONResponse({"kept": True}, status_code=202)

    @endpoint
    async def feedback(self, request: Request) -> Response:
        payload = await self._from_a_page(request)
        given = await run_in_threadpool(vote_from, payload, self.settings.known)
        if isinstance(given, Comment):
            if not await run_in_threadpool(self.store.add_comment, given.vote, given.comment):
                raise Invalid(
                    [
                        FieldProblem(
                            "comment", "this answer has a comment already", "answer the page again"
                        )
                    ]
                )
            return JSONResponse({"vote": given.vote}, status_code=201)
        vote = await run_in_threadpool(self.store.add_vote, given.page, given.helped, given.comment)
        return JSONResponse({"vote": vote}, status_code=201)

    @endpoint
    async def status(self, request: Request) -> Response:
        return JSONResponse({"inbox": "ok"})

    # --- trainers ---------------------------------------------------------------------

    @endpoint
    async def trainer_stories(self, request: Request) -> Response:
        self._trainer(request)
        waiting = request.query_params.get("all") is None
        stories = await run_in_threadpool(self.store.stories, waiting)
        return JSONResponse({"stories": [dataclasses.asdict(s) for s in stories]})

    @endpoint
    async def trainer_pulled(self, request: Request) -> Response:
        self._trainer(request)
        require_json(request)
        data = await read_json(request, self.settings.max_body)
        receipt = data.get("receipt") if isinstance(data, dict) else None
        story_id = data.get("story_id") if isinstance(data, dict) else None
        if not (isinstance(receipt, str) and valid_receipt(receipt)):
            raise Refused(400, "send the story's receipt, like KB-7F3Q-9M2X")
        if not (isinstance(story_id, str) and valid_story_id(story_id)):
            raise Refused(400, "send the id of the story file written")
        marked = await run_in_threadpool(self.store.mark_pulled, receipt, story_id)
        return JSONResponse({"marked": marked})

    @endpoint
    async def trainer_searches(self, request: Request) -> Response:
        self._trainer(request)
        counts = await run_in_threadpool(self.store.query_counts)
        first, last = await run_in_threadpool(self.store.search_days)
        return JSONResponse(
            {
                "first": first,
                "last": last,
                "queries": [dataclasses.asdict(c) for c in counts],
            }
        )

    @endpoint
    async def trainer_votes(self, request: Request) -> Response:
        self._trainer(request)
        votes = await run_in_threadpool(lambda: list(self.store.votes()))
        return JSONResponse({"votes": [dataclasses.asdict(v) for v in votes]})

    def routes(self) -> list[Route]:
        return [
            Route("/api/stories", self.story, methods=["POST"]),
            Route("/api/searches", self.search, methods=["POST"]),
            Route("/api/opens", self.opened, methods=["POST"]),
            Route("/api/feedback", self.feedback, methods=["POST"]),
            Route("/api/status", self.status, methods=["GET"]),
            Route("/api/trainer/stories", self.trainer_stories, methods=["GET"]),
            Route("/api/trainer/pulled", self.trainer_pulled, methods=["POST"]),
            Route("/api/trainer/searches", self.trainer_searches, methods=["GET"]),
            Route("/api/trainer/votes", self.trainer_votes, methods=["GET"]),
        ]


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
    return SecurityHeaders(app)
