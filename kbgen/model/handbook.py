"""The whole handbook as one object, with the cross-entry views the pages need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from kbgen.model.entries import Phrase, Situation, Source, Stage, Technique

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kbgen.model.cards import Card
    from kbgen.model.stories import Story


@dataclass(frozen=True)
class PhraseUse:
    """A phrase where it appears: under a technique, in one situation's step, or on a
    situation's first screen (say now, don't say, its warning: no technique then)."""

    phrase: Phrase
    polarity: Literal["say", "avoid"]
    technique: Technique | None
    situation: Situation | None = None


@dataclass
class Handbook:
    """Every validated entry, by kind and id. Built only from a problem-free snippets tree."""

    sources: dict[str, Source] = field(default_factory=dict)
    techniques: dict[str, Technique] = field(default_factory=dict)
    situations: dict[str, Situation] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)

    # Views are computed once per Handbook: pages ask for them thousands of times, and a scan
    # per question would make a big handbook's build quadratic.

    @cached_property
    def _by_stage(self) -> dict[Stage, list[Technique]]:
        ordered = sorted(self.techniques.values(), key=lambda t: (t.order, t.title.casefold()))
        return {stage: [t for t in ordered if stage in t.stages] for stage in Stage}

    def techniques_in_stage(self, stage: Stage) -> list[Technique]:
        return self._by_stage[stage]

    def primary_stage(self, technique: Technique) -> Stage:
        """The earliest stage a technique belongs to: where the phrasebook files it."""
        return min(technique.stages, key=list(Stage).index)

    def techniques_filed_under(self, stage: Stage) -> list[Technique]:
        """Techniques whose earliest stage is `stage`: where each is listed exactly once."""
        return [t for t in self.techniques_in_stage(stage) if self.primary_stage(t) == stage]

    @cached_property
    def _call_order(self) -> list[Technique]:
        return [t for stage in Stage for t in self.techniques_filed_under(stage)]

    def techniques_in_call_order(self) -> list[Technique]:
        """Each technique once, at its earliest stage, in the order the home page lists them."""
        return self._call_order

    def techniques_supported_by(self, source: Source) -> list[Technique]:
        return [t for t in self.techniques_in_call_order() if self.supports(source, t)]

    @cached_property
    def _situations(self) -> list[Situation]:
        return sorted(self.situations.values(), key=lambda s: (s.order, s.title.casefold()))

    def ordered_situations(self) -> list[Situation]:
        return self._situations

    def ordered_cards(self) -> list[Card]:
        return sorted(self.cards.values(), key=lambda c: (c.order, c.title.casefold()))

    @cached_property
    def _stories(self) -> list[Story]:
        return sorted(self.stories.values(), key=lambda s: (s.date, s.id), reverse=True)

    def stories_newest_first(self) -> list[Story]:
        return self._stories

    @cached_property
    def _stories_by_entry(self) -> dict[tuple[str, str], list[Story]]:
        index: dict[tuple[str, str], list[Story]] = defaultdict(list)
        for story in self._stories:
            for technique_id in dict.fromkeys(story.techniques):
                index["technique", technique_id].append(story)
            for situation_id in dict.fromkeys(story.situations):
                index["situation", situation_id].append(story)
        return index

    def stories_using(self, entry: Technique | Situation) -> list[Story]:
        """Stories that name this technique or situation, newest first."""
        return self._stories_by_entry.get((entry.kind, entry.id), [])

    def ordered_sources(self) -> list[Source]:
        return sorted(self.sources.values(), key=lambda s: (s.date is None, s.date, s.title))

    @cached_property
    def _situations_by_technique(self) -> dict[str, list[Situation]]:
        index: dict[str, list[Situation]] = defaultdict(list)
        for situation in self._situations:
            for technique_id in dict.fromkeys(step.technique for step in situation.steps):
                index[technique_id].append(situation)
        return index

    def situations_using(self, technique: Technique) -> list[Situation]:
        return self._situations_by_technique.get(technique.id, [])

    @cached_property
    def _named_by(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for other in self.techniques.values():
            for named in other.related:
                index[named].append(other.id)
        return index

    def related_to(self, technique: Technique) -> list[Technique]:
        """Related techniques, both the ones it names and the ones that name it."""
        ids = list(dict.fromkeys([*technique.related, *self._named_by.get(technique.id, [])]))
        return [self.techniques[i] for i in ids if i != technique.id]

    def sources_supporting(self, technique: Technique) -> list[Source]:
        return [s for s in self.ordered_sources() if self.supports(s, technique)]

    def supports(self, source: Source, technique: Technique) -> bool:
        """Whether an article backs a technique: cited as support, or as the origin of a phrase."""
        cited = {r.source for r in technique.sources}
        cited |= {p.source for p in [*technique.say, *technique.avoid] if p.source}
        return source.id in cited

    @cached_property
    def _phrase_uses(self) -> list[PhraseUse]:
        uses = []
        for technique in self.techniques.values():
            uses += [PhraseUse(p, "say", technique) for p in technique.say]
            uses += [PhraseUse(p, "avoid", technique) for p in technique.avoid]
        for situation in self._situations:
            first = [*situation.say_now, *([situation.warning] if situation.warning else [])]
            uses += [PhraseUse(p, "say", None, situation) for p in first]
            uses += [PhraseUse(p, "avoid", None, situation) for p in situation.dont_say]
            for step in situation.steps:
                technique = self.techniques[step.technique]
                uses += [PhraseUse(p, "say", technique, situation) for p in step.say]
                uses += [PhraseUse(p, "avoid", technique, situation) for p in step.avoid]
        return uses

    def phrase_uses(self) -> Iterator[PhraseUse]:
        """Every say/avoid phrase, technique phrases first, then each situation's step phrases."""
        return iter(self._phrase_uses)

    @cached_property
    def _phrases_by_technique(self) -> dict[str, list[PhraseUse]]:
        index: dict[str, list[PhraseUse]] = defaultdict(list)
        for use in self._phrase_uses:
            if use.technique is not None:
                index[use.technique.id].append(use)
        return index

    def phrases_for(self, technique: Technique) -> list[PhraseUse]:
        return self._phrases_by_technique.get(technique.id, [])
