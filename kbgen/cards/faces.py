"""A card's faces as HTML, from the same template for the site, the browser's print and PDFs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from kbgen.cards.imposition import PAPERS
from kbgen.model.cards import PRESETS, PhraseRef
from kbgen.templating import make_environment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kbgen.cards.fit import CardFit
    from kbgen.model.cards import Card, CardPhrase, Pair
    from kbgen.model.handbook import Handbook

FACES = ("front", "back")


@dataclass(frozen=True)
class FaceSize:
    body: float
    heading: float


@dataclass(frozen=True)
class PageLink:
    """The card's page on the site, as the back prints it: a QR code and the address."""

    url: str
    svg: Markup
    shown: Markup


def card_html(
    card: Card,
    handbook: Handbook,
    fit: CardFit | None = None,
    faces: Iterable[str] = FACES,
) -> str:
    """The card's markup: a `.kb-card` with one `<section>` per face, in order, each at the
    size its fit chose. Without a fit, the one the last deck render in this process chose for
    this very content, else the smallest sizes."""
    if fit is None:
        from kbgen.cards.cache import remembered_fit  # avoids an import cycle

        fit = remembered_fit(card, handbook)
    if fit is None:
        smallest = card.body_sizes()[0]
        sizes = {face: smallest for face in FACES}
        page_url = None
    else:
        sizes, page_url = fit.body_pt, fit.page_url
    return face_markup(card, handbook, sizes, page_url, faces)


def face_markup(
    card: Card,
    handbook: Handbook,
    body_pt: dict[str, float],
    page_url: str | None,
    faces: Iterable[str] = FACES,
) -> str:
    """The card's markup with each face at the given body size (headings follow from it)."""
    sizes = {
        face: FaceSize(_pt(body), _pt(card.heading_pt(body)))
        for face, body in body_pt.items()
        if face in FACES
    }
    return (
        make_environment()
        .get_template("card.html.j2")
        .render(
            card=card,
            handbook=handbook,
            faces=list(faces),
            sizes=sizes,
            link=page_link(page_url) if page_url else None,
            phrase_texts=lambda items, polarity: phrase_texts(handbook, items, polarity),
            pair_texts=lambda pairs: pair_texts(handbook, pairs),
        )
    )


def _pt(size: float) -> float | int:
    """8.0 -> 8 and 8.5 -> 8.5: the same size always reads the same in the markup."""
    return int(size) if float(size).is_integer() else size


def phrase_texts(handbook: Handbook, items: list[CardPhrase], polarity: str) -> list[str]:
    """The words of each phrase on a card: written out, or taken from a technique."""
    return [phrase_text(handbook, item, polarity) for item in items]


def phrase_text(handbook: Handbook, item: CardPhrase, polarity: str) -> str:
    if isinstance(item, PhraseRef):
        return getattr(handbook.techniques[item.technique], polarity)[item.phrase - 1].text
    return item


@dataclass(frozen=True)
class PairText:
    avoid: str
    say: str


def pair_texts(handbook: Handbook, pairs: list[Pair]) -> list[PairText]:
    """Each pair's words: its `not` phrase is one of a technique's phrases to avoid."""
    return [
        PairText(phrase_text(handbook, p.not_, "avoid"), phrase_text(handbook, p.say, "say"))
        for p in pairs
    ]


def page_link(url: str) -> PageLink:
    """A QR code for `url` as inline SVG (black on white, sized by the stylesheet) and the
    address without its scheme, breakable after each slash."""
    from kbgen.cards.qr import qr_svg  # only cards with a site address need it

    shown = url.split("://", 1)[-1].removesuffix("/")
    parts = [escape(part) for part in shown.split("/")]
    return PageLink(url, qr_svg(url), Markup("/<wbr>").join(parts))


@cache
def stylesheet() -> str:
    """The card stylesheet (screen, print and PDF), generated from the size presets."""
    sizes = [
        {
            "key": size.value,
            "width": round(p.width_mm, 2),
            "height": round(p.height_mm, 2),
            "padding": p.padding_mm,
            "desk": p.desk,
        }
        for size, p in PRESETS.items()
    ]
    papers = [{"key": p.key, "width": p.width_mm, "height": p.height_mm} for p in PAPERS.values()]
    return make_environment().get_template("cards.css.j2").render(sizes=sizes, papers=papers)
