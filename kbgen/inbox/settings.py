"""How one inbox runs: its database, its trainer token and its limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbgen.inbox.guard import MAX_BODY

if TYPE_CHECKING:
    from pathlib import Path

    from kbgen.inbox.submissions import KnownIds

TOKEN_VARIABLE = "KBGEN_INBOX_TOKEN"
"""Where the trainer token comes from (or a file given with --token-file): never a command
line argument, which every user of the machine can read in the process list."""

TOKEN_MIN_CHARS = 16
DEFAULT_DATABASE = "inbox.sqlite3"


@dataclass(frozen=True)
class InboxSettings:
    database: Path
    token: str | None = None  # None: trainer endpoints are off
    rate_per_minute: int = 60  # per client, every kind of request together; 0: no limit
    max_body: int = MAX_BODY
    allowed_origins: frozenset[str] = frozenset()  # besides the page's own origin
    known: KnownIds | None = None  # the handbook's ids, when the project is at hand
    proxy: str | None = None  # the reverse proxy's address: only its X-Forwarded-For counts

    def __repr__(self) -> str:  # the token never shows in a log or a traceback
        return f"InboxSettings(database={self.database!s}, token={'set' if self.token else None})"
