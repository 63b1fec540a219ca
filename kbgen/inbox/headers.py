"""Security headers on every answer, the site's pages and the inbox's alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.inbox import PREFIX

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"SAMEORIGIN",
    b"cross-origin-opener-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}
API_HEADERS = {
    **PAGE_HEADERS,
    b"x-frame-options": b"DENY",
    b"content-security-policy": b"default-src 'none'; frame-ancestors 'none'",
    b"cache-control": b"no-store",
    b"cross-origin-resource-policy": b"same-origin",
}


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers without touching the body (files stream)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.proxy: str | None = None  # the proxy whose X-Forwarded-For is believed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        extra = API_HEADERS if path == PREFIX or path.startswith(PREFIX + "/") else PAGE_HEADERS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in extra.items() if k not in names),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)
