"""Which advice is due for review, and what changed lately: dates come from the entries, and
"today" from SOURCE_DATE_EPOCH when set (so a rebuild of the same input is identical)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.model.entries import ReviewedEntry
    from kbgen.model.handbook import Handbook
    from kbgen.model.stories import Story


def reference_date() -> dt.date:
    """The day freshness is judged on: SOURCE_DATE_EPOCH's, for reproducible builds, or today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class Overdue:
    entry: ReviewedEntry
    due: dt.date
    days: int  # how many days past due


def reviewed_entries(handbook: Handbook) -> list[ReviewedEntry]:
    return [*handbook.techniques.values(), *handbook.situations.values(), *handbook.cards.values()]


def overdue(handbook: Handbook, fresh_days: int, today: dt.date) -> list[Overdue]:
    """Entries whose last review is older than `fresh_days`, most overdue first."""
    found = []
    for entry in reviewed_entries(handbook):
        if entry.reviewed >= today:
            continue  # reviewed today, or a day in the future (reported; 9999-12-31 + 180 days
            # would overflow)
        due = entry.reviewed + dt.timedelta(days=fresh_days)
        if due < today:
            found.append(Overdue(entry, due, (today - due).days))
    return sorted(found, key=lambda o: (-o.days, o.entry.kind, o.entry.id))


def latest_day() -> dt.date:
    """The last day an entry can have been reviewed or added on: today, or SOURCE_DATE_EPOCH's
    day when that is later, plus one day for the time zones ahead of this machine's clock.
    (A build pinned to an earlier day must still accept the reviews done since.)"""
    return max(reference_date(), dt.date.today()) + dt.timedelta(days=1)


def in_the_future(handbook: Handbook, latest: dt.date) -> list[tuple[ReviewedEntry, str]]:
    """(entry, field) for each `reviewed` or `added` date after `latest`: a mistyped year, which
    would keep the entry off Needs review and at the top of What's new for good."""
    return [
        (entry, name)
        for entry in reviewed_entries(handbook)
        for name in ("reviewed", "added")
        if getattr(entry, name) is not None and getattr(entry, name) > latest
    ]


def by_owner(items: list[Overdue]) -> dict[str, list[Overdue]]:
    owners: dict[str, list[Overdue]] = {}
    for item in sorted(items, key=lambda o: (o.entry.owner.casefold(), -o.days, o.entry.id)):
        owners.setdefault(item.entry.owner, []).append(item)
    return owners


@dataclass(frozen=True)
class Change:
    date: dt.date
    entry: ReviewedEntry | Story
    what: str  # "added", "reviewed", "shared" (a story), or what its history says changed


def recent_changes(handbook: Handbook, limit: int = 60) -> list[Change]:
    """The latest changes by the entries' own dates, newest first: each entry's history (what
    changed), when it was added, when it was reviewed; and stories when they were shared."""
    changes: list[Change] = []
    for entry in reviewed_entries(handbook):
        told = {item.date for item in entry.history}
        changes += [Change(item.date, entry, item.what) for item in entry.history]
        if entry.added is not None and entry.added not in told:
            changes.append(Change(entry.added, entry, "added"))
        elif entry.added is None and entry.reviewed not in told:
            changes.append(Change(entry.reviewed, entry, "reviewed"))
    changes += [Change(story.date, story, "shared") for story in handbook.stories.values()]
    changes.sort(key=lambda c: (c.date, c.entry.kind, c.entry.id), reverse=True)
    return changes[:limit]
