"""Rendering a batch of cards: every face laid out at the sizes its search asks for, in one
document per pass, until each face's size is settled; then each card's PDF, written from the
very layouts that were measured.

A pass lays out only the faces still searching, all cards of the batch together: WeasyPrint's
cost per document is then shared, and a face's layout at the size it keeps is never redone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbgen.cards import problems
from kbgen.cards.faces import FACES, face_markup
from kbgen.cards.fit import HALF_EMPTY, CardFit, FaceSearch
from kbgen.cards.fonts import missing_characters

if TYPE_CHECKING:
    from weasyprint.document import Document, Page

    from kbgen.cards.pdf import FaceExtent
    from kbgen.cards.problems import DeckProblem
    from kbgen.model.cards import Card
    from kbgen.model.handbook import Handbook


@dataclass
class CardJob:
    card: Card
    page_url: str | None  # printed as a QR code on the back; None for none


@dataclass
class Rendered:
    """A card's outcome: its fit and PDF, or None for both when it cannot print."""

    card_id: str
    fit: CardFit | None
    problems: list[DeckProblem]
    pdf: bytes | None


@dataclass
class _Kept:
    index: int
    page: Page
    document: Document
    fill: float


def render_cards(jobs: list[CardJob], handbook: Handbook) -> list[Rendered]:
    """Fit and render every card of `jobs`, in order."""
    outcomes: dict[str, Rendered] = {}
    searching = []
    for job in jobs:
        markup = face_markup(job.card, handbook, dict.fromkeys(FACES, 0.0), job.page_url)
        missing = missing_characters(markup)
        if missing:
            outcomes[job.card.id] = Rendered(
                job.card.id, None, [problems.missing_glyphs(job.card, missing)], None
            )
        else:
            searching.append(job)
    outcomes.update({r.card_id: r for r in _fit_and_write(searching, handbook)})
    return [outcomes[job.card.id] for job in jobs]


def _fit_and_write(jobs: list[CardJob], handbook: Handbook) -> list[Rendered]:
    from kbgen.cards import pdf  # WeasyPrint: loaded only when a card is laid out

    cards = {job.card.id: job for job in jobs}
    searches = {
        (job.card.id, face): FaceSearch(job.card.body_sizes(), _past_heading_minimum(job.card))
        for job in jobs
        for face in FACES
    }
    kept: dict[tuple[str, str], _Kept] = {}
    at_minimum: dict[tuple[str, str], FaceExtent] = {}
    heights = {job.card.id: job.card.height_mm for job in jobs}
    paddings = {job.card.id: job.card.preset.padding_mm for job in jobs}
    while True:
        wanted = {key: search.next_index() for key, search in searches.items()}
        wanted = {key: index for key, index in wanted.items() if index is not None}
        if not wanted:
            break
        parts = []
        for card_id, job in cards.items():
            sizes = {
                face: searches[card_id, face].sizes[wanted[card_id, face]]
                for face in FACES
                if (card_id, face) in wanted
            }
            if sizes:
                parts.append(face_markup(job.card, handbook, sizes, job.page_url, list(sizes)))
        document = pdf.layout("\n".join(parts), "Fitting cards")
        for key, (extent, page) in pdf.face_extents(document, heights, paddings).items():
            index = wanted[key]
            searches[key].record(index, extent.fill)
            if index == 0:
                at_minimum[key] = extent
            best = kept.get(key)
            if extent.fill <= 1 and (best is None or index > best.index):
                kept[key] = _Kept(index, page, document, extent.fill)
    return [_outcome(job, searches, kept, at_minimum) for job in jobs]


def _past_heading_minimum(card: Card) -> float:
    """The smallest body size whose headings are not held at the heading minimum."""
    return next(
        (size for size in card.body_sizes() if card.heading_pt(size) > card.preset.min_heading_pt),
        float("inf"),
    )


def _outcome(
    job: CardJob,
    searches: dict[tuple[str, str], FaceSearch],
    kept: dict[tuple[str, str], _Kept],
    at_minimum: dict[tuple[str, str], FaceExtent],
) -> Rendered:
    card = job.card
    found: list[DeckProblem] = []
    for face in FACES:
        if (card.id, face) not in kept:
            extent = at_minimum[card.id, face]
            found.append(problems.overflow(card, face, extent.over_mm, extent.link_mm or None))
    if found:
        return Rendered(card.id, None, found, None)
    body = {face: searches[card.id, face].sizes[kept[card.id, face].index] for face in FACES}
    fit = CardFit(
        body_pt=body,
        heading_pt={face: card.heading_pt(size) for face, size in body.items()},
        fill={face: round(kept[card.id, face].fill, 4) for face in FACES},
        page_url=job.page_url,
    )
    for face in FACES:
        search, chosen = searches[card.id, face], kept[card.id, face]
        if chosen.index == len(search.sizes) - 1 and chosen.fill < HALF_EMPTY:
            found.append(problems.half_empty(card, face, chosen.fill, body[face]))
    pages = [kept[card.id, face].page for face in FACES]
    from kbgen.cards.pdf import tagged_pdf

    document = tagged_pdf(pages, kept[card.id, FACES[0]].document, card.title)
    return Rendered(card.id, fit, found, document)
