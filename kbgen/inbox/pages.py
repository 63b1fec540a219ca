"""How the built site learns where its inbox is: the `inbox_url` option, checked, and a
`<meta name="kbgen-inbox">` tag in every page's head, with the inbox script.

A meta tag survives Material's instant navigation (it swaps head tags, keeping those every
page shares) and is simply absent from the plain export and from a site built without
`inbox_url`: there the pages never try to reach an inbox.
"""

from __future__ import annotations

import html
import re
from typing import Any

from mkdocs.config.base import ValidationError
from mkdocs.config.config_options import Optional, Type

from kbgen.render import urls

SCRIPT = f"{urls.ASSETS_DIR}/kbgen-inbox.js"
META = "kbgen-inbox"

ADDRESS = re.compile(r"^(?:https?://[^/\s\"'<>]+)?/[^\s\"'<>?#]*$")


class InboxUrl(Optional):
    """`inbox_url`: where the site's pages reach the inbox, like /inbox/ (off when unset)."""

    def __init__(self) -> None:
        super().__init__(Type(str))

    def run_validation(self, value: object) -> Any:
        value = super().run_validation(value)
        if value is None:
            return None
        if not ADDRESS.match(value):
            raise ValidationError(
                f"'{value}' is not an address the pages can use: give a path on the site's "
                "own server, like /inbox/ (or a full http(s):// address)"
            )
        return value if value.endswith("/") else value + "/"


def scripts(inbox_url: str | None) -> list[str]:
    """The scripts every page links when the site has an inbox."""
    return [SCRIPT] if inbox_url else []


def announce(page_html: str, inbox_url: str | None) -> str:
    """The page with the inbox's address in its head (unchanged without an inbox)."""
    if not inbox_url:
        return page_html
    tag = f'<meta name="{META}" content="{html.escape(inbox_url)}">\n'
    head_end = page_html.find("</head>")
    if head_end < 0:
        return page_html
    return page_html[:head_end] + tag + page_html[head_end:]
