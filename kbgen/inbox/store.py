"""The inbox's one SQLite file: stories, search events and votes, each committed before the
inbox answers, so an acknowledged submission survives a crash or a power cut.

WAL mode lets `kbgen stories pull`, `search-gaps` and `feedback` read the file while the inbox
writes to it; `synchronous=FULL` makes every commit reach the disk before it returns. Nothing
that identifies an agent is stored: no address, no user, and only the day of each event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    receipt    TEXT PRIMARY KEY,   -- what the agent can quote: KB-7F3Q-9M2X
    submission TEXT UNIQUE,        -- the client's key, or sha256:<content>: kept once
    received   TEXT NOT NULL,      -- the day, YYYY-MM-DD
    story      TEXT NOT NULL,      -- the checked fields, as JSON
    pulled     TEXT,               -- the day `kbgen stories pull` wrote its file
    pulled_as  TEXT                -- the story id it was written as
);
CREATE TABLE IF NOT EXISTS searches (
    day     TEXT NOT NULL,
    query   TEXT NOT NULL,         -- normalised: lower case, single spaces
    found   INTEGER NOT NULL,      -- results shown
    retried INTEGER NOT NULL       -- found only after kbgen retried with looser words
);
CREATE TABLE IF NOT EXISTS opens (
    day      TEXT NOT NULL,
    query    TEXT NOT NULL,
    location TEXT NOT NULL,        -- the page opened from the results
    rank     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS votes (
    vote    TEXT PRIMARY KEY,      -- random, so a comment can follow the vote
    day     TEXT NOT NULL,
    page    TEXT NOT NULL,         -- technique/<id> or situation/<id>
    helped  INTEGER NOT NULL,
    comment TEXT
);
CREATE INDEX IF NOT EXISTS searches_by_query ON searches (query);
CREATE INDEX IF NOT EXISTS opens_by_query ON opens (query);
CREATE INDEX IF NOT EXISTS stories_waiting ON stories (pulled);
"""

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so a receipt read out over the phone is not misheard."""


class StoreError(Exception):
    """The database cannot be opened or is not an inbox; the message says which file and why."""


class KeyReused(Exception):
    """A submission key sent again with another story: not a resend, and never kept over."""


@dataclass(frozen=True)
class InboxStory:
    receipt: str
    received: str
    fields: dict[str, Any]
    pulled: str | None = None
    pulled_as: str | None = None


@dataclass(frozen=True)
class QueryCount:
    query: str
    searches: int  # settled searches of this query
    empty: int  # of which found nothing
    retried: int  # of which found something only with looser words
    opens: int  # results opened from it


@dataclass(frozen=True)
class VoteRow:
    day: str
    page: str
    helped: bool
    comment: str | None


def new_receipt() -> str:
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"KB-{chars[:4]}-{chars[4:]}"


def content_key(text: str) -> str:
    """The key of a story sent without one: its checked content (a client key has no ':')."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def today() -> str:
    return dt.date.today().isoformat()


class Store:
    """One connection, used by one thread at a time (the inbox's worker threads take turns:
    SQLite has one writer anyway)."""

    def __init__(self, path: Path, create: bool = True) -> None:
        self.path = path
        if not create and not path.is_file():
            raise StoreError(f"no inbox database at {path}")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(path), check_same_thread=False, isolation_level=None, timeout=30
            )
            self._db.execute("PRAGMA busy_timeout = 30000")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{path} was written by a newer kbgen (schema {version})")
            if version == 0:
                tables = self._db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
                if tables or not create:  # someone else's database: never add tables to it
                    raise StoreError(f"{path} is not an inbox database")
                self._db.executescript(SCHEMA)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            self._db.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} cannot be used as the inbox database: {exc}") from None
        if mode.lower() != "wal":
            raise StoreError(f"{path}: SQLite refused WAL mode (journal mode is {mode})")
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        """One statement in its own transaction, committed (and on disk) when this returns."""
        with self._lock:
            return self._db.execute(sql, params)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # --- what agents send -------------------------------------------------------------

    def add_story(self, fields: dict[str, Any], submission: str | None = None) -> str:
        """Keep a checked story; its receipt. A resent story (a retry after a lost answer) gets
        the first receipt back and is not kept twice: the same `submission` key, or, when the
        client gives none, the same checked content. A key already used for another story
        raises `KeyReused`."""
        text = json.dumps(fields, ensure_ascii=False, sort_keys=True)
        key = submission or content_key(text)
        for _ in range(5):  # a receipt clash is one in a trillion: try another
            receipt = new_receipt()
            try:
                self._write(
                    "INSERT INTO stories (receipt, submission, received, story) "
                    "VALUES (?, ?, ?, ?)",
                    (receipt, key, today(), text),
                )
                return receipt
            except sqlite3.IntegrityError:
                found = self._read(
                    "SELECT receipt, story FROM stories WHERE submission = ?", (key,)
                )
                if found and found[0][1] != text:
                    raise KeyReused(key) from None
                if found:
                    return found[0][0]
        raise StoreError("could not find a free receipt")

    def add_search(self, query: str, found: int, retried: bool) -> None:
        self._write(
            "INSERT INTO searches (day, query, found, retried) VALUES (?, ?, ?, ?)",
            (today(), query, found, int(retried)),
        )

    def add_open(self, query: str, location: str, rank: int) -> None:
        self._write(
            "INSERT INTO opens (day, query, location, rank) VALUES (?, ?, ?, ?)",
            (today(), query, location, rank),
        )

    def add_vote(self, page: str, helped: bool, comment: str | None = None) -> str:
        vote = secrets.token_urlsafe(12)
        self._write(
            "INSERT INTO votes (vote, day, page, helped, comment) VALUES (?, ?, ?, ?, ?)",
            (vote, today(), page, int(helped), comment),
        )
        return vote

    def add_comment(self, vote: str, comment: str) -> bool:
        """A comment on a vote given earlier today; False when there is no such vote or it
        has a comment already (a comment is never replaced)."""
        cursor = self._write(
            "UPDATE votes SET comment = ? WHERE vote = ? AND comment IS NULL AND day = ?",
            (comment, vote, today()),
        )
        return cursor.rowcount == 1

    # --- what trainers read -----------------------------------------------------------

    def stories(self, waiting_only: bool = True) -> list[InboxStory]:
        where = "WHERE pulled IS NULL " if waiting_only else ""
        rows = self._read(
            "SELECT receipt, received, story, pulled, pulled_as FROM stories "
            f"{where}ORDER BY received, rowid"
        )
        return [InboxStory(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in rows]

    def mark_pulled(self, receipt: str, story_id: str) -> bool:
        cursor = self._write(
            "UPDATE stories SET pulled = ?, pulled_as = ? WHERE receipt = ? AND pulled IS NULL",
            (today(), story_id, receipt),
        )
        return cursor.rowcount == 1

    def query_counts(self) -> list[QueryCount]:
        opens = dict(self._read("SELECT query, COUNT(*) FROM opens GROUP BY query"))
        rows = self._read(
            "SELECT query, COUNT(*), SUM(found = 0), SUM(retried) FROM searches GROUP BY query"
        )
        counts = {
            q: QueryCount(q, n, empty, retried, opens.get(q, 0)) for q, n, empty, retried in rows
        }
        for query, opened in opens.items():  # opened before its search settled
            counts.setdefault(query, QueryCount(query, 0, 0, 0, opened))
        return list(counts.values())

    def search_days(self) -> tuple[str | None, str | None]:
        row = self._read(
            "SELECT MIN(day), MAX(day) FROM (SELECT day FROM searches UNION ALL "
            "SELECT day FROM opens)"
        )[0]
        return row[0], row[1]

    def votes(self) -> Iterator[VoteRow]:
        for day, page, helped, comment in self._read(
            "SELECT day, page, helped, comment FROM votes ORDER BY day, rowid"
        ):
            yield VoteRow(day, page, bool(helped), comment)

    def receipts(self) -> list[str]:
        """Every story's receipt, for the durability checks of the tests and benchmark."""
        return [r[0] for r in self._read("SELECT receipt FROM stories ORDER BY rowid")]
