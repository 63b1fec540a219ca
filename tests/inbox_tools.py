"""What the inbox tests share: a clean story, requests as a page or a script sends them, and
a small handbook project whose site uses the inbox."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from factory import MKDOCS_YML, write, write_handbook

if TYPE_CHECKING:
    from pathlib import Path

CLEAN_STORY = {
    "title": "He wanted it fixed today",
    "author": "",
    "channel": "phone",
    "situations": ["customer-is-yelling"],
    "techniques": ["let-them-vent"],
    "outcome": "Resolved on the call.",
    "lesson": "Let them finish, then offer the fix.",
    "body": "The customer was angry about a late engineer and shouted at me on the call. I let "
    "him finish, apologised and booked the first slot tomorrow.",
}
PHONE_BODY = (
    "The customer was angry about a late engineer and shouted at me on the call. He said "
    "ring me on 07700 900123 when it is fixed."
)


@dataclass
class Answer:
    status: int
    body: Any  # decoded JSON, or the raw text when it is not JSON
    headers: dict[str, str]


def request(
    base: str,
    method: str,
    path: str,
    body: bytes | str | dict | list | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One HTTP request, exactly as given (http.client adds nothing but Host and length)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    if isinstance(body, dict | list):
        body = json.dumps(body)
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    try:
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        raw = response.read()
        try:
            decoded = json.loads(raw)
        except ValueError:
            decoded = raw.decode("utf-8", "replace")
        return Answer(response.status, decoded, {k.lower(): v for k, v in response.getheaders()})
    finally:
        connection.close()


def from_page(base: str) -> dict[str, str]:
    """The headers a handbook page's fetch sends: JSON, from the inbox's own origin."""
    return {"Content-Type": "application/json", "Origin": base.rstrip("/")}


def send_story(base: str, story: dict | None = None, **changes: Any) -> Answer:
    return request(
        base, "POST", "/inbox/api/stories", {**(story or CLEAN_STORY), **changes}, from_page(base)
    )


def inbox_project(root: Path, inbox_url: str = "/inbox/", port: int | None = None) -> Path:
    """A small valid handbook whose site sends to an inbox at `inbox_url`; with Material's
    instant navigation (pages replace each other without a reload) when it will be served
    on `port` of 127.0.0.1 (the sitemap Material navigates by must name that address)."""
    write_handbook(root)
    config = MKDOCS_YML.replace("  - kbgen\n", f"  - kbgen:\n      inbox_url: {inbox_url}\n")
    if port is not None:
        config = config.replace(
            "  font: false\n", "  font: false\n  features: [navigation.instant]\n"
        )
        config = f"site_url: http://127.0.0.1:{port}/\n{config}"
    write(root / "mkdocs.yml", config)
    return root
