"""The registry of entry kinds: every other module asks it what a kind is and where it lives.

Adding a kind is one line here, its model, a dict on the Handbook named like its folder, and
its page template.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbgen.model.cards import Card
from kbgen.model.entries import Entry, Situation, Source, Technique
from kbgen.model.stories import Story


@dataclass(frozen=True)
class Kind:
    name: str  # what messages and directives call it: "technique"
    folder: str  # its folder under snippets/, and its dict on the Handbook: "techniques"
    model: type[Entry]
    own_pages: bool  # a page per entry under the site's <folder>/; else one shared page
    scaffold: bool  # `kbgen new <name>` starts a file of this kind
    embeddable: bool  # hand-written pages may embed it (<!-- kbgen:link technique/… -->)


KINDS: tuple[Kind, ...] = (
    Kind("source", "sources", Source, own_pages=False, scaffold=True, embeddable=False),
    Kind("technique", "techniques", Technique, own_pages=True, scaffold=True, embeddable=True),
    Kind("situation", "situations", Situation, own_pages=True, scaffold=True, embeddable=True),
    Kind("card", "cards", Card, own_pages=True, scaffold=True, embeddable=True),
    Kind("story", "stories", Story, own_pages=True, scaffold=True, embeddable=False),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_FOLDER: dict[str, Kind] = {kind.folder: kind for kind in KINDS}

assert all(kind.model.kind == kind.name for kind in KINDS)
