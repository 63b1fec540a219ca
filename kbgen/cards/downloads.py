"""What the site offers to download for cards: each card's print sheets and the deck's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbgen.cards.imposition import PAPERS, PRINTABLE_MARGIN_MM, best_layout
from kbgen.render import urls

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kbgen.model.cards import Card


@dataclass(frozen=True)
class SheetLink:
    paper: str  # "A4", "US Letter"
    copies: int  # cards per sheet; 0 for the deck's sheet of every card
    path: str  # where it is published, under the docs folder


def card_sheet_links(
    card: Card, papers: Iterable[str], margin_mm: float = PRINTABLE_MARGIN_MM
) -> list[SheetLink]:
    """The card's print sheet on each paper it fits on."""
    links = []
    for key in papers:
        layout = best_layout(card.width_mm, card.height_mm, PAPERS[key], margin_mm)
        if layout is not None:
            links.append(
                SheetLink(PAPERS[key].name, layout.count, urls.card_sheet_pdf(card.id, key))
            )
    return links


def deck_sheet_links(papers: Iterable[str]) -> list[SheetLink]:
    """The print sheets of every card, one PDF per paper."""
    return [SheetLink(PAPERS[key].name, 0, urls.deck_sheet_pdf(key)) for key in papers]
