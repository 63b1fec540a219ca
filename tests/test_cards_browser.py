"""Card pages in a real browser: the preview is the PDF's layout, at the sizes the deck chose;
printing the page gives exactly the card at its size, front then back, with none of the site
around it; "don't say" is crossed out and marked on screen as on paper."""

from __future__ import annotations

import io
import re
from urllib.parse import urljoin

import pdfplumber
import pytest
from conftest import BUNDLED_CARDS

from kbgen.cards.deck import render_deck
from kbgen.cards.imposition import PAPERS

MM_PER_PT = 25.4 / 72
MM_PER_PX = 25.4 / 96
SITE_CHROME = ["Handbook for difficult calls", "Previous", "Next", "Search", "Download the PDF"]


@pytest.fixture(scope="module")
def deck(handbook, bundled_site):
    """The bundled deck as the site's build rendered it (from the card cache that build
    filled, so the cards are not laid out again)."""
    return render_deck(handbook, papers=())


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
def test_screen_preview_is_set_like_the_pdf(
    handbook, deck, site_url: str, browser, card_id: str
) -> None:
    card = handbook.cards[card_id]
    fit = deck.fits[card_id]
    page = browser.new_page()
    page.goto(f"{site_url}cards/{card_id}/")
    page.evaluate("document.fonts.ready")
    padding = card.preset.padding_mm
    for face in ("front", "back"):
        box = page.locator(f".kb-card__face--{face}")
        width = box.evaluate("el => el.getBoundingClientRect().width") * MM_PER_PX
        assert abs(width - card.width_mm) < 0.5
        size_px = box.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert abs(size_px * 0.75 - fit.body_pt[face]) < 0.01, face  # the size the PDF has
        end = page.locator(f"#kb-end-{card.id}-{face}").evaluate(
            "el => el.getBoundingClientRect().top"
            " - el.closest('section').getBoundingClientRect().top"
        )
        screen_used = end * MM_PER_PX - padding
        pdf_used = fit.fill[face] * (card.height_mm - 2 * padding)
        assert abs(screen_used - pdf_used) < 4, (face, screen_used, pdf_used)
    page.close()


def test_dont_say_is_struck_through_and_marked_on_screen(site_url: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}cards/say-this-not-that/")
    page.evaluate("document.fonts.ready")
    avoid = page.locator(".kb-card__phrase--avoid")
    assert avoid.count() == 6
    for number in range(avoid.count()):
        phrase = avoid.nth(number)
        assert phrase.locator(".kb-card__tag").inner_text().lower() == "don’t say"
        struck = phrase.locator("s").evaluate("el => getComputedStyle(el).textDecorationLine")
        assert "line-through" in struck
        mark = phrase.locator(".kb-mark--avoid")
        box = mark.bounding_box()
        assert box and box["width"] > 5 and box["height"] > 5
        shot = mark.screenshot()
        assert min(_grey_levels(shot)) < 60, "the ✗ mark is not drawn"
    page.close()


def _grey_levels(png: bytes) -> list[int]:
    from PIL import Image

    return list(Image.open(io.BytesIO(png)).convert("L").tobytes())


def test_print_button_opens_the_print_dialog(handbook, site_url: str, browser) -> None:
    page = browser.new_page()
    page.add_init_script("window.print = () => { window.__printed = true; };")
    card_id = handbook.ordered_cards()[0].id
    page.goto(f"{site_url}cards/{card_id}/")
    page.get_by_role("button", name="Print this card").click()
    assert page.evaluate("window.__printed === true")
    href = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    assert href and href.endswith(f"{card_id}.pdf")
    # the print sheets, once the build publishes them (see kbgen/cards/downloads.py)
    sheets = page.get_by_role("link", name=re.compile(r"per sheet$"))
    for number in range(sheets.count()):
        link = sheets.nth(number).get_attribute("href") or ""
        assert re.search(rf"{card_id}-sheet-({'|'.join(PAPERS)})\.pdf$", link), link
        response = page.request.get(urljoin(page.url, link))
        assert response.ok and response.body().startswith(b"%PDF")
    page.close()
