"""Imposed print sheets as PDFs: copies of a card's own PDF pages placed by the imposition
layout, under the crop marks and note.

The cards are not laid out again: each face's page from the card's PDF becomes a form that
the sheet draws once per copy (moved, and turned when the layout turns cards). So a sheet
shows exactly the card's PDF, and costs no more than placing it. The marks and the note are
laid out by WeasyPrint once per layout (sheet.html.j2), in the card font.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING

import pikepdf

from kbgen.templating import make_environment

if TYPE_CHECKING:
    from kbgen.cards.imposition import Layout

PT_PER_MM = 72 / 25.4


@lru_cache(maxsize=64)
def overlay_pdf(layout: Layout) -> bytes:
    """The crop marks and the note of a layout: page 1 for the fronts, page 2 for the backs."""
    from kbgen.cards import pdf  # WeasyPrint loads only when sheets are made

    markup = make_environment().get_template("sheet.html.j2").render(layout=layout)
    return pdf.plain_pdf(pdf.layout(markup, "Crop marks"))


def card_sheet(card_pdf: bytes, layout: Layout, title: str) -> bytes:
    """One card's sheet: a page of fronts, then a page of backs at the mirrored positions."""
    out = pikepdf.new()
    _add_card_pages(out, card_pdf, layout)
    return _saved(out, title)


def deck_sheet(sheets: list[bytes], title: str) -> bytes:
    """Every card's sheet pages, one after the other, in one PDF."""
    out = pikepdf.new()
    for sheet in sheets:
        with pikepdf.open(io.BytesIO(sheet)) as source:
            out.pages.extend(source.pages)
    return _saved(out, title)


def _add_card_pages(out: pikepdf.Pdf, card_pdf: bytes, layout: Layout) -> None:
    with (
        pikepdf.open(io.BytesIO(card_pdf)) as card,
        pikepdf.open(io.BytesIO(overlay_pdf(layout))) as overlay,
    ):
        sides = [
            ("front", card.pages[0], overlay.pages[0], layout.fronts),
            ("back", card.pages[1], overlay.pages[1], layout.backs),
        ]
        width, height = layout.sheet_w * PT_PER_MM, layout.sheet_h * PT_PER_MM
        for side, face, marks, positions in sides:
            face_form = out.copy_foreign(face.as_form_xobject())
            marks_form = out.copy_foreign(marks.as_form_xobject())
            commands = [b"q /Marks Do Q"]
            for x, y in positions:
                matrix = _placement(layout, side, x, y)
                commands.append(
                    b"q " + " ".join(f"{v:.4f}" for v in matrix).encode() + b" cm /Face Do Q"
                )
            page = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, round(width, 4), round(height, 4)],
                Resources=pikepdf.Dictionary(
                    XObject=pikepdf.Dictionary(Face=face_form, Marks=marks_form)
                ),
                Contents=pikepdf.Stream(out, b"\n".join(commands)),
            )
            out.pages.append(pikepdf.Page(page))


def _placement(layout: Layout, side: str, x_mm: float, y_mm: float) -> tuple[float, ...]:
    """The matrix that puts a face (its PDF page, origin at its bottom left) with its top left
    corner at (x_mm, y_mm) from the sheet's top left; turned a quarter clockwise for a front,
    anticlockwise for a back, when the layout turns cards."""
    card_w, card_h = layout.card_w * PT_PER_MM, layout.card_h * PT_PER_MM
    left = x_mm * PT_PER_MM
    bottom = (layout.sheet_h - y_mm - layout.placed_h) * PT_PER_MM
    if not layout.turned:
        return (1, 0, 0, 1, left, bottom)
    if side == "front":  # the card's top edge to the right
        return (0, -1, 1, 0, left, bottom + card_w)
    return (0, 1, -1, 0, left + card_h, bottom)  # the card's top edge to the left


def _saved(out: pikepdf.Pdf, title: str) -> bytes:
    out.docinfo["/Title"] = title
    out.Root.Lang = pikepdf.String("en")
    buffer = io.BytesIO()
    # no dates, and an identifier computed from the content: the same sheet, the same bytes
    out.save(buffer, deterministic_id=True, compress_streams=True)
    return buffer.getvalue()
