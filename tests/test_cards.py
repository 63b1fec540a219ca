"""Quick-reference cards print and laminate right, as `kbgen cards` writes them: exact size,
two faces, readable text, embedded fonts, black on white, print sheets for each card and the
deck, and overflow that fails loudly. (tests/test_card_deck.py checks the deck in depth.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import BUNDLED_CARDS, REPO, kbgen, mkdocs_build
from factory import write
from PIL import Image
from tools import require

from kbgen.cards.imposition import PAPERS, best_layout
from kbgen.templating import typeset

MM = 25.4 / 72  # PDF points to millimetres


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kbgen cards` run once on the bundled handbook, as a trainer would."""
    out = tmp_path_factory.mktemp("print")
    result = kbgen(REPO, "cards", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "card 1/" in result.stderr  # progress is shown
    return out


def text_of(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        text = " ".join(page.extract_text() or "" for page in document.pages)
    return " ".join(text.replace("-\n", "").split())


def test_at_least_six_cards_including_a_badge(handbook) -> None:
    assert len(handbook.cards) >= 6
    assert any(card.size.value == "badge" for card in handbook.cards.values())


@pytest.mark.parametrize("card_id", BUNDLED_CARDS)
def test_card_pdf_is_two_pages_at_the_exact_size(handbook, printed: Path, card_id: str) -> None:
    card = handbook.cards[card_id]
    with pdfplumber.open(printed / f"{card_id}.pdf") as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            assert abs(page.width * MM - card.width_mm) <= 0.5
            assert abs(page.height * MM - card.height_mm) <= 0.5


@pytest.mark.parametrize("card_id", BUNDLED_CARDS)
def test_card_text_is_readable_black_on_white(handbook, printed: Path, card_id: str) -> None:
    card = handbook.cards[card_id]
    body_minimum, heading_minimum = card.preset.min_text_pt, card.preset.min_heading_pt
    has_heading = any(getattr(b, "heading", None) for b in card.front + card.back)
    with pdfplumber.open(printed / f"{card_id}.pdf") as pdf:
        sizes = {round(char["size"], 1) for page in pdf.pages for char in page.chars}
        assert min(sizes) >= body_minimum
        if has_heading:
            assert max(sizes) >= heading_minimum
        for page in pdf.pages:
            # 7:1 contrast or better: only black text, and no grey or coloured fills
            colours = {str(char["non_stroking_color"]) for char in page.chars}
            assert colours <= {"(0.0, 0.0, 0.0)", "(0,)", "0"}
    assert grey_areas(printed / f"{card_id}.pdf") == []


def grey_areas(pdf: Path, dpi: int = 100) -> list[str]:
    """Areas of one grey at least 5 mm wide and 2 mm tall: a tint a cheap laser printer would
    dither. Anti-aliased text and the edges of black lines are grey too, but never that big."""
    run_px, rows_px = round(5 / 25.4 * dpi), round(2 / 25.4 * dpi)
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [require("pdftoppm"), "-gray", "-r", str(dpi), str(pdf), f"{tmp}/p"], check=True
        )
        for image_file in sorted(Path(tmp).glob("*.pgm")):
            image = Image.open(image_file)
            width, height = image.size
            pixels = image.load()
            streak = 0
            for y in range(height):
                run, last, long_run = 0, None, False
                for x in range(width):
                    value = pixels[x, y]
                    grey = 8 < value < 248
                    run = run + 1 if grey and last is not None and abs(value - last) < 6 else 0
                    last = value if grey else None
                    if run >= run_px:
                        long_run = True
                        break
                streak = streak + 1 if long_run else 0
                if streak >= rows_px:
                    found.append(f"{image_file.name}: grey area ending at row {y}")
                    break
    return found


def test_cards_show_the_summaries_they_reference(handbook, printed: Path) -> None:
    steps = {
        (card.id, technique_id)
        for card in handbook.cards.values()
        for block in card.front + card.back
        for technique_id in getattr(block, "steps", [])
    }
    assert len({card_id for card_id, _ in steps}) >= 2  # cards that list techniques as steps
    missing = [
        (card_id, technique_id)
        for card_id, technique_id in sorted(steps)
        if " ".join(typeset(handbook.techniques[technique_id].summary).split())  # curly quotes
        not in text_of(printed / f"{card_id}.pdf")
    ]
    assert missing == []


def test_fonts_are_shipped_and_embedded(printed: Path) -> None:
    assert len(list(printed.glob("*.pdf"))) >= 2
    for pdf in sorted(printed.glob("*.pdf")):
        listing = subprocess.run(
            [require("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
        )
        rows = listing.stdout.splitlines()[2:]
        assert rows, f"{pdf.name} lists no fonts"
        for row in rows:
            assert "Atkinson-Hyperlegible" in row, row
            assert re.search(r"\byes\s+yes\s+yes\b", row), f"{pdf.name}: not embedded: {row}"


@pytest.mark.parametrize("paper_key", sorted(PAPERS))
def test_print_sheets_for_every_card_and_for_the_deck(
    handbook, printed: Path, paper_key: str
) -> None:
    cards = handbook.ordered_cards()
    with pdfplumber.open(printed / f"all-cards-sheet-{paper_key}.pdf") as deck:
        assert len(deck.pages) == 2 * len(cards)
    for card in cards:
        layout = best_layout(card.width_mm, card.height_mm, PAPERS[paper_key])
        with pdfplumber.open(printed / f"{card.id}-sheet-{paper_key}.pdf") as sheet:
            assert len(sheet.pages) == 2
            for page, side in zip(sheet.pages, ("Fronts", "Backs"), strict=True):
                assert abs(page.width * MM - layout.sheet_w) <= 0.5
                assert abs(page.height * MM - layout.sheet_h) <= 0.5
                text = " ".join((page.extract_text() or "").split())
                assert f"{side}: {layout.count} card" in text
                assert "Print at 100 %" in text and "flip on the long edge" in text
                assert page.rects or page.lines, "no crop marks"


OVERFLOWING_CARD = """\
---
title: Far too much
front:
  - heading: Everything at once
  - steps: [stay-calm, let-them-vent, stay-calm, let-them-vent, stay-calm, let-them-vent]
  - text: "Breathe, listen, acknowledge the feeling, apologise for the experience, ask what
      would put it right, offer two choices, agree the next step, confirm the timeline, write
      it all down, follow up when you said you would, and thank them for their patience."
  - text: "Breathe, listen, acknowledge the feeling, apologise for the experience, ask what
      would put it right, offer two choices, agree the next step, confirm the timeline, write
      it all down, follow up when you said you would, and thank them for their patience."
  - text: "Breathe, listen, acknowledge the feeling, apologise for the experience, ask what
      would put it right, offer two choices, agree the next step, confirm the timeline, write
      it all down, follow up when you said you would, and thank them for their patience."
back:
  - text: Fine.
reviewed: 2026-11-01
owner: test trainer
---
"""

SMALL_TEXT_CARD = """\
---
title: Tiny print
text_size: 10
front:
  - text: Squeezed in.
back:
  - text: Fine.
reviewed: 2026-11-01
owner: test trainer
---
"""

ARROW_CARD = """\
---
title: Arrows
front:
  - heading: Calm → listen
back:
  - text: Fine.
reviewed: 2026-11-01
owner: test trainer
---
"""


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "far-too-much",
            OVERFLOWING_CARD,
            [
                "snippets/cards/far-too-much.md",
                "card 'far-too-much', front:",
                "mm past the bottom of the a6 portrait (105 × 148 mm) card",
            ],
        ),
        (
            "tiny-print",
            SMALL_TEXT_CARD,
            [
                "snippets/cards/tiny-print.md:3:",
                "text_size 10 pt is below the 12 pt minimum",
            ],
        ),
        ("arrows", ARROW_CARD, ["card 'arrows'", "'→' (U+2192)"]),
    ],
)
def test_a_card_that_cannot_print_fails_check_cards_and_build(
    project: Path, name: str, text: str, expected: list[str]
) -> None:
    write(project / f"snippets/cards/{name}.md", text)
    for result in (kbgen(project, "check"), kbgen(project, "cards"), mkdocs_build(project)):
        assert result.returncode == 1
        for fragment in expected:
            assert fragment in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (project / "print").exists()


def test_kbgen_cards_never_writes_over_a_file_it_did_not_create(project: Path) -> None:
    write(
        project / "snippets/cards/calm.md", ARROW_CARD.replace("Calm → listen", "Calm, then listen")
    )
    mine = write(project / "print/calm.pdf", "my own file")
    result = kbgen(project, "cards")
    assert result.returncode == 1
    assert mine.read_text() == "my own file"
    shutil.rmtree(project / "print")
    assert kbgen(project, "cards").returncode == 0
    assert (project / "print/calm.pdf").read_bytes().startswith(b"%PDF")


LANDSCAPE_BADGE = """\
---
title: Sideways badge
size: badge
orientation: landscape
front:
  - heading: Calm first
back:
  - text: Then listen.
reviewed: 2026-11-01
owner: test trainer
---
"""


def test_landscape_cards_turn_the_page(project: Path) -> None:
    write(project / "snippets/cards/sideways-badge.md", LANDSCAPE_BADGE)
    assert kbgen(project, "cards", "--quiet").returncode == 0
    with pdfplumber.open(project / "print/sideways-badge.pdf") as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            assert abs(page.width * MM - 85.6) <= 0.5 and abs(page.height * MM - 54) <= 0.5
