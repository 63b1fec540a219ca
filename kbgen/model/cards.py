"""Quick-reference cards: what goes on each face, at which physical size and type scale."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator

from kbgen.model.entries import EntryId, Line, Record, Reference, ReviewedEntry

if TYPE_CHECKING:
    from kbgen.model.handbook import Handbook

MM_PER_INCH = 25.4


DESK_SCALE = (12.0, 13.0, 14.0, 15.0, 16.0, 18.0, 20.0)
"""Body sizes a desk card is set at, smallest first: 12 pt is the smallest that reads at arm's
length; past 20 pt a face holds too few words to be worth a card."""

BADGE_SCALE = (8.0, 8.5, 9.0, 9.5, 10.0)
"""A badge is read up close, on a lanyard: 8 pt is its floor."""

HEADING_RATIO = 1.4


@dataclass(frozen=True)
class Preset:
    """A physical card size (portrait: width ≤ height) and the type scale it is read at."""

    name: str
    width_mm: float
    height_mm: float
    desk: bool  # read at arm's length on a desk (a7 and larger); else worn on a lanyard
    padding_mm: float

    @property
    def scale(self) -> tuple[float, ...]:
        return DESK_SCALE if self.desk else BADGE_SCALE

    @property
    def min_text_pt(self) -> float:
        return self.scale[0]

    @property
    def min_heading_pt(self) -> float:
        return 18.0 if self.desk else 10.0

    def heading_pt(self, body_pt: float) -> float:
        """Headings stand out by size alone (cards have no colour), never below the minimum."""
        return max(self.min_heading_pt, round(body_pt * HEADING_RATIO, 1))


class CardSize(StrEnum):
    A6 = "a6"
    A7 = "a7"
    BADGE = "badge"
    IN_4X6 = "4x6in"
    IN_5X7 = "5x7in"
    HALF_LETTER = "half-letter"

    @property
    def preset(self) -> Preset:
        return PRESETS[self]


PRESETS: dict[CardSize, Preset] = {
    CardSize.A6: Preset("A6", 105, 148, True, 7),
    CardSize.A7: Preset("A7", 74, 105, True, 5),
    CardSize.BADGE: Preset("badge (ID-1)", 54, 85.6, False, 4),
    CardSize.IN_4X6: Preset("4×6 in", 4 * MM_PER_INCH, 6 * MM_PER_INCH, True, 7),
    CardSize.IN_5X7: Preset("5×7 in", 5 * MM_PER_INCH, 7 * MM_PER_INCH, True, 8),
    CardSize.HALF_LETTER: Preset("half letter", 5.5 * MM_PER_INCH, 8.5 * MM_PER_INCH, True, 9),
}


class Orientation(StrEnum):
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


class PhraseRef(Record):
    """A phrase taken from a technique, by its position in that technique's list (1 = first)."""

    technique: EntryId = Field(description="id of the technique the phrase belongs to")
    phrase: int = Field(default=1, ge=1, description="which of its phrases, counting from 1")


CardPhrase = Annotated[Line | PhraseRef, Field(union_mode="left_to_right")]


class HeadingBlock(Record):
    heading: Line = Field(description="a heading on the face")


class TextBlock(Record):
    text: Line = Field(description="text written directly on the card")


class StepsBlock(Record):
    steps: list[EntryId] = Field(
        min_length=1, description="technique ids, in order: their titles and summaries"
    )


class SayBlock(Record):
    say: list[CardPhrase] = Field(min_length=1, description="phrases to say")


class AvoidBlock(Record):
    avoid: list[CardPhrase] = Field(min_length=1, description="phrases not to say")


class Pair(Record):
    """A phrase to say instead of one not to say, set side by side on one row of a face."""

    say: CardPhrase = Field(description="what to say instead")
    not_: CardPhrase = Field(alias="not", description="what not to say")


class PairsBlock(Record):
    pairs: list[Pair] = Field(
        min_length=1, description="rows of {say: phrase, not: phrase}: the swap, one per row"
    )


class MnemonicBlock(Record):
    mnemonic: list[Line] = Field(
        min_length=2, description="words whose first letters make the mnemonic"
    )


class HandoverBlock(Record):
    handover: EntryId = Field(description="id of a situation: its rule for handing over")


def _block_kind(value: object) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        return str(next(iter(value)))
    if isinstance(value, Record):
        return next(iter(type(value).model_fields))
    return None


Block = Annotated[
    Annotated[HeadingBlock, Tag("heading")]
    | Annotated[TextBlock, Tag("text")]
    | Annotated[StepsBlock, Tag("steps")]
    | Annotated[SayBlock, Tag("say")]
    | Annotated[AvoidBlock, Tag("avoid")]
    | Annotated[PairsBlock, Tag("pairs")]
    | Annotated[MnemonicBlock, Tag("mnemonic")]
    | Annotated[HandoverBlock, Tag("handover")],
    Discriminator(_block_kind),
]


class Card(ReviewedEntry):
    """A quick-reference card: a front and a back face, printed at a fixed physical size."""

    kind: ClassVar[str] = "card"
    size: CardSize = Field(default=CardSize.A6, description="physical size of the printed card")
    orientation: Orientation = Field(
        default=Orientation.PORTRAIT, description="portrait or landscape"
    )
    text_size: float | None = Field(
        default=None,
        description="smallest body text size in points (default: the size's minimum); "
        "each face is set at the largest size of the scale that fits",
    )
    order: int = Field(default=100, description="position in the list of cards (lower first)")
    front: list[Block] = Field(min_length=1, description="blocks on the front face")
    back: list[Block] = Field(min_length=1, description="blocks on the back face")

    @field_validator("text_size")
    @classmethod
    def _readable_at_arms_length(
        cls, text_size: float | None, info: ValidationInfo
    ) -> float | None:
        size = info.data.get("size")
        if text_size is None or not isinstance(size, CardSize):
            return text_size
        preset = size.preset
        if text_size < preset.min_text_pt:
            kind = "a desk card" if preset.desk else "a badge"
            raise ValueError(
                f"text_size {text_size:g} pt is below the {preset.min_text_pt:g} pt minimum for "
                f"{kind} ({size.value}), the smallest that reads at arm's length; shorten the "
                "text or choose a bigger size instead of smaller type"
            )
        return text_size

    @property
    def preset(self) -> Preset:
        return self.size.preset

    @property
    def width_mm(self) -> float:
        p = self.preset
        return p.height_mm if self.orientation is Orientation.LANDSCAPE else p.width_mm

    @property
    def height_mm(self) -> float:
        p = self.preset
        return p.width_mm if self.orientation is Orientation.LANDSCAPE else p.height_mm

    @property
    def min_body_pt(self) -> float:
        return self.text_size or self.preset.min_text_pt

    def body_sizes(self) -> tuple[float, ...]:
        """The sizes each face may be set at, smallest first: the preset's scale from
        `text_size` up (a `text_size` off the scale is its first step)."""
        floor = self.min_body_pt
        return (floor, *(size for size in self.preset.scale if size > floor))

    def heading_pt(self, body_pt: float) -> float:
        return self.preset.heading_pt(body_pt)

    def faces(self) -> dict[str, list[Block]]:
        return {"front": self.front, "back": self.back}

    def references(self) -> list[Reference]:
        refs: list[Reference] = []
        for face, blocks in self.faces().items():
            for i, block in enumerate(blocks):
                refs += _block_references(block, (face, i))
        return refs

    def cross_check(self, handbook: Handbook) -> list[tuple[tuple[str | int, ...], str, str]]:
        """Phrase numbers that point past the end of their technique's list."""
        problems = []
        for face, blocks in self.faces().items():
            for i, block in enumerate(blocks):
                for loc, polarity, item in phrase_refs(block, (face, i)):
                    technique = handbook.techniques.get(item.technique)
                    if technique is None:
                        continue  # an unknown technique: reported by references()
                    phrases = getattr(technique, polarity)
                    if item.phrase > len(phrases):
                        count = f"{len(phrases) or 'no'} '{polarity}' phrase" + (
                            "" if len(phrases) == 1 else "s"
                        )
                        choose = {
                            0: f"add the phrase to its '{polarity}' list",
                            1: "use 1 (the only one)",
                        }.get(len(phrases), f"use a number from 1 to {len(phrases)}")
                        problems.append(
                            (
                                (*loc, "phrase"),
                                f"technique '{item.technique}' has {count}, not {item.phrase}",
                                f"{choose}, or write the phrase out",
                            )
                        )
        return problems


def phrase_refs(
    block: object, loc: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], str, PhraseRef]]:
    """Every phrase a block takes from a technique: (where in the file, "say" or "avoid",
    the reference). A pair's `not` phrase is one of the technique's phrases to avoid."""
    found = []
    for polarity in ("say", "avoid"):
        for j, item in enumerate(getattr(block, polarity, None) or []):
            if isinstance(item, PhraseRef):
                found.append(((*loc, polarity, j), polarity, item))
    for j, pair in enumerate(getattr(block, "pairs", None) or []):
        for key, polarity, item in (("say", "say", pair.say), ("not", "avoid", pair.not_)):
            if isinstance(item, PhraseRef):
                found.append(((*loc, "pairs", j, key), polarity, item))
    return found


def _block_references(block: object, loc: tuple[str | int, ...]) -> list[Reference]:
    if isinstance(block, StepsBlock):
        return [
            Reference(kind="technique", id=t, loc=(*loc, "steps", j))
            for j, t in enumerate(block.steps)
        ]
    if isinstance(block, HandoverBlock):
        return [Reference(kind="situation", id=block.handover, loc=(*loc, "handover"))]
    return [
        Reference(kind="technique", id=item.technique, loc=(*where, "technique"))
        for where, _, item in phrase_refs(block, loc)
    ]
