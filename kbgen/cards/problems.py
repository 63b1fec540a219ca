"""What can be wrong with a card, in the words a trainer acts on: the face, how much, the fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kbgen.model.cards import Card

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class DeckProblem:
    """A card that cannot be printed as written (error), or could be better (warning).
    `face` is None for the whole card."""

    card_id: str
    face: str | None
    message: str
    fix: str
    severity: Severity = "error"

    def as_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> DeckProblem:
        return cls(**data)  # type: ignore[arg-type]


def size_name(card: Card) -> str:
    return f"{card.size.value} {card.orientation.value} ({card.width_mm:g} × {card.height_mm:g} mm)"


def overflow(card: Card, face: str, over_mm: float, link_mm: float | None) -> DeckProblem:
    fix = (
        f"shorten or remove something on the {face}, move a block to the other face, "
        "or choose a bigger size"
    )
    if link_mm:
        fix += f" (the QR code to the card's page takes {link_mm:.0f} mm at the foot of the back)"
    return DeckProblem(
        card.id,
        face,
        f"the {face} of '{card.title}' runs {over_mm:.1f} mm past the bottom of the "
        f"{size_name(card)} card at {card.min_body_pt:g} pt; it would need smaller text to "
        "fit, and text is never shrunk below what reads at arm's length",
        fix,
    )


def half_empty(card: Card, face: str, fill: float, body_pt: float) -> DeckProblem:
    return DeckProblem(
        card.id,
        face,
        f"the {face} of '{card.title}' is only {fill:.0%} full at {body_pt:g} pt, the largest "
        f"type size for a {card.preset.name} card; a reader gets little from the space",
        "add a block or choose a smaller card size",
        "warning",
    )


def missing_glyphs(card: Card, characters: list[str]) -> DeckProblem:
    shown = " ".join(f"'{c}' (U+{ord(c):04X})" for c in characters)
    return DeckProblem(
        card.id,
        None,
        f"'{card.title}' uses characters the card font cannot print: {shown}",
        "replace them with plain letters or punctuation (for example '->' or 'then' for an arrow)",
    )


def too_big_for(card: Card, paper_name: str) -> DeckProblem:
    return DeckProblem(
        card.id,
        None,
        f"'{card.title}' does not fit on a {paper_name} sheet inside the printable margin",
        "choose a smaller card size, or print its own PDF at actual size",
        "warning",
    )
