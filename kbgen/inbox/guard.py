"""What every request must pass before the inbox reads it: JSON from the site's own origin,
within the size cap and the client's rate, and a trainer's token for trainer endpoints.

Each check raises `Refused` with a status and a message for the client; the app logs one line
per refusal (never a header, a token or a client address).
"""

from __future__ import annotations

import hmac
import json
import math
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from starlette.requests import Request

MAX_BODY = 32 * 1024
"""The largest body accepted: a story of 20,000 characters, escaped as JSON, fits."""

MAX_NESTING = 8
"""No request the site sends nests deeper than a list in an object."""


# What each refusal says (the API description's examples quote them).
NOT_JSON = "send JSON: Content-Type: application/json"
NO_ORIGIN = "the request has no Origin: only the handbook's pages may send this"
CROSS_ORIGIN = "cross-origin request refused: only the handbook's pages may send this"
BAD_JSON = "the body is not valid JSON"
TOO_MANY = "too many requests: wait a moment"
NO_TOKEN = "trainer endpoints need a token"
WRONG_TOKEN = "wrong trainer token"
TOKEN_OFF = "trainer access is off: start the inbox with KBGEN_INBOX_TOKEN set"
PROBLEMS = "fix the problems shown at each field"
KEY_REUSED = "this key was sent before with another story: make a new key for each story"
FAILED = "the inbox failed on this request; try again later (its log has why)"


def too_large(limit: int) -> str:
    return f"the request is larger than {limit // 1024} KB"


class Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def require_json(request: Request) -> None:
    kind = request.headers.get("content-type", "")
    media, _, params = kind.partition(";")
    charset = params.strip().lower().removeprefix("charset=").strip('"') if params else "utf-8"
    if media.strip().lower() != "application/json" or charset not in ("utf-8", "utf8"):
        raise Refused(415, NOT_JSON)


def same_origin(request: Request, allowed: frozenset[str]) -> None:
    """Browsers send `Origin` with every POST: it must be the site's own (or one allowed by
    --allow-origin), so no other site can make an agent's browser post here."""
    origin = request.headers.get("origin")
    if not origin:
        raise Refused(403, NO_ORIGIN)
    if origin.rstrip("/") in allowed:
        return
    parts = urlsplit(origin)
    host = request.headers.get("host", "")
    if parts.scheme not in ("http", "https") or not host or parts.netloc.lower() != host.lower():
        raise Refused(403, CROSS_ORIGIN)


def same_origin_if_any(request: Request, allowed: frozenset[str]) -> None:
    """Trainer endpoints are for scripts (no Origin), but never for another site's page."""
    if request.headers.get("origin"):
        same_origin(request, allowed)


async def read_json(request: Request, limit: int = MAX_BODY) -> Any:
    """The body as JSON, read no further than `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise Refused(400, "the Content-Length is not a number")
        if int(declared) > limit:
            raise Refused(413, too_large(limit))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(413, too_large(limit))
    try:
        text = bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    if _nesting(text) > MAX_NESTING:
        raise Refused(400, "the JSON nests too deeply")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise Refused(400, BAD_JSON) from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _nesting(text: str) -> int:
    """How deep brackets nest (an upper bound: brackets in strings count too), so a body of
    32,000 '[' never reaches the parser's recursion."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check_token(request: Request, token: str | None) -> None:
    if token is None:
        raise Refused(403, TOKEN_OFF)
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if not given:
        raise Refused(401, NO_TOKEN, {"WWW-Authenticate": "Bearer"})
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        value.strip().encode("utf-8", "replace"), token.encode()
    ):
        raise Refused(403, WRONG_TOKEN)


@dataclass
class RateLimit:
    """A token bucket per client, in memory only: `per_minute` requests, in bursts of as
    many; 0 switches it off. At most `clients` are remembered (the longest idle go first)."""

    per_minute: int = 60
    clients: int = 10_000
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)

    def check(self, client: str) -> None:
        if self.per_minute <= 0:
            return
        now = time.monotonic()
        rate = self.per_minute / 60
        tokens, last = self._buckets.pop(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * rate)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            wait = math.ceil((1 - tokens) / rate)
            raise Refused(429, TOO_MANY, {"Retry-After": str(wait)})
        self._buckets[client] = (tokens - 1, now)
        while len(self._buckets) > self.clients:
            self._buckets.popitem(last=False)


def client_of(request: Request) -> str:
    """Who to count a request against: the peer's address, or the client's from
    X-Forwarded-For when the peer is the proxy named with `--proxy`. Used in memory only."""
    return request.client.host if request.client else "unknown"
