"""The entry a search most likely wanted: the query's words against each technique's and
situation's title, aliases and summary. A hint for trainers ("add 'paypal' to the aliases of
Offer solutions"), so a rough word match is enough: no index, no stemming tables."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.model.entries import Situation, Technique
    from kbgen.model.handbook import Handbook

IGNORED = frozenset(
    "a an and are at be can do does for from he her his how i if in is it me my not of on or "
    "she so that the their them they this to was we what when why with you your customer call "
    "caller".split()
)
"""Words that tell nothing about which entry a query wants."""

MINIMUM_SCORE = 0.34


@dataclass(frozen=True)
class Suggestion:
    kind: str
    id: str
    title: str
    score: float

    def __str__(self) -> str:
        return f"{self.kind}/{self.id} ({self.title})"


def words(text: str) -> list[str]:
    return [
        w for w in re.findall(r"[a-z0-9]+", text.casefold().replace("'", "")) if w not in IGNORED
    ]


def _likeness(word: str, other: str) -> float:
    if word == other:
        return 1.0
    shorter, longer = sorted((word, other), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter[: max(4, len(shorter) - 2)]):
        return 0.8  # another form of the word: apologise, apology; yell, yelling
    ratio = difflib.SequenceMatcher(None, word, other).ratio()
    return ratio * 0.7 if ratio >= 0.8 else 0.0  # a typo: appologize


def nearest_entry(query: str, handbook: Handbook) -> Suggestion | None:
    asked = words(query)
    if not asked:
        return None
    best: Suggestion | None = None
    entries: list[Technique | Situation] = [
        *handbook.situations.values(),
        *handbook.techniques.values(),
    ]
    for entry in entries:
        # the title says most; an alias (often a misspelling) a little less; the summary least
        fields = [
            (set(words(entry.title)), 1.0),
            (set(words(" ".join(entry.aliases))), 0.9),
            (set(words(entry.summary)), 0.6),
        ]
        score = 0.0
        for word in asked:
            score += max(
                (_likeness(word, w) * weight for found, weight in fields for w in found),
                default=0.0,
            )
        score /= len(asked)
        if score >= MINIMUM_SCORE and (best is None or score > best.score):
            best = Suggestion(entry.kind, entry.id, entry.title, round(score, 2))
    return best
