"""`kbgen stats`: what a trainer reads before a release: where the handbook is thin."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from kbgen.commands.common import run_build
from kbgen.freshness import overdue, reference_date
from kbgen.problems import plural

if TYPE_CHECKING:
    import argparse

    from kbgen.model.entries import Technique


DESCRIPTION = (
    "Coverage before a release: techniques without phrases, sources, a situation, a card or a "
    "story, and stories waiting for review."
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    stats = commands.add_parser(
        "stats",
        help="coverage: what lacks phrases, sources, cards, stories",
        description=DESCRIPTION,
    )
    stats.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = run_build(args, "content")
    if result is None:
        return 1
    handbook, origins = result.handbook, result.loaded.origins
    techniques = handbook.techniques_in_call_order()
    on_cards = {
        t
        for card in handbook.cards.values()
        for block in card.front + card.back
        for t in (getattr(block, "steps", None) or [])
    } | {
        item.technique
        for card in handbook.cards.values()
        for block in card.front + card.back
        for item in [*(getattr(block, "say", None) or []), *(getattr(block, "avoid", None) or [])]
        if hasattr(item, "technique")
    }
    reviews = result.reviews
    published = [r.story for r in reviews if r.published]
    stories_per = Counter(t for story in published for t in dict.fromkeys(story.techniques))

    def section(title: str, found: list[Technique]) -> None:
        print(f"{title}: {len(found)}")
        for technique in found:
            print(f"  {technique.id}  ({origins.file_of(technique)})")

    print(
        f"{len(handbook.techniques)} techniques, {len(handbook.situations)} situations, "
        f"{len(handbook.cards)} cards, {len(handbook.sources)} sources, "
        f"{sum(1 for _ in handbook.phrase_uses())} phrases, {len(handbook.stories)} stories "
        f"({len(published)} published)"
    )
    section("Techniques without phrases", [t for t in techniques if not t.say and not t.avoid])
    section("Techniques without 'say' phrases", [t for t in techniques if not t.say and t.avoid])
    section("Techniques without sources (house guidance)", [t for t in techniques if not t.sources])
    section(
        "Techniques in no situation", [t for t in techniques if not handbook.situations_using(t)]
    )
    section("Techniques on no card", [t for t in techniques if t.id not in on_cards])
    section("Techniques with no story", [t for t in techniques if not stories_per[t.id]])
    print("Stories per technique:")
    for technique in sorted(techniques, key=lambda t: (-stories_per[t.id], t.id)):
        print(f"  {stories_per[technique.id]:>4}  {technique.id}")
    waiting = [r.story.id for r in reviews if r.state == "submitted"]
    held = [r.story.id for r in reviews if r.held_back]
    print(
        f"Stories waiting for review: {len(waiting)}; approved but held back by checks: {len(held)}"
    )
    days = result.settings.review_after_days
    late = overdue(handbook, days, reference_date())
    print(f"Entries past their review date ({plural(days, 'day')}): {len(late)}")
    return 0
