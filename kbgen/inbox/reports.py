"""What trainers read from the inbox: the searches that found nothing or whose results nobody
opened, and the pages agents said did not help. Plain data, printed by the commands."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.inbox.store import QueryCount, VoteRow


@dataclass(frozen=True)
class SearchGaps:
    first: str | None  # the day of the first and last search counted
    last: str | None
    searches: int
    queries: int
    empty: list[QueryCount]  # queries that found nothing, most often first
    unopened: list[QueryCount]  # queries that found something nobody opened


def search_gaps(
    counts: list[QueryCount], days: tuple[str | None, str | None], top: int
) -> SearchGaps:
    empty = sorted((c for c in counts if c.empty), key=lambda c: (-c.empty, c.query))
    unopened = sorted(
        (c for c in counts if c.searches > c.empty and not c.opens),
        key=lambda c: (-(c.searches - c.empty), c.query),
    )
    return SearchGaps(
        days[0],
        days[1],
        sum(c.searches for c in counts),
        len(counts),
        empty[:top],
        unopened[:top],
    )


@dataclass
class PageVotes:
    page: str  # technique/<id> or situation/<id>
    helped: int = 0
    not_helped: int = 0
    comments: list[VoteRow] = field(default_factory=list)


def feedback(votes: list[VoteRow]) -> list[PageVotes]:
    """Pages by "did not help" votes, most first; each with its comments, newest first."""
    pages: dict[str, PageVotes] = defaultdict(lambda: PageVotes(""))
    for vote in votes:
        page = pages[vote.page]
        page.page = vote.page
        if vote.helped:
            page.helped += 1
        else:
            page.not_helped += 1
        if vote.comment:
            page.comments.append(vote)
    for page in pages.values():
        page.comments.sort(key=lambda v: v.day, reverse=True)
    return sorted(pages.values(), key=lambda p: (-p.not_helped, -p.helped, p.page))
