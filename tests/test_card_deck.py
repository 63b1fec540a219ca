"""The card deck as a print shop and a trainer see it: every face set at the largest type size
that fits, pairs of phrases on one row, "don't say" unmistakable in black and white, tagged
PDFs, a QR code to the card's page, sheets inside the printable area that line up when
printed double-sided, and a cache that renders exactly the cards a change touches."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import segno
from conftest import cli
from factory import replace_in, write
from PIL import Image
from tools import require

from kbgen.cards import deck as card_deck
from kbgen.cards import faces, fonts, pdf
from kbgen.cards.deck import render_deck
from kbgen.cards.faces import FACES, face_markup
from kbgen.cards.imposition import PAPERS, best_layout
from kbgen.loading.loader import load_snippets
from kbgen.model.cards import PRESETS
from kbgen.templating import typeset

MM = 25.4 / 72  # PDF points to millimetres
SITE = "https://handbook.example.org/"

pytestmark = pytest.mark.build  # nearly every test here renders PDFs


@pytest.fixture(scope="module")
def deck(handbook, tmp_path_factory: pytest.TempPathFactory) -> card_deck.Deck:
    """The bundled deck, rendered once into an empty cache."""
    return render_deck(handbook, cache_dir=tmp_path_factory.mktemp("cache"), workers=1)


def fill_at(card, handbook, face: str, body_pt: float) -> float:
    """How full `face` is at `body_pt`, laid out as the deck lays it out."""
    document = pdf.layout(face_markup(card, handbook, {face: body_pt}, None, [face]), "x")
    extents = pdf.face_extents(
        document, {card.id: card.height_mm}, {card.id: card.preset.padding_mm}
    )
    return extents[card.id, face][0].fill


def test_each_face_is_set_at_the_largest_size_of_its_scale_that_fits(handbook, deck) -> None:
    assert handbook.ordered_cards()
    for card in handbook.ordered_cards():
        fit = deck.fits[card.id]
        sizes = card.body_sizes()
        for face in FACES:
            body = fit.body_pt[face]
            assert body in sizes and body >= card.preset.min_text_pt, (card.id, face)
            assert fit.heading_pt[face] >= card.preset.min_heading_pt
            assert 0.5 <= fit.fill[face] <= 1, (card.id, face, fit.fill[face])
            larger = [size for size in sizes if size > body]
            if larger:  # one step up would run past the face
                assert fill_at(card, handbook, face, larger[0]) > 1, (card.id, face)


def test_the_pdf_is_set_at_the_chosen_sizes(handbook, deck) -> None:
    assert handbook.ordered_cards()
    for card in handbook.ordered_cards():
        fit = deck.fits[card.id]
        with pdfplumber.open(io.BytesIO(deck.pdfs[card.id])) as document:
            for face, page in zip(FACES, document.pages, strict=True):
                sizes = [round(char["size"], 1) for char in page.chars]
                body = max(set(sizes), key=sizes.count)  # most text is body text
                assert body == fit.body_pt[face], (card.id, face)
                assert min(sizes) >= card.preset.min_text_pt


def test_the_chosen_sizes_are_reported_as_each_card_renders(handbook, tmp_path: Path) -> None:
    lines: list[str] = []
    render_deck(handbook, papers=(), cache_dir=tmp_path, progress=lines.append, workers=1)
    assert any("irate-caller-flow (front " in line and " pt, back " in line for line in lines)
    again: list[str] = []
    render_deck(handbook, papers=(), cache_dir=tmp_path, progress=again.append, workers=1)
    assert all(line.endswith("pt), cached") for line in again if line.startswith("card "))


def card_file(text: str) -> str:
    return f"---\ntitle: A test card\n{text}reviewed: 2026-11-01\nowner: test trainer\n---\n"


SPARSE = card_file("front:\n  - heading: Breathe\nback:\n  - text: Then listen.\n")
LONG_TEXT = "Breathe out slowly, then listen to the whole story before you answer. " * 3


def test_text_size_is_a_floor_a_trainer_may_raise(project: Path, tmp_path: Path) -> None:
    faces_text = f"front:\n  - text: {LONG_TEXT * 2}\nback:\n  - text: {LONG_TEXT * 2}\n"
    write(project / "snippets/cards/plain.md", card_file(faces_text))
    handbook = load_snippets(project / "snippets", project).handbook
    chosen = render_deck(handbook, papers=(), cache_dir=tmp_path, workers=1).fits["plain"]
    largest = chosen.body_pt["front"]
    assert largest < 20  # the text fills the face before the top of the scale
    floor = next(size for size in handbook.cards["plain"].body_sizes() if size > largest)
    write(project / "snippets/cards/raised.md", card_file(f"text_size: {floor}\n{faces_text}"))
    write(project / "snippets/cards/same.md", card_file(f"text_size: 12.5\n{faces_text}"))
    handbook = load_snippets(project / "snippets", project).handbook
    assert handbook.cards["same"].body_sizes()[:2] == (12.5, 13.0)
    deck = render_deck(handbook, papers=(), cache_dir=tmp_path, workers=1)
    assert deck.fits["same"].body_pt == chosen.body_pt  # a floor below the fit changes nothing
    (problem, *_) = [p for p in deck.problems if p.card_id == "raised"]
    assert f"at {floor:g} pt" in problem.message and problem.severity == "error"


def test_a_face_half_empty_at_the_largest_size_is_a_warning(project: Path) -> None:
    write(project / "snippets/cards/sparse.md", SPARSE)
    result = cli(project, "check")
    assert result.returncode == 1  # a warning fails `kbgen check`, as it fails --strict
    assert "snippets/cards/sparse.md: warning: card 'sparse', front:" in result.stderr
    assert "full at 20 pt, the largest type size for a A6 card" in result.stderr
    assert "add a block or choose a smaller card size" in result.stderr


def test_a_card_too_long_at_the_smallest_size_is_an_error_with_the_mm_over(
    project: Path, tmp_path: Path
) -> None:
    body = f"  - text: {LONG_TEXT}\n"
    write(project / "snippets/cards/long.md", card_file(f"front:\n{body * 9}back:\n{body}"))
    handbook = load_snippets(project / "snippets", project).handbook
    deck = render_deck(handbook, papers=("a4",), cache_dir=tmp_path, workers=1)
    (problem,) = deck.problems
    assert (problem.card_id, problem.face, problem.severity) == ("long", "front", "error")
    assert "mm past the bottom of the a6 portrait (105 × 148 mm) card at 12 pt" in problem.message
    assert "long" not in deck.pdfs and ("a4", "long") not in deck.sheets


PAIRS = card_file(
    "front:\n"
    "  - pairs:\n"
    "      - say: {technique: stay-calm, phrase: 1}\n"
    "        not: {technique: stay-calm, phrase: 1}\n"
    "      - say: Let me check that for you.\n"
    "        not: That's not my department.\n"
    "back:\n"
    "  - avoid: [{technique: let-them-vent, phrase: 1}]\n"
)


def test_pair_references_are_checked_like_phrases(project: Path) -> None:
    broken = PAIRS.replace("say: {technique: stay-calm", "say: {technique: stay-clam").replace(
        "not: {technique: stay-calm, phrase: 1}", "not: {technique: stay-calm, phrase: 2}"
    )
    write(project / "snippets/cards/pairs.md", broken)
    write(project / "snippets/cards/typo.md", PAIRS.replace("not: That's", "nott: That's"))
    result = cli(project, "check")
    assert result.returncode == 1
    report = result.stderr
    assert "snippets/cards/pairs.md:5: unknown technique 'stay-clam'" in report
    assert "did you mean 'stay-calm'?" in report
    assert "snippets/cards/pairs.md:6: technique 'stay-calm' has 1 'avoid' phrase, not 2" in report
    assert "snippets/cards/typo.md:" in report and ".nott': unknown field" in report


def avoid_phrases(card, handbook) -> list[str]:
    """Every don't-say phrase on a card, in `avoid` blocks and in pairs, as printed."""
    found = []
    for block in card.front + card.back:
        found += faces.phrase_texts(handbook, getattr(block, "avoid", None) or [], "avoid")
        found += [p.avoid for p in faces.pair_texts(handbook, getattr(block, "pairs", None) or [])]
    return [typeset(f"“{text}”") for text in found]


def test_each_pair_is_one_row_of_one_face(project: Path, tmp_path: Path) -> None:
    write(project / "snippets/cards/pairs.md", PAIRS)
    handbook = load_snippets(project / "snippets", project).handbook
    card = handbook.cards["pairs"]
    markup = faces.card_html(card, handbook)
    rows = markup.split('<div class="kb-card__pair">')[1:]
    assert len(rows) == 2
    for row, (avoid, say) in zip(
        rows,
        [("Calm down.", "I understand, let’s sort this out."), ("That’s not", "Let me check")],
        strict=True,
    ):
        row = row.split("</div>")[0]
        assert "Don’t say" in row and "<s>“" + avoid in row and say in row
        assert row.index(say) < row.index(avoid)  # what to say first, as everywhere else
    deck = render_deck(handbook, papers=(), cache_dir=tmp_path, workers=1)
    with pdfplumber.open(io.BytesIO(deck.pdfs["pairs"])) as document:
        text = " ".join(document.pages[0].extract_text().split())
    assert "SAY “I understand, let’s sort this out.” DON’T SAY “Calm down.”" in text
    assert "SAY “Let me check that for you.” DON’T SAY “That’s not my department.”" in text


def test_dont_say_is_crossed_out_labelled_and_marked_on_every_card(handbook, deck) -> None:
    assert sum(len(avoid_phrases(card, handbook)) for card in handbook.ordered_cards()) >= 3
    for card in handbook.ordered_cards():
        phrases = avoid_phrases(card, handbook)
        with pdfplumber.open(io.BytesIO(deck.pdfs[card.id])) as document:
            for phrase in phrases:
                page, words = find_words(document, phrase)
                assert page is not None, (card.id, phrase)
                top = min(w["top"] for w in words)
                bottom = max(w["bottom"] for w in words)
                label = [
                    w
                    for w in page.extract_words(x_tolerance=1)
                    if w["text"] == "DON’T" and abs(w["top"] - words[0]["top"]) < 1
                ]
                assert label, f"{card.id}: no 'Don’t say' label beside {phrase}"
                struck = [
                    line
                    for line in page.lines + page.rects
                    if top < line["top"] < bottom
                    and line["x0"] < words[0]["x1"]
                    and line["x1"] > words[0]["x0"]
                    and line["height"] < 2
                ]
                assert struck, f"{card.id}: {phrase} is not struck through"
                marks = [
                    curve
                    for curve in page.curves
                    if curve["x1"] <= label[0]["x0"] + 1 and abs(curve["top"] - top) < 6
                ]
                assert marks, f"{card.id}: no ✗ before {phrase}"
                assert words[0]["x0"] > label[0]["x1"]


def find_words(document, phrase: str):
    """The page and the words of the first occurrence of `phrase` (which may wrap)."""
    target = phrase.split()
    for page in document.pages:
        words = page.extract_words(x_tolerance=1)  # a badge's spaces are narrow
        texts = [w["text"] for w in words]
        for start in range(len(texts)):
            if texts[start : start + len(target)] == target:
                return page, words[start : start + len(target)]
    return None, []


def test_card_pdfs_are_tagged_with_title_and_language(handbook, deck) -> None:
    assert handbook.ordered_cards()
    for card in handbook.ordered_cards():
        with pikepdf.open(io.BytesIO(deck.pdfs[card.id])) as document:
            root = document.Root
            assert "/StructTreeRoot" in root, card.id
            assert root.MarkInfo.Marked
            assert str(root.Lang) == "en"
            assert str(document.docinfo.Title) == card.title
            assert root.ViewerPreferences.DisplayDocTitle
            kinds = structure_kinds(root.StructTreeRoot)
            assert "/Sect" in kinds and "/P" in kinds


def structure_kinds(node, found: set[str] | None = None) -> set[str]:
    found = set() if found is None else found
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.add(str(kid.S))
            structure_kinds(kid, found)
    return found


def test_a_site_address_puts_a_qr_code_to_the_card_page_on_the_back(
    handbook, tmp_path: Path
) -> None:
    small = _only(handbook, "five-phrases-badge", "irate-caller-flow")
    deck = render_deck(small, papers=(), cache_dir=tmp_path, site_url=SITE, workers=1)
    assert not deck.errors
    for card_id in ("five-phrases-badge", "irate-caller-flow"):
        card = handbook.cards[card_id]
        url = f"{SITE}cards/{card_id}/"
        assert deck.fits[card_id].page_url == url
        with pdfplumber.open(io.BytesIO(deck.pdfs[card_id])) as document:
            front, back = document.pages
            assert f"handbook.example.org/cards/{card_id}" in "".join(back.extract_text().split())
            assert "handbook.example.org" not in front.extract_text()
            address = next(w for w in back.extract_words() if w["text"].startswith("handbook."))
            size = (16 if card.preset.desk else 11) / MM
            right = back.width - card.preset.padding_mm / MM
            modules = [
                line
                for line in back.lines
                if address["top"] - size - 10 < line["top"] < address["top"]
                and line["x0"] >= right - size - 1
            ]
            box = (
                min(m["x0"] for m in modules),
                min(m["top"] for m in modules),
                max(m["x1"] for m in modules),
            )
        expected = tuple(tuple(row) for row in segno.make(url, error="l").matrix)
        assert printed_qr(deck.pdfs[card_id], box, len(expected)) == expected


def printed_qr(card_pdf: bytes, box: tuple[float, ...], size: int) -> tuple[tuple[int, ...], ...]:
    """The QR code's modules as printed on the back: rasterised, read at module centres. The
    code is drawn as one stroke per run of dark modules, through the middle of each row."""
    dpi = 600
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "card.pdf"
        source.write_bytes(card_pdf)
        subprocess.run(
            [require("pdftoppm"), "-gray", "-r", str(dpi), "-f", "2", "-l", "2", "-png"]
            + [str(source), f"{tmp}/p"],
            check=True,
        )
        image = Image.open(next(Path(tmp).glob("p*.png"))).convert("L")
    scale = dpi / 72
    left, first_row, right = (value * scale for value in box)
    step = (right - left) / size
    top = first_row - step / 2
    return tuple(
        tuple(
            int(image.getpixel((int(left + (c + 0.5) * step), int(top + (r + 0.5) * step))) < 128)
            for c in range(size)
        )
        for r in range(size)
    )


def test_without_a_site_address_there_is_no_qr_code(handbook, deck) -> None:
    assert handbook.ordered_cards()
    for card in handbook.ordered_cards():
        assert deck.fits[card.id].page_url is None
        assert "kb-qr" not in faces.card_html(card, handbook, deck.fits[card.id])
        with pdfplumber.open(io.BytesIO(deck.pdfs[card.id])) as document:
            assert "handbook.example.org" not in document.pages[1].extract_text()


def _only(handbook, *card_ids: str):
    import dataclasses

    return dataclasses.replace(
        handbook, cards={card_id: handbook.cards[card_id] for card_id in card_ids}
    )


def test_quotes_and_apostrophes_are_typographic(handbook, deck) -> None:
    with pdfplumber.open(io.BytesIO(deck.pdfs["say-this-not-that"])) as document:
        text = " ".join(page.extract_text() for page in document.pages)
    assert "I’m" in text and "“" in text and "”" in text
    assert "'" not in text and '"' not in text


# Sheets


def placements(page: pikepdf.Page, sheet_h: float) -> list[tuple[tuple[float, float], ...]]:
    """Where each copy of a face sits: its corners (top left, top right, bottom left) on the
    sheet, in mm from the sheet's top left, read from the sheet's own drawing commands."""
    found = []
    matrix = None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "cm":
            matrix = [float(v) for v in operands]
        elif str(operator) == "Do" and str(operands[0]) == "/Face":
            form = page.Resources.XObject.Face
            _, _, width, height = (float(v) for v in form.BBox)
            a, b, c, d, e, f = matrix
            corners = []
            for u, v in ((0, height), (width, height), (0, 0)):  # the face's own corners
                x, y = a * u + c * v + e, b * u + d * v + f
                corners.append((x * MM, sheet_h - y * MM))
            found.append(tuple(corners))
    return found


@pytest.mark.parametrize("paper_key", sorted(PAPERS))
def test_sheets_line_up_when_flipped_on_the_long_edge(handbook, deck, paper_key: str) -> None:
    paper = PAPERS[paper_key]
    assert handbook.ordered_cards()
    for card in handbook.ordered_cards():
        layout = best_layout(card.width_mm, card.height_mm, paper)
        with pikepdf.open(io.BytesIO(deck.sheets[paper_key, card.id])) as sheet:
            fronts, backs = (placements(page, paper.height_mm) for page in sheet.pages)
        assert len(fronts) == len(backs) == layout.count
        for front, back in zip(fronts, backs, strict=True):
            (f_tl, f_tr, f_bl), (b_tl, b_tr, _) = front, back
            # turned over like a book page: the front's top left is behind the back's top right
            for ours, theirs in ((f_tl, b_tr), (f_tr, b_tl), (f_bl, _bottom_right(back))):
                x, y = paper.width_mm - ours[0], ours[1]  # where it is seen from the back
                assert abs(x - theirs[0]) <= 1 and abs(y - theirs[1]) <= 1, card.id


def _bottom_right(corners):
    (tl, tr, bl) = corners
    return (tr[0] + bl[0] - tl[0], tr[1] + bl[1] - tl[1])


@pytest.mark.parametrize("margin", [5.0, 10.0])
def test_everything_on_a_sheet_prints_inside_the_printable_area(
    handbook, tmp_path: Path, margin: float
) -> None:
    deck = render_deck(handbook, cache_dir=tmp_path, printable_margin_mm=margin, workers=1)
    assert len(deck.sheets) == len(PAPERS) * (len(handbook.cards) + 1)
    for (paper_key, card_id), sheet in deck.sheets.items():
        paper = PAPERS[paper_key]
        with pdfplumber.open(io.BytesIO(sheet)) as document:
            for page in document.pages:
                things = page.chars + page.lines + page.rects + page.curves
                assert things
                for thing in things:
                    where = f"{paper_key} {card_id} page {page.page_number}: {thing.get('text')}"
                    assert thing["x0"] * MM >= margin - 0.05, where
                    assert thing["top"] * MM >= margin - 0.05, where
                    assert paper.width_mm - thing["x1"] * MM >= margin - 0.05, where
                    assert paper.height_mm - thing["bottom"] * MM >= margin - 0.05, where
                text = " ".join(page.extract_text().split())
                assert "Print at 100 % (actual size, no scaling)" in text
                assert "flip on the long edge" in text


def test_every_layout_keeps_cards_marks_and_note_inside_the_margin() -> None:
    assert PAPERS and PRESETS
    for paper in PAPERS.values():
        for preset in PRESETS.values():
            for width, height in [(preset.width_mm, preset.height_mm)] * 2:
                for margin in (3.0, 5.0, 8.0):
                    layout = best_layout(width, height, paper, margin)
                    assert layout is not None
                    cards = [(x, y, layout.placed_w, layout.placed_h) for x, y in layout.fronts]
                    marks = [(m.x1, m.y1, m.x2 - m.x1, m.y2 - m.y1) for m in layout.marks]
                    note = layout.note
                    for x, y, w, h in [*cards, *marks, (note.x, note.y, note.width, note.height)]:
                        assert x >= margin - 1e-6 and y >= margin - 1e-6
                        assert x + w <= paper.width_mm - margin + 1e-6
                        assert y + h <= paper.height_mm - margin + 1e-6
                    for mx, my, mw, mh in marks:  # no mark on a card
                        cx, cy = mx + mw / 2, my + mh / 2
                        for x, y, w, h in cards:
                            assert not (x < cx < x + w and y < cy < y + h)
                width, height = height, width  # then the same size in landscape


def test_as_many_cards_as_fit_inside_the_printable_area() -> None:
    assert best_layout(105, 148, PAPERS["a4"]).count == 2  # four would reach the paper edge
    assert best_layout(105, 148, PAPERS["letter"]).count == 2
    assert best_layout(74, 105, PAPERS["a4"]).count == 4
    assert best_layout(54, 85.6, PAPERS["a4"]).count == 9
    assert best_layout(105, 148, PAPERS["a4"], margin_mm=0).count == 2  # still room for marks


def test_the_deck_has_a_sheet_per_card_and_one_of_all_cards_per_paper(handbook, deck) -> None:
    assert len(deck.sheets) == len(PAPERS) * (len(handbook.cards) + 1)
    for paper_key in PAPERS:
        assert (paper_key, None) in deck.sheets
        with pikepdf.open(io.BytesIO(deck.sheets[paper_key, None])) as everything:
            assert len(everything.pages) == 2 * len(handbook.cards)
            assert str(everything.Root.Lang) == "en"
        for card_id in handbook.cards:
            with pikepdf.open(io.BytesIO(deck.sheets[paper_key, card_id])) as own:
                assert len(own.pages) == 2


# The cache


def two_card_project(project: Path) -> Path:
    write(
        project / "snippets/cards/calm.md",
        card_file(
            "front:\n  - heading: Stay calm\n  - steps: [stay-calm]\n"
            f"  - text: {LONG_TEXT}\n"
            "back:\n  - say: [{technique: stay-calm, phrase: 1}]\n"
            f"  - text: {LONG_TEXT}\n"
        ),
    )
    write(
        project / "snippets/cards/vent.md",
        card_file(
            "front:\n  - heading: Let them vent\n  - steps: [let-them-vent]\n"
            f"  - text: {LONG_TEXT}\n"
            "back:\n  - say: [{technique: let-them-vent, phrase: 1}]\n"
            f"  - text: {LONG_TEXT}\n"
        ),
    )
    return project


def rendered(project: Path, cache: Path, **options) -> card_deck.Deck:
    handbook = load_snippets(project / "snippets", project).handbook
    return render_deck(handbook, papers=("a4",), cache_dir=cache, workers=1, **options)


def test_an_unchanged_deck_is_never_rendered_twice(project: Path, tmp_path: Path) -> None:
    two_card_project(project)
    cold = rendered(project, tmp_path / "cache")
    assert sorted(cold.rendered_ids) == ["calm", "vent"] and cold.rendered == 2
    warm = rendered(project, tmp_path / "cache")
    assert warm.rendered == 0
    assert warm.pdfs == cold.pdfs and warm.sheets == cold.sheets and warm.fits == cold.fits
    # a change the cards do not print (the technique's page text) renders nothing
    replace_in(project, "snippets/techniques/stay-calm.md", "Because it does.", "It just works.")
    assert rendered(project, tmp_path / "cache").rendered == 0


def test_a_change_renders_exactly_the_cards_it_touches(project: Path, tmp_path: Path) -> None:
    two_card_project(project)
    cache = tmp_path / "cache"
    rendered(project, cache)
    replace_in(project, "snippets/cards/calm.md", "heading: Stay calm", "heading: Keep calm")
    assert rendered(project, cache).rendered_ids == ["calm"]
    # a phrase the vent card prints, from its technique's file
    replace_in(project, "snippets/techniques/let-them-vent.md", "Go on, I'm", "Go on, I am")
    assert rendered(project, cache).rendered_ids == ["vent"]
    # the summary a step prints
    replace_in(project, "snippets/techniques/stay-calm.md", "Keep your voice low.", "Speak low.")
    assert rendered(project, cache).rendered_ids == ["calm"]
    # the site address changes the QR code on every back
    assert sorted(rendered(project, cache, site_url=SITE).rendered_ids) == ["calm", "vent"]


def test_a_new_stylesheet_or_font_renders_every_card(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_card_project(project)
    cache = tmp_path / "cache"
    rendered(project, cache)
    css = faces.stylesheet() + "\n.kb-card__text { letter-spacing: 0.01em; }\n"
    monkeypatch.setattr(faces, "stylesheet", lambda: css)
    assert sorted(rendered(project, cache).rendered_ids) == ["calm", "vent"]
    assert rendered(project, cache).rendered == 0
    assets = tmp_path / "assets"
    shutil.copytree(fonts.ASSETS, assets)
    regular = assets / fonts.FONT_FILES[0]
    regular.write_bytes(regular.read_bytes() + b"\0\0\0\0")  # another version of the font
    monkeypatch.setattr(fonts, "ASSETS", assets)
    assert sorted(rendered(project, cache).rendered_ids) == ["calm", "vent"]


def test_pdfs_are_byte_identical_to_a_cold_render(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_card_project(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    first = rendered(project, tmp_path / "one")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    second = rendered(project, tmp_path / "two")
    assert first.pdfs == second.pdfs and first.sheets == second.sheets
    for data in [*first.pdfs.values(), *first.sheets.values()]:
        with pikepdf.open(io.BytesIO(data)) as document:
            assert "/CreationDate" not in document.docinfo
            assert "/ModDate" not in document.docinfo
    # a card renders the same alone as beside others
    handbook = load_snippets(project / "snippets", project).handbook
    alone = render_deck(_only(handbook, "calm"), papers=(), cache_dir=tmp_path / "3", workers=1)
    assert alone.pdfs["calm"] == first.pdfs["calm"]


@pytest.mark.slow
def test_two_processes_render_the_same_bytes_as_one(project: Path, tmp_path: Path) -> None:
    two_card_project(project)
    text = (project / "snippets/cards/calm.md").read_text()
    for number in range(card_deck.PARALLEL_MIN):
        write(project / f"snippets/cards/calm-{number}.md", text)
    handbook = load_snippets(project / "snippets", project).handbook
    one = render_deck(handbook, papers=("a4",), cache_dir=tmp_path / "one", workers=1)
    two = render_deck(handbook, papers=("a4",), cache_dir=tmp_path / "two", workers=2)
    assert two.rendered == one.rendered == len(handbook.cards)
    assert one.pdfs == two.pdfs and one.sheets == two.sheets
