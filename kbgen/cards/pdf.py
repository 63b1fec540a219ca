"""Card PDFs with WeasyPrint, and the checks that a card really fits its faces.

Fit is measured, never assumed: each face is laid out once on a page as tall as it needs,
and the position of a marker at its end tells how far the text runs. A card that runs past
its face fails, naming the face and the millimetres over; text is never shrunk to fit.
"""

from __future__ import annotations

import html
import logging
import re
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fontTools.ttLib import TTFont
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from kbgen.cards.faces import FACES, card_html, stylesheet
from kbgen.templating import make_environment

if TYPE_CHECKING:
    from kbgen.model.cards import Card
    from kbgen.model.handbook import Handbook

MM_PER_PX = 25.4 / 96
ASSETS = Path(str(resources.files("kbgen") / "assets"))
FONT_FILES = ("fonts/AtkinsonHyperlegible-Regular.ttf", "fonts/AtkinsonHyperlegible-Bold.ttf")

# WeasyPrint logs every CSS rule it ignores (such as the screen-only parts of the shared
# stylesheet) as a warning; under `mkdocs build --strict` that would fail the build.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class CardProblem(Exception):
    """A card that cannot be printed as written; `face` is None for the whole card."""

    def __init__(self, card: Card, face: str | None, message: str, fix: str) -> None:
        super().__init__(message)
        self.card, self.face, self.message, self.fix = card, face, message, fix


def _fetcher() -> URLFetcher:
    """Local files only: a card never loads anything from the network."""
    return URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


def document_html(body: str, title: str) -> str:
    return (
        make_environment()
        .get_template("print_document.html.j2")
        .render(title=title, body=Markup(body))  # noqa: S704 - our own rendered markup
    )


@lru_cache(maxsize=256)  # `mkdocs serve` rebuilds in one process: unchanged cards are free
def render_pdf(body: str, title: str) -> bytes:
    """A PDF of `body` (card or sheet markup) with the card stylesheet and embedded fonts."""
    fonts = _font_config()
    css = CSS(string=stylesheet(), base_url=f"{ASSETS}/", url_fetcher=_fetcher(), font_config=fonts)
    html = HTML(string=document_html(body, title), base_url=f"{ASSETS}/", url_fetcher=_fetcher())
    return html.write_pdf(stylesheets=[css], font_config=fonts)


def face_heights_mm(card: Card, handbook: Handbook) -> dict[str, float]:
    """How tall each face's content is (padding included), laid out at the card's width."""
    markup = card_html(card, handbook).replace("kb-card ", "kb-card kb-card--measure ", 1)
    return dict(_measure(markup, card.id, card.title, card.preset.padding_mm))


@lru_cache(maxsize=256)
def _measure(
    markup: str, card_id: str, title: str, padding_mm: float
) -> tuple[tuple[str, float], ...]:
    fonts = _font_config()
    css = CSS(string=stylesheet(), base_url=f"{ASSETS}/", url_fetcher=_fetcher(), font_config=fonts)
    page = HTML(string=document_html(markup, title), base_url=f"{ASSETS}/", url_fetcher=_fetcher())
    document = page.render(stylesheets=[css], font_config=fonts)
    heights = []
    for face, laid_out in zip(FACES, document.pages, strict=False):
        _, y, *_ = laid_out.anchors[f"kb-end-{card_id}-{face}"]
        heights.append((face, y * MM_PER_PX + padding_mm))
    return tuple(heights)


def card_problems(card: Card, handbook: Handbook) -> list[CardProblem]:
    """Every reason this card cannot be printed as written."""
    problems = _missing_glyphs(card, handbook)
    for face, height in face_heights_mm(card, handbook).items():
        over = height - card.height_mm
        if over > 0.05:
            problems.append(_overflow(card, face, over))
    return problems


def _overflow(card: Card, face: str, over_mm: float) -> CardProblem:
    size = f"{card.size.value} {card.orientation.value} ({card.width_mm:g} × {card.height_mm:g} mm)"
    return CardProblem(
        card,
        face,
        f"the {face} of '{card.title}' runs {over_mm:.1f} mm past the bottom of the {size} card "
        f"at {card.body_pt:g} pt; it would need smaller text to fit, and text is never shrunk "
        f"below what reads at arm's length",
        f"shorten or remove something on the {face}, move a block to the other face, "
        "or choose a bigger size",
    )


@cache
def _font_characters() -> frozenset[str]:
    chars: set[str] = set()
    for name in FONT_FILES:
        chars |= {chr(code) for code in TTFont(ASSETS / name).getBestCmap()}
    return frozenset(chars)


def _missing_glyphs(card: Card, handbook: Handbook) -> list[CardProblem]:
    """Characters the card font cannot draw would fall back to whatever font the system has."""
    text = _visible_text(card_html(card, handbook))
    missing = sorted({c for c in text if not c.isspace() and c not in _font_characters()})
    if not missing:
        return []
    shown = " ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
    return [
        CardProblem(
            card,
            None,
            f"'{card.title}' uses characters the card font cannot print: {shown}",
            "replace them with plain letters or punctuation "
            "(for example '->' or 'then' for an arrow)",
        )
    ]


def _visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))
