"""Where cards go on a sheet of A4 or US Letter: as many as fit, at their exact size, with
everything that prints kept inside the area an office printer can reach.

Sheets are always portrait, the way the paper comes out of the tray, so "flip on the long edge"
(most duplex printers' default) means one thing: the back page is the front mirrored left to
right. Each back goes at the mirror image of its front's position. A card turned a quarter on
the sheet to fit more copies has its front turned clockwise and its back anticlockwise: then,
cut out and turned over like a book page, its back reads the right way up.

Cards are never scaled. Everything that prints (the cards, the crop marks, the note) stays at
least `margin_mm` from every edge of the paper; crop marks run along each cut line outside the
cards, in the band around the grid and in the gutters between cards. Cards that would not fit
with a gutter between them are butted: one cut then separates two cards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PRINTABLE_MARGIN_MM = 5.0
"""How close to the paper's edge an office printer reliably prints (most laser and inkjet
printers leave 4 to 5 mm blank)."""

MARK_GAP_MM = 1.0
"""Crop marks stop this short of a card: a mark a cut slightly misses stays off the card."""

MARK_MM = 4.0
"""Length of the crop marks in the band around the grid."""

BAND_MM = MARK_GAP_MM + MARK_MM
"""Room around the grid for the crop marks."""

GUTTER_MIN_MM = 4.0
"""A narrower gutter would leave a sliver to cut away and no room for a mark: butt instead."""

GUTTER_MAX_MM = 8.0
"""Gutters hold crop marks; wider ones only waste paper."""

NOTE_MM = 7.0
"""Height kept for the printing note (two lines of 8 pt) at the top of the printable area."""

NOTE_GAP_MM = 1.0


@dataclass(frozen=True)
class Paper:
    key: str
    name: str
    width_mm: float
    height_mm: float


PAPERS = {
    "a4": Paper("a4", "A4", 210.0, 297.0),
    "letter": Paper("letter", "US Letter", 215.9, 279.4),
}


@dataclass(frozen=True)
class Mark:
    """A crop mark: a line from (x1, y1) to (x2, y2) in mm from the sheet's top left."""

    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Layout:
    """Copies of one card size on one paper: where each front goes, the marks and the note."""

    paper: Paper
    card_w: float  # the card as designed (its PDF page)
    card_h: float
    turned: bool  # a quarter turn on the sheet: fronts clockwise, backs anticlockwise
    cols: int
    rows: int
    gutter_x: float
    gutter_y: float
    margin: float
    fronts: tuple[tuple[float, float], ...]  # top left of each copy on the sheet, in mm
    marks: tuple[Mark, ...]
    note: Box

    @property
    def sheet_w(self) -> float:
        return self.paper.width_mm

    @property
    def sheet_h(self) -> float:
        return self.paper.height_mm

    @property
    def placed_w(self) -> float:
        """Width a copy takes on the sheet (its height when it is turned)."""
        return self.card_h if self.turned else self.card_w

    @property
    def placed_h(self) -> float:
        return self.card_w if self.turned else self.card_h

    @property
    def count(self) -> int:
        return self.cols * self.rows

    @property
    def backs(self) -> tuple[tuple[float, float], ...]:
        """Each back at the mirror image of its front: flipped on the long edge, they meet."""
        return tuple((round(self.sheet_w - x - self.placed_w, 3), y) for x, y in self.fronts)

    @property
    def flip(self) -> str:
        return "long edge"


def best_layout(
    card_w: float, card_h: float, paper: Paper, margin_mm: float = PRINTABLE_MARGIN_MM
) -> Layout | None:
    """The layout with the most copies of a card inside the printable area of `paper`, turned
    or not; None if not even one fits."""
    candidates = [_layout(card_w, card_h, paper, margin_mm, turned) for turned in (False, True)]
    fitting = [c for c in candidates if c is not None]
    if not fitting:
        return None
    # most cards first; then the roomier gutters (easier to cut); upright on a tie
    return max(fitting, key=lambda c: (c.count, min(c.gutter_x, c.gutter_y), not c.turned))


def _layout(
    card_w: float, card_h: float, paper: Paper, margin: float, turned: bool
) -> Layout | None:
    placed_w, placed_h = (card_h, card_w) if turned else (card_w, card_h)
    top = margin + NOTE_MM + NOTE_GAP_MM  # the note sits above the grid
    area_w = paper.width_mm - 2 * margin - 2 * BAND_MM
    area_h = paper.height_mm - top - margin - 2 * BAND_MM
    cols, gutter_x = _fit_count(area_w, placed_w)
    rows, gutter_y = _fit_count(area_h, placed_h)
    if cols < 1 or rows < 1:
        return None
    grid_w = cols * placed_w + (cols - 1) * gutter_x
    grid_h = rows * placed_h + (rows - 1) * gutter_y
    left = (paper.width_mm - grid_w) / 2  # centred: the marks are the same on both sides
    upper = top + BAND_MM + (area_h - grid_h) / 2
    fronts = tuple(
        (round(left + c * (placed_w + gutter_x), 3), round(upper + r * (placed_h + gutter_y), 3))
        for r in range(rows)
        for c in range(cols)
    )
    marks = _crop_marks(fronts, placed_w, placed_h, (left, upper, left + grid_w, upper + grid_h))
    note = Box(margin, margin, round(paper.width_mm - 2 * margin, 3), NOTE_MM)
    return Layout(
        paper, card_w, card_h, turned, cols, rows, gutter_x, gutter_y, margin, fronts, marks, note
    )


def _fit_count(space: float, card: float) -> tuple[int, float]:
    """How many cards fit side by side in `space`, and the gutter between them: as wide as
    the space allows up to GUTTER_MAX_MM, or none (butted) when narrower than GUTTER_MIN_MM."""
    count = math.floor(space / card + 1e-9)
    if count < 2:
        return count, 0.0
    gutter = min(GUTTER_MAX_MM, (space - count * card) / (count - 1))
    return count, round(gutter, 3) if gutter >= GUTTER_MIN_MM else 0.0


def _crop_marks(
    fronts: tuple[tuple[float, float], ...],
    card_w: float,
    card_h: float,
    grid: tuple[float, float, float, float],
) -> tuple[Mark, ...]:
    """Lines along every cut, wherever no card covers them: the band around the grid and the
    gutters, each stopping MARK_GAP_MM short of the cards."""
    left, top, right, bottom = grid
    xs = sorted({x for x, _ in fronts} | {round(x + card_w, 3) for x, _ in fronts})
    ys = sorted({y for _, y in fronts} | {round(y + card_h, 3) for _, y in fronts})
    rows = sorted({(y, y + card_h) for _, y in fronts})
    cols = sorted({(x, x + card_w) for x, _ in fronts})
    marks = [Mark(x, a, x, b) for x in xs for a, b in _free(rows, top, bottom)]
    marks += [Mark(a, y, b, y) for y in ys for a, b in _free(cols, left, right)]
    return tuple(marks)


def _free(spans: list[tuple[float, float]], start: float, end: float) -> list[tuple[float, float]]:
    """Stretches of a cut line outside the cards: the band before the grid, the gutters long
    enough to hold a mark, and the band after it."""
    found = [(start - BAND_MM, start - MARK_GAP_MM)]
    for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False):
        if b_start - a_end >= 2 * MARK_GAP_MM + 1.0:
            found.append((a_end + MARK_GAP_MM, b_start - MARK_GAP_MM))
    found.append((end + MARK_GAP_MM, end + BAND_MM))
    return [(round(a, 3), round(b, 3)) for a, b in found]
