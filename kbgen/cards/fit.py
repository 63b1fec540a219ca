"""Choosing each face's type size: the largest step of the card's scale that fits, found from
as few layouts as possible.

Laying a face out is what costs, so the search predicts instead of stepping: text that wraps
grows about with the square of its size (more lines, each taller), so one layout tells roughly
where the face will be full, and two tell how fast this face grows. Every size it keeps is one
it laid out (that layout becomes the PDF); a larger size is ruled out either by laying it out
or, when the face is nearly full already, by a bound that holds whatever the text: nothing on
a face grows slower than its type size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

FULL = 1.0
"""Fill is the share of a face's text area in use: above 1 the text runs past the face."""

HALF_EMPTY = 0.5
"""A face under half full at the largest size is a card that could be smaller, or hold more."""

PREDICTION_MARGIN = 0.985
"""Aim a little under full: a guess that overshoots costs a layout more than one that stops
short of the last step."""

GROWTH = 2.0
"""How fast a face's height grows with its type size until two layouts tell: about with the
square of it for wrapping text (more lines, each taller), linearly for one-line items."""


@dataclass
class CardFit:
    """The sizes a card's faces are set at, and how full each face is at that size."""

    body_pt: dict[str, float]
    heading_pt: dict[str, float]
    fill: dict[str, float]  # face -> share of its text area in use (0..1)
    page_url: str | None = None  # the card's page, printed as a QR code on the back

    def as_json(self) -> dict[str, object]:
        return {
            "body_pt": self.body_pt,
            "heading_pt": self.heading_pt,
            "fill": self.fill,
            "page_url": self.page_url,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CardFit:
        return cls(**data)  # type: ignore[arg-type]


@dataclass
class FaceSearch:
    """The search for one face over its scale (body sizes, smallest first).

    `measured` maps a scale index to the fill laid out at that size. `no_heading_clamp` is the
    smallest body size whose heading is not held up by the heading minimum: from there up,
    every part of the face grows at least in proportion to the type size.
    """

    sizes: tuple[float, ...]
    no_heading_clamp: float = 0.0
    measured: dict[int, float] = field(default_factory=dict)

    def record(self, index: int, fill: float) -> None:
        self.measured[index] = fill

    @property
    def _fits(self) -> list[int]:
        return [i for i, fill in self.measured.items() if fill <= FULL]

    @property
    def _overflows(self) -> list[int]:
        return [i for i, fill in self.measured.items() if fill > FULL]

    def chosen(self) -> int | None:
        """The largest size laid out that fits; None while none does."""
        return max(self._fits, default=None)

    def next_index(self) -> int | None:
        """The size to lay out next, or None when the search is settled."""
        top = len(self.sizes) - 1
        if not self.measured:
            # above the middle of the scale: on the bundled deck this start needs the fewest
            # layouts (sparse faces fit there or at the top; dense ones one or two steps down)
            return min(len(self.sizes) // 2 + 1, top)
        lo = max(self._fits, default=-1)
        hi = min(self._overflows, default=len(self.sizes))
        if lo == top or hi == 0 or hi == lo + 1:
            return None
        if lo >= 0 and self._surely_overflows(lo, lo + 1):
            return None
        guess = self._predicted(lo, hi)
        return min(max(guess, lo + 1), hi - 1)

    def _surely_overflows(self, known: int, larger: int) -> bool:
        """Whether the face, measured at `known`, cannot fit at `larger`: heights grow at
        least linearly with the type size once headings are past their minimum."""
        small, big = self.sizes[known], self.sizes[larger]
        if small < self.no_heading_clamp:
            return False
        return self.measured[known] * big / small > FULL

    def _predicted(self, lo: int, hi: int) -> int:
        """The largest index in (lo, hi) whose predicted fill stays under full."""
        exponent = self._growth()
        anchor = min(self.measured, key=lambda i: abs(self.measured[i] - FULL))
        fill, size = self.measured[anchor], self.sizes[anchor]
        best = lo + 1
        for index in range(lo + 1, hi):
            predicted = fill * (self.sizes[index] / size) ** exponent
            if predicted <= PREDICTION_MARGIN:
                best = index
        return best

    def _growth(self) -> float:
        """How fast this face's height grows with its type size: from two layouts when there
        are two, else GROWTH."""
        points = sorted(self.measured.items())
        if len(points) < 2:
            return GROWTH
        (i, a), (j, b) = points[0], points[-1]
        if a <= 0 or b <= 0 or self.sizes[i] == self.sizes[j]:
            return GROWTH
        exponent = math.log(b / a) / math.log(self.sizes[j] / self.sizes[i])
        return min(max(exponent, 1.0), 2.5)
