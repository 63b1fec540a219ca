"""Card pages in a real browser: the preview matches the PDF, and printing the page gives
exactly the card at its size, front then back, with none of the site around it."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from conftest import BUNDLED_CARDS

from kbgen.cards.pdf import face_heights_mm

MM_PER_PT = 25.4 / 72
MM_PER_PX = 25.4 / 96
SITE_CHROME = ["Handbook for difficult calls", "Previous", "Next", "Search", "Download the PDF"]


@pytest.mark.parametrize("card_id", BUNDLED_CARDS)
def test_printing_a_card_page_gives_just_the_card(
    handbook, site_url: str, browser, card_id: str
) -> None:
    card = handbook.cards[card_id]
    page = browser.new_page()
    page.goto(f"{site_url}cards/{card_id}/")
    pdf = page.pdf(prefer_css_page_size=True)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 2
        for printed in document.pages:
            assert abs(printed.width * MM_PER_PT - card.width_mm) <= 0.5
            assert abs(printed.height * MM_PER_PT - card.height_mm) <= 0.5
        text = " ".join(p.extract_text() or "" for p in document.pages)
    for chrome in SITE_CHROME:
        assert chrome not in text
    headings = [b.heading for b in card.front + card.back if getattr(b, "heading", None)]
    for heading in headings:
        assert " ".join(heading.split()) in " ".join(text.split())
    page.close()


@pytest.mark.parametrize("card_id", BUNDLED_CARDS)
def test_screen_preview_lays_out_like_the_pdf(
    handbook, site_url: str, browser, card_id: str
) -> None:
    card = handbook.cards[card_id]
    page = browser.new_page()
    page.goto(f"{site_url}cards/{card_id}/")
    page.evaluate("document.fonts.ready")
    for face, pdf_height in face_heights_mm(card, handbook).items():
        box = page.locator(f".kb-card__face--{face}")
        width = box.evaluate("el => el.getBoundingClientRect().width") * MM_PER_PX
        assert abs(width - card.width_mm) < 0.5
        end = page.locator(f"#kb-end-{card.id}-{face}").evaluate(
            "el => el.getBoundingClientRect().top"
            " - el.closest('section').getBoundingClientRect().top"
        )
        screen_height = end * MM_PER_PX + card.preset.padding_mm
        assert abs(screen_height - pdf_height) < 4, (face, screen_height, pdf_height)
    page.close()


def test_print_button_opens_the_print_dialog(handbook, site_url: str, browser) -> None:
    page = browser.new_page()
    page.add_init_script("window.print = () => { window.__printed = true; };")
    card_id = handbook.ordered_cards()[0].id
    page.goto(f"{site_url}cards/{card_id}/")
    page.get_by_role("button", name="Print this card").click()
    assert page.evaluate("window.__printed === true")
    href = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    assert href and href.endswith(f"{card_id}.pdf")
    page.close()
