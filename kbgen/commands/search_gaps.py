"""`kbgen search-gaps`: what agents searched for and did not find, from the inbox."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kbgen.problems import plural

if TYPE_CHECKING:
    import argparse

    from kbgen.inbox.store import QueryCount
    from kbgen.model.handbook import Handbook

DESCRIPTION = (
    "The queries agents typed into the search box that found nothing, and those whose results "
    "nobody opened, with counts, the date range and the entry each most likely wanted (add the "
    "query's words to that entry's aliases). Reads the inbox's database, or the running inbox "
    "with the trainer token."
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    from kbgen.inbox.sources import add_options

    gaps = commands.add_parser(
        "search-gaps", help="searches that found nothing, from the inbox", description=DESCRIPTION
    )
    add_options(gaps)
    gaps.add_argument("--top", type=int, default=20, help="queries per list (default: 20)")
    gaps.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kbgen.inbox.reports import search_gaps
    from kbgen.inbox.sources import SourceError, open_source

    try:
        source = open_source(args)
        report = search_gaps(source.query_counts(), source.search_days(), max(args.top, 1))
    except SourceError as exc:
        print(f"kbgen search-gaps: {exc}", file=sys.stderr)
        return 2
    if not report.searches:
        print("No searches recorded yet.")
        return 0
    handbook = loaded_handbook(args)
    searches = plural(report.searches, "search", "searches")
    queries = plural(report.queries, "different query", "different queries")
    print(f"Searches from {report.first} to {report.last}: {searches}, {queries}.")
    print(f"\nFound nothing ({plural(len(report.empty), 'query', 'queries')} shown)")
    _table([(c.empty, c) for c in report.empty], handbook)
    shown = plural(len(report.unopened), "query", "queries")
    print(f"\nFound something nobody opened ({shown} shown)")
    _table([(c.searches - c.empty, c) for c in report.unopened], handbook)
    return 0


def _table(rows: list[tuple[int, QueryCount]], handbook: Handbook | None) -> None:
    from kbgen.inbox.nearest import nearest_entry

    if not rows:
        print("  none")
        return
    width = max(len(c.query) for _, c in rows)
    print(f"  {'times':>5}  {'query':<{width}}  nearest entry")
    for times, count in rows:
        near = nearest_entry(count.query, handbook) if handbook else None
        print(f"  {times:>5}  {count.query:<{width}}  {near or '-'}".rstrip())


def loaded_handbook(args: argparse.Namespace) -> Handbook | None:
    """The project's handbook, for suggestions; None (with a note) when it cannot be loaded."""
    from kbgen.build import build
    from kbgen.site.project import ProjectError, load_project

    try:
        result = build(load_project(args.config).settings, "content")
    except ProjectError as exc:
        print(f"note: no suggestions: {exc}", file=sys.stderr)
        return None
    if not result.handbook.techniques and not result.handbook.situations:
        print(
            "note: no suggestions: no entries found (run from the project folder)", file=sys.stderr
        )
        return None
    return result.handbook
