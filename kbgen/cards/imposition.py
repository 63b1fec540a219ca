"""Imposed print sheets: as many copies of a card as fit on A4 or US Letter, with crop marks.

Fronts go on one page and backs on the next, each back at the mirror image of its front's
position, so the two line up when the sheet is printed double-sided (flipped on the long
edge for a portrait sheet, on the short edge for a landscape one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

GUTTER_MAX_MM = 8.0
"""Gutters hold the crop marks; wider ones only waste paper."""

MARK_MM = 4.0
"""Length of a crop mark drawn at the sheet edge when there is no margin to hold it."""

NOTE_BAND_MM = 4.0


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
class Layout:
    paper: Paper
    landscape: bool
    card_w: float
    card_h: float
    cols: int
    rows: int
    gutter_x: float
    gutter_y: float
    fronts: list[tuple[float, float]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)

    @property
    def sheet_w(self) -> float:
        return self.paper.height_mm if self.landscape else self.paper.width_mm

    @property
    def sheet_h(self) -> float:
        return self.paper.width_mm if self.landscape else self.paper.height_mm

    @property
    def count(self) -> int:
        return self.cols * self.rows

    @property
    def backs(self) -> list[tuple[float, float]]:
        """Each back at the mirror image of its front, so duplex printing lines them up."""
        return [(self.sheet_w - x - self.card_w, y) for x, y in self.fronts]

    @property
    def flip(self) -> str:
        return "short edge" if self.landscape else "long edge"

    @property
    def margin_top(self) -> float:
        return min(y for _, y in self.fronts)

    @property
    def note_top(self) -> float:
        """Where the printing note goes: centred in the top margin, or, when the cards leave
        no margin, in the top band of the sheet, which is blank card padding."""
        if self.margin_top >= NOTE_BAND_MM:
            return round((self.margin_top - NOTE_BAND_MM) / 2 + 0.5, 3)
        return 0.6


def best_layout(card_w: float, card_h: float, paper: Paper) -> Layout | None:
    """The grid with the most copies of a card on `paper`, portrait or landscape; None if the
    card is bigger than the paper."""
    candidates = [_layout(card_w, card_h, paper, landscape) for landscape in (False, True)]
    fitting = [c for c in candidates if c is not None]
    if not fitting:
        return None
    # most cards first; then the roomier gutters (easier to cut); portrait on a tie
    return max(fitting, key=lambda c: (c.count, min(c.gutter_x, c.gutter_y), not c.landscape))


def _layout(card_w: float, card_h: float, paper: Paper, landscape: bool) -> Layout | None:
    sheet_w = paper.height_mm if landscape else paper.width_mm
    sheet_h = paper.width_mm if landscape else paper.height_mm
    cols, rows = math.floor(sheet_w / card_w + 1e-9), math.floor(sheet_h / card_h + 1e-9)
    if cols < 1 or rows < 1:
        return None
    gutter_x = _gutter(sheet_w, card_w, cols)
    gutter_y = _gutter(sheet_h, card_h, rows)
    left = (sheet_w - cols * card_w - (cols - 1) * gutter_x) / 2
    top = (sheet_h - rows * card_h - (rows - 1) * gutter_y) / 2
    fronts = [
        (round(left + c * (card_w + gutter_x), 3), round(top + r * (card_h + gutter_y), 3))
        for r in range(rows)
        for c in range(cols)
    ]
    layout = Layout(paper, landscape, card_w, card_h, cols, rows, gutter_x, gutter_y, fronts)
    return Layout(**{**layout.__dict__, "marks": _crop_marks(layout, sheet_w, sheet_h)})


def _gutter(sheet: float, card: float, count: int) -> float:
    """Leftover space shared between the gutters and the two margins, gutters capped."""
    if count < 2:
        return 0.0
    return round(min(GUTTER_MAX_MM, (sheet - count * card) / (count + 1)), 3)


def _crop_marks(layout: Layout, sheet_w: float, sheet_h: float) -> list[Mark]:
    """Lines along every cut, wherever no card covers them: margins and gutters.

    Where cards meet the sheet edge or each other with no space between, a short mark is drawn
    from the sheet edge instead; it falls in the card's blank padding, never on its text.
    """
    xs = sorted({x for x, _ in layout.fronts} | {x + layout.card_w for x, _ in layout.fronts})
    ys = sorted({y for _, y in layout.fronts} | {y + layout.card_h for _, y in layout.fronts})
    row_spans = sorted({(y, y + layout.card_h) for _, y in layout.fronts})
    col_spans = sorted({(x, x + layout.card_w) for x, _ in layout.fronts})
    marks = [Mark(x, a, x, b) for x in xs for a, b in _free(row_spans, sheet_h)]
    marks += [Mark(a, y, b, y) for y in ys for a, b in _free(col_spans, sheet_w)]
    return marks


def _free(spans: list[tuple[float, float]], length: float) -> list[tuple[float, float]]:
    """The stretches of [0, length] not covered by `spans`, with a 1 mm gap from each card;
    at a sheet edge with no room, a short mark of MARK_MM."""
    free, cursor = [], 0.0
    for start, end in [*spans, (length, length)]:
        if start - cursor >= 2.0:
            free.append((cursor if cursor == 0 else cursor + 1.0, start - 1.0))
        elif cursor == 0 and start > -1:  # no room before the first card: edge mark
            free.append((0.0, MARK_MM))
        cursor = max(cursor, end)
    if length - spans[-1][1] < 2.0:
        free.append((length - MARK_MM, length))
    return [(round(a, 3), round(b, 3)) for a, b in free if b > a]
