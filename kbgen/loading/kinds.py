"""The registry of entry kinds: which folder under snippets/ holds which model.

Adding a kind is one line here, its model in `kbgen.model.entries`, a dict on the Handbook
named like the folder, and its renderer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbgen.model.cards import Card
from kbgen.model.entries import Entry, Situation, Source, Technique
from kbgen.model.stories import Story


@dataclass(frozen=True)
class Kind:
    folder: str
    model: type[Entry]


KINDS: dict[str, Kind] = {
    kind.folder: kind
    for kind in (
        Kind("sources", Source),
        Kind("techniques", Technique),
        Kind("situations", Situation),
        Kind("cards", Card),
        Kind("stories", Story),
    )
}
