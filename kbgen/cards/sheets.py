"""Imposed print sheets as PDFs: the card's own face markup, placed by the imposition layout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from kbgen.cards.faces import card_html
from kbgen.cards.imposition import best_layout
from kbgen.cards.pdf import CardProblem, render_pdf
from kbgen.templating import make_environment

if TYPE_CHECKING:
    from kbgen.cards.imposition import Layout, Paper
    from kbgen.model.cards import Card
    from kbgen.model.handbook import Handbook


def sheet_pages(card: Card, handbook: Handbook, paper: Paper) -> tuple[Layout, str]:
    """The layout and markup of one card's two sheet pages (fronts, then backs)."""
    layout = best_layout(card.width_mm, card.height_mm, paper)
    if layout is None:
        raise CardProblem(
            card,
            None,
            f"'{card.title}' is bigger than a {paper.name} sheet",
            "choose a smaller card size or print it on bigger paper",
        )
    faces = {face: Markup(card_html(card, handbook, [face])) for face in ("front", "back")}  # noqa: S704
    markup = (
        make_environment()
        .get_template("sheet.html.j2")
        .render(card=card, layout=layout, faces=faces)
    )
    return layout, markup


def sheet_pdf(cards: list[Card], handbook: Handbook, paper: Paper) -> bytes:
    """One PDF for a paper size: for each card, a page of fronts and a page of backs."""
    pages = [sheet_pages(card, handbook, paper)[1] for card in cards]
    return render_pdf("\n".join(pages), f"Quick-reference cards on {paper.name}")
