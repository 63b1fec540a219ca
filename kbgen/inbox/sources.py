"""Where trainers' commands read the inbox: its database file directly, or the running inbox
over HTTP with the trainer token. Both give the same records, so `kbgen stories pull`,
`search-gaps` and `feedback` work the same either way.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kbgen.inbox.settings import DEFAULT_DATABASE, TOKEN_VARIABLE
from kbgen.inbox.store import InboxStory, QueryCount, Store, StoreError, VoteRow

if TYPE_CHECKING:
    import argparse


class SourceError(Exception):
    """The inbox cannot be read; the message says why and how to fix it."""


class Source(Protocol):
    def stories(self) -> list[InboxStory]: ...
    def mark_pulled(self, receipt: str, story_id: str) -> bool: ...
    def query_counts(self) -> list[QueryCount]: ...
    def search_days(self) -> tuple[str | None, str | None]: ...
    def votes(self) -> list[VoteRow]: ...


def add_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--db",
        help=f"the inbox's SQLite file (default: {DEFAULT_DATABASE}, or $KBGEN_INBOX_DB)",
    )
    where.add_argument(
        "--inbox",
        metavar="URL",
        help="the running inbox, like https://handbook.example/inbox/, read with the trainer "
        f"token from ${TOKEN_VARIABLE} or --token-file",
    )
    parser.add_argument("--token-file", help="a file holding the trainer token")


def open_source(args: argparse.Namespace) -> Source:
    if args.inbox:
        return HttpSource(args.inbox, _token(args.token_file))
    path = Path(args.db or os.environ.get("KBGEN_INBOX_DB") or DEFAULT_DATABASE)
    try:
        return DatabaseSource(Store(path, create=False))
    except StoreError as exc:
        raise SourceError(
            f"{exc}\n    fix: give the inbox's database with --db, or read the running inbox "
            "with --inbox URL"
        ) from None


def _token(token_file: str | None) -> str:
    from kbgen.inbox.server import StartError, read_token

    try:
        token = read_token(token_file)
    except StartError as exc:
        raise SourceError(str(exc)) from None
    if token is None:
        raise SourceError(
            f"reading the inbox over HTTP needs the trainer token: set ${TOKEN_VARIABLE}"
        )
    return token


class DatabaseSource:
    def __init__(self, store: Store) -> None:
        self.store = store

    def stories(self) -> list[InboxStory]:
        return self.store.stories(waiting_only=True)

    def mark_pulled(self, receipt: str, story_id: str) -> bool:
        return self.store.mark_pulled(receipt, story_id)

    def query_counts(self) -> list[QueryCount]:
        return self.store.query_counts()

    def search_days(self) -> tuple[str | None, str | None]:
        return self.store.search_days()

    def votes(self) -> list[VoteRow]:
        return list(self.store.votes())


class HttpSource:
    """The trainer endpoints of a running inbox. The token goes in a header, never in a URL,
    a message or a log."""

    def __init__(self, url: str, token: str) -> None:
        self.base = url if url.endswith("/") else url + "/"
        self._token = token
        self._searches: dict[str, Any] | None = None

    def _call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            f"{self.base}api/trainer/{path}",
            data=None if body is None else json.dumps(body).encode(),
            method="GET" if body is None else "POST",
            headers={"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
            | ({} if body is None else {"Content-Type": "application/json"}),
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error", exc.reason)
            except ValueError:
                message = exc.reason
            raise SourceError(f"the inbox at {self.base} answered {exc.code}: {message}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SourceError(f"cannot read the inbox at {self.base}: {reason}") from None

    def stories(self) -> list[InboxStory]:
        return [InboxStory(**s) for s in self._call("stories")["stories"]]

    def mark_pulled(self, receipt: str, story_id: str) -> bool:
        return bool(self._call("pulled", {"receipt": receipt, "story_id": story_id})["marked"])

    def _search_data(self) -> dict[str, Any]:
        if self._searches is None:
            self._searches = self._call("searches")
        return self._searches

    def query_counts(self) -> list[QueryCount]:
        return [QueryCount(**q) for q in self._search_data()["queries"]]

    def search_days(self) -> tuple[str | None, str | None]:
        data = self._search_data()
        return data["first"], data["last"]

    def votes(self) -> list[VoteRow]:
        return [VoteRow(**v) for v in self._call("votes")["votes"]]
