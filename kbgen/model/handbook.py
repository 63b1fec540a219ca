"""The whole handbook as one object, with the cross-entry views the pages need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kbgen.model.entries import Phrase, Situation, Source, Stage, Technique

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kbgen.model.cards import Card
    from kbgen.model.stories import Story


@dataclass(frozen=True)
class PhraseUse:
    """A phrase where it appears: under a technique, and maybe in one situation's step."""

    phrase: Phrase
    polarity: Literal["say", "avoid"]
    technique: Technique
    situation: Situation | None = None


@dataclass
class Handbook:
    """Every validated entry, by kind and id. Built only from a problem-free snippets tree."""

    sources: dict[str, Source] = field(default_factory=dict)
    techniques: dict[str, Technique] = field(default_factory=dict)
    situations: dict[str, Situation] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)

    def techniques_in_stage(self, stage: Stage) -> list[Technique]:
        found = [t for t in self.techniques.values() if stage in t.stages]
        return sorted(found, key=lambda t: (t.order, t.title.casefold()))

    def primary_stage(self, technique: Technique) -> Stage:
        """The earliest stage a technique belongs to: where the phrasebook files it."""
        return min(technique.stages, key=list(Stage).index)

    def techniques_filed_under(self, stage: Stage) -> list[Technique]:
        """Techniques whose earliest stage is `stage`: where each is listed exactly once."""
        return [t for t in self.techniques_in_stage(stage) if self.primary_stage(t) == stage]

    def techniques_in_call_order(self) -> list[Technique]:
        """Each technique once, at its earliest stage, in the order the home page lists them."""
        return [t for stage in Stage for t in self.techniques_filed_under(stage)]

    def techniques_supported_by(self, source: Source) -> list[Technique]:
        return [t for t in self.techniques_in_call_order() if self.supports(source, t)]

    def ordered_situations(self) -> list[Situation]:
        return sorted(self.situations.values(), key=lambda s: (s.order, s.title.casefold()))

    def ordered_cards(self) -> list[Card]:
        return sorted(self.cards.values(), key=lambda c: (c.order, c.title.casefold()))

    def stories_newest_first(self) -> list[Story]:
        return sorted(self.stories.values(), key=lambda s: (s.date, s.id), reverse=True)

    def stories_using(self, entry: Technique | Situation) -> list[Story]:
        """Stories that name this technique or situation, newest first."""
        field_name = "techniques" if isinstance(entry, Technique) else "situations"
        return [s for s in self.stories_newest_first() if entry.id in getattr(s, field_name)]

    def ordered_sources(self) -> list[Source]:
        return sorted(self.sources.values(), key=lambda s: (s.date is None, s.date, s.title))

    def situations_using(self, technique: Technique) -> list[Situation]:
        return [
            s
            for s in self.ordered_situations()
            if any(st.technique == technique.id for st in s.steps)
        ]

    def related_to(self, technique: Technique) -> list[Technique]:
        """Related techniques, both the ones it names and the ones that name it."""
        ids = list(technique.related)
        ids += [
            t.id for t in self.techniques.values() if technique.id in t.related and t.id not in ids
        ]
        return [self.techniques[i] for i in ids if i != technique.id]

    def supports(self, source: Source, technique: Technique) -> bool:
        """Whether an article backs a technique: cited as support, or as the origin of a phrase."""
        cited = {r.source for r in technique.sources}
        cited |= {p.source for p in [*technique.say, *technique.avoid] if p.source}
        return source.id in cited

    def phrase_uses(self) -> Iterator[PhraseUse]:
        """Every say/avoid phrase, technique phrases first, then each situation's step phrases."""
        for technique in self.techniques.values():
            for phrase in technique.say:
                yield PhraseUse(phrase, "say", technique)
            for phrase in technique.avoid:
                yield PhraseUse(phrase, "avoid", technique)
        for situation in self.ordered_situations():
            for step in situation.steps:
                technique = self.techniques[step.technique]
                for phrase in step.say:
                    yield PhraseUse(phrase, "say", technique, situation)
                for phrase in step.avoid:
                    yield PhraseUse(phrase, "avoid", technique, situation)

    def phrases_for(self, technique: Technique) -> list[PhraseUse]:
        return [u for u in self.phrase_uses() if u.technique.id == technique.id]
