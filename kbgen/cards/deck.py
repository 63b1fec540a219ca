"""The bundled deck: every card checked, its PDF, and the print sheets for each paper size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.cards.faces import card_html
from kbgen.cards.imposition import PAPERS
from kbgen.cards.pdf import CardProblem, card_problems, render_pdf
from kbgen.cards.sheets import sheet_pdf
from kbgen.problems import Problem

if TYPE_CHECKING:
    from collections.abc import Callable

    from kbgen.model.cards import Card
    from kbgen.model.handbook import Handbook


def deck_problems(handbook: Handbook, file_of: Callable[[Card], str]) -> list[Problem]:
    """Every card that does not fit its faces or uses characters the card font lacks."""
    return [
        _as_problem(p, file_of(card))
        for card in handbook.ordered_cards()
        for p in card_problems(card, handbook)
    ]


def _as_problem(problem: CardProblem, file: str) -> Problem:
    where = f"{problem.face}: " if problem.face else ""
    return Problem(
        file,
        None,
        f"card '{problem.card.id}', {where}{problem.message}",
        problem.fix,
    )


def card_pdfs(
    handbook: Handbook, progress: Callable[[str], None] | None = None
) -> dict[str, bytes]:
    """{card id: duplex PDF} for every card. Call deck_problems first: this assumes a fit."""
    pdfs = {}
    cards = handbook.ordered_cards()
    for number, card in enumerate(cards, 1):
        if progress:
            progress(f"card {number}/{len(cards)}: {card.id}")
        pdfs[card.id] = render_pdf(card_html(card, handbook), card.title)
    return pdfs


def sheet_files(
    handbook: Handbook, papers: list[str], progress: Callable[[str], None] | None = None
) -> dict[str, bytes]:
    """One imposed sheet PDF per paper size: print-sheets-a4.pdf, print-sheets-letter.pdf."""
    files = {}
    for key in papers:
        if progress:
            progress(f"print sheets on {PAPERS[key].name}")
        files[f"print-sheets-{key}.pdf"] = sheet_pdf(
            handbook.ordered_cards(), handbook, PAPERS[key]
        )
    return files
