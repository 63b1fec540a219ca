"""A card's faces as HTML, from the same template for the site, the browser's print and PDFs."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from kbgen.cards.imposition import PAPERS
from kbgen.model.cards import PRESETS, PhraseRef
from kbgen.templating import make_environment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kbgen.model.cards import Card, CardPhrase
    from kbgen.model.handbook import Handbook

FACES = ("front", "back")


def card_html(card: Card, handbook: Handbook, faces: Iterable[str] = FACES) -> str:
    """The card's markup: a `.kb-card` with one `<section>` per face, in order."""
    return (
        make_environment()
        .get_template("card.html.j2")
        .render(
            card=card,
            handbook=handbook,
            faces=list(faces),
            phrase_texts=lambda items, polarity: phrase_texts(handbook, items, polarity),
        )
    )


def phrase_texts(handbook: Handbook, items: list[CardPhrase], polarity: str) -> list[str]:
    """The words of each phrase on a card: written out, or taken from a technique."""
    texts = []
    for item in items:
        if isinstance(item, PhraseRef):
            phrases = getattr(handbook.techniques[item.technique], polarity)
            texts.append(phrases[item.phrase - 1].text)
        else:
            texts.append(item)
    return texts


@cache
def stylesheet() -> str:
    """The card stylesheet (screen, print and PDF), generated from the size presets."""
    sizes = [
        {
            "key": size.value,
            "width": round(p.width_mm, 2),
            "height": round(p.height_mm, 2),
            "padding": p.padding_mm,
        }
        for size, p in PRESETS.items()
    ]
    papers = [{"key": p.key, "width": p.width_mm, "height": p.height_mm} for p in PAPERS.values()]
    return make_environment().get_template("cards.css.j2").render(sizes=sizes, papers=papers)
