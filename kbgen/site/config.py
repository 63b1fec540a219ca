"""Every option of the kbgen MkDocs plugin, with its default."""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from kbgen.inbox.pages import InboxUrl

PROCEDURE_ADDRESS = re.compile(r"^(?:https?://[^/\s\"'<>]+)?/[^\s\"'<>]*$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]*(?:\s*(?:ext\.?|x)\s*[0-9]+)?$", re.IGNORECASE)


class SafeguardingUrl(c.Optional):
    """`safeguarding_url`: the centre's procedure for callers at risk, a page on the intranet
    (https://intranet.example/safeguarding) or a path on the handbook's own server."""

    def __init__(self) -> None:
        super().__init__(c.Type(str))

    def run_validation(self, value: object) -> Any:
        value = super().run_validation(value)
        if value is not None and not PROCEDURE_ADDRESS.match(value.strip()):
            raise ValidationError(
                f"'{value}' is not an address a page can link to: give a full http(s):// "
                "address, like https://intranet.example/safeguarding, or a path on the "
                "handbook's server, like /policies/safeguarding.html"
            )
        return value.strip() if value is not None else None


class SafeguardingPhone(c.Optional):
    """`safeguarding_phone`: the number agents (or their manager) ring for a caller at risk."""

    def __init__(self) -> None:
        super().__init__(c.Type(str))

    def run_validation(self, value: object) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            # YAML reads 4321 as a number, and 0123 as octal 83: only quotes keep it as written
            raise ValidationError(
                "write the number in quotes, as it is dialled, like "
                'safeguarding_phone: "0800 123 4567"'
            )
        value = super().run_validation(value)
        if value is not None and not PHONE.match(value.strip()):
            raise ValidationError(
                f"'{value}' is not a phone number: give digits, spaces, +, -, ( ) and an "
                "optional extension, like '+44 20 7946 0000 ext 4321' or '4321'"
            )
        return value.strip() if value is not None else None


class KbgenConfig(Config):
    # Content: the folder of structured entries, relative to mkdocs.yml.
    snippets_dir = c.Type(str, default="snippets")

    # Navigation: build the site navigation from the model when mkdocs.yml has no `nav`.
    generate_nav = c.Type(bool, default=True)
    # A section with more entries than this lists only its index page: every page renders the
    # whole navigation, so listing thousands of entries would make the build quadratic.
    nav_max_entries = c.Type(int, default=60)

    # Freshness: advice is due for review this many days after its `reviewed:` date. Overdue
    # entries are listed on the "Needs review" page and reported as warnings (so a strict
    # build fails until they are reviewed) or, with `stale_entries: info`, as information.
    review_after_days = c.Type(int, default=180)
    stale_entries = c.Choice(("warning", "info"), default="warning")

    # Search: index the full text of technique and situation pages, or only their titles,
    # summaries and words. "auto" keeps full text up to FULL_TEXT_LIMIT entry pages: beyond,
    # the index grows past what a browser loads quickly (see README, "Big handbooks").
    search_full_text = c.Choice(("auto", "always", "never"), default="auto")

    # Speed: worker processes for big handbooks in `mkdocs build` (default: one per core).
    workers = c.Optional(c.Type(int))

    # Inbox (optional, kbgen/inbox/): where pages send stories, search gaps and "Did this
    # help?" votes, like /inbox/ (`kbgen serve` runs it there). Unset: pages send nothing and
    # the story form offers its file to download, as it does from a folder or the export.
    inbox_url = InboxUrl()

    # Safeguarding (optional): the centre's procedure for callers at risk and the number to
    # ring, shown on the first screen of situations marked `safeguarding: true`. Unset, those
    # pages tell the agent to follow the centre's procedure and bring in their manager.
    safeguarding_url = SafeguardingUrl()
    safeguarding_phone = SafeguardingPhone()
