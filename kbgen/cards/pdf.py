"""WeasyPrint for cards: laying faces out, reading how far their text runs, writing PDFs.

One stylesheet object and one font configuration serve every document of a process: parsing
the stylesheet and loading the fonts is then done once, not once per card. Card PDFs are
tagged (PDF/UA-1), with the card's title and the document's language, so a screen reader
reads a card in order. WeasyPrint writes no date and no file identifier unless asked: the
same layout always gives the same bytes.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from kbgen.cards import faces, fonts
from kbgen.templating import make_environment

if TYPE_CHECKING:
    from weasyprint.document import Document, Page

MM_PER_PX = 25.4 / 96

# WeasyPrint logs every CSS rule it ignores (such as the screen-only parts of the shared
# stylesheet) as a warning; under `mkdocs build --strict` that would fail the build.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def _fetcher() -> URLFetcher:
    """Local files only: a card never loads anything from the network."""
    return URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)


@lru_cache(maxsize=4)
def _typesetting(css_text: str, assets: str) -> tuple[CSS, FontConfiguration]:
    """The parsed stylesheet and its fonts, shared by every document with the same ones."""
    font_config = FontConfiguration()
    css = CSS(
        string=css_text, base_url=f"{assets}/", url_fetcher=_fetcher(), font_config=font_config
    )
    return css, font_config


def warm_up() -> None:
    """Parse the stylesheet and load the fonts now (before forking workers that share them)."""
    _typesetting(faces.stylesheet(), str(fonts.ASSETS))


def document_html(body: str, title: str) -> str:
    return (
        make_environment()
        .get_template("print_document.html.j2")
        .render(title=title, body=Markup(body))  # noqa: S704 - our own rendered markup
    )


def layout(body: str, title: str) -> Document:
    """`body` (card or sheet markup) laid out in pages, with the card stylesheet and fonts."""
    css, font_config = _typesetting(faces.stylesheet(), str(fonts.ASSETS))
    page = HTML(
        string=document_html(body, title), base_url=f"{fonts.ASSETS}/", url_fetcher=_fetcher()
    )
    return page.render(stylesheets=[css], font_config=font_config)


def tagged_pdf(pages: list[Page], like: Document, title: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of laid-out pages, which may come from several layouts."""
    document = like.copy(pages)
    document.metadata = copy.copy(like.metadata)
    document.metadata.title = title
    return document.write_pdf(pdf_variant="pdf/ua-1")


def plain_pdf(document: Document) -> bytes:
    return document.write_pdf()


@dataclass(frozen=True)
class FaceExtent:
    """How far a laid-out face's text runs, against the room it has (both in mm)."""

    used_mm: float
    room_mm: float
    link_mm: float  # height kept at the foot of the back for the QR code (0 without one)

    @property
    def fill(self) -> float:
        return self.used_mm / self.room_mm if self.room_mm > 0 else float("inf")

    @property
    def over_mm(self) -> float:
        return self.used_mm - self.room_mm


LINK_GAP_MM = 2.0
"""Space kept between a face's text and the QR code under it."""


def face_extents(
    document: Document, face_height_mm: dict[str, float], padding_mm: dict[str, float]
) -> dict[tuple[str, str], tuple[FaceExtent, Page]]:
    """{(card id, face): (extent, page)} for every face laid out in `document`, read from the
    markers the card template puts at the start and end of each face's text."""
    found = {}
    for page in document.pages:
        starts = [name for name in page.anchors if name.startswith("kb-face-")]
        if not starts:
            continue
        card_id, face = starts[0].removeprefix("kb-face-").rsplit("-", 1)
        padding = padding_mm[card_id]
        _, end_y, *_ = page.anchors[f"kb-end-{card_id}-{face}"]
        bottom = face_height_mm[card_id] - padding
        link = page.anchors.get(f"kb-link-{card_id}")
        link_mm = 0.0
        if link is not None:
            link_top = link[1] * MM_PER_PX
            link_mm = bottom - link_top
            bottom = link_top - LINK_GAP_MM
        used = end_y * MM_PER_PX - padding
        found[card_id, face] = (FaceExtent(used, bottom - padding, link_mm), page)
    return found
