"""Quick-reference cards: what goes on each face, at which physical size and text size."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator

from kbgen.model.entries import EntryId, Line, Record, Reference, ReviewedEntry

if TYPE_CHECKING:
    from kbgen.model.handbook import Handbook

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Preset:
    """A physical card size (portrait: width ≤ height) and the text sizes it is read at."""

    name: str
    width_mm: float
    height_mm: float
    desk: bool  # read at arm's length on a desk (a7 and larger); else worn on a lanyard
    text_pt: float  # default body text size
    padding_mm: float

    @property
    def min_text_pt(self) -> float:
        return 12.0 if self.desk else 8.0

    @property
    def min_heading_pt(self) -> float:
        return 18.0 if self.desk else 10.0


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
    CardSize.A6: Preset("A6", 105, 148, True, 13, 7),
    CardSize.A7: Preset("A7", 74, 105, True, 12, 5),
    CardSize.BADGE: Preset("badge (ID-1)", 54, 85.6, False, 8.5, 4),
    CardSize.IN_4X6: Preset("4×6 in", 4 * MM_PER_INCH, 6 * MM_PER_INCH, True, 13, 7),
    CardSize.IN_5X7: Preset("5×7 in", 5 * MM_PER_INCH, 7 * MM_PER_INCH, True, 14, 8),
    CardSize.HALF_LETTER: Preset("half letter", 5.5 * MM_PER_INCH, 8.5 * MM_PER_INCH, True, 14, 9),
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
        default=None, description="body text size in points (default: the size's own)"
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
    def body_pt(self) -> float:
        return self.text_size or self.preset.text_pt

    @property
    def heading_pt(self) -> float:
        return max(self.preset.min_heading_pt, round(self.body_pt * 1.4, 1))

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
                for polarity in ("say", "avoid"):
                    for j, item in enumerate(getattr(block, polarity, None) or []):
                        technique = (
                            handbook.techniques.get(item.technique)
                            if isinstance(item, PhraseRef)
                            else None
                        )
                        if technique is None:
                            continue  # written out, or an unknown technique (reported)
                        phrases = getattr(technique, polarity)
                        if item.phrase > len(phrases):
                            count = f"{len(phrases)} '{polarity}' phrase" + (
                                "" if len(phrases) == 1 else "s"
                            )
                            problems.append(
                                (
                                    (face, i, polarity, j, "phrase"),
                                    f"technique '{item.technique}' has {count}, not {item.phrase}",
                                    f"use a number from 1 to {len(phrases)}, "
                                    "or write the phrase out",
                                )
                            )
        return problems


def _block_references(block: object, loc: tuple[str | int, ...]) -> list[Reference]:
    if isinstance(block, StepsBlock):
        return [
            Reference(kind="technique", id=t, loc=(*loc, "steps", j))
            for j, t in enumerate(block.steps)
        ]
    if isinstance(block, HandoverBlock):
        return [Reference(kind="situation", id=block.handover, loc=(*loc, "handover"))]
    refs = []
    for polarity in ("say", "avoid"):
        for j, item in enumerate(getattr(block, polarity, None) or []):
            if isinstance(item, PhraseRef):
                refs.append(
                    Reference(
                        kind="technique", id=item.technique, loc=(*loc, polarity, j, "technique")
                    )
                )
    return refs
