"""What a situation page shows first, and its steps without repeating a phrase.

An agent opens a situation page mid-call: the first screen holds the phrases for this moment
(say now, don't say), then each step lists only phrases not shown above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kbgen.model.entries import DONT_SAY_MAX, SAY_NOW_MAX
from kbgen.templating import typeset

if TYPE_CHECKING:
    from kbgen.model.entries import Phrase, Situation, Technique
    from kbgen.model.handbook import Handbook

Item = tuple["Phrase", str, None]
"""(phrase, "say" or "avoid", situation): what the phrase-list macro takes."""

STEP_TECHNIQUE_PHRASES = 1
"""A step adds its technique's first phrase to say and to avoid, when not already shown."""


@dataclass
class FirstScreen:
    say: list[Item] = field(default_factory=list)
    dont: list[Item] = field(default_factory=list)


@dataclass
class Step:
    technique: Technique
    note: str | None
    phrases: list[Item] = field(default_factory=list)


def first_screen(situation: Situation, handbook: Handbook) -> FirstScreen:
    """Say now and don't say: the situation's own, or else the first phrases of its steps."""
    say = list(situation.say_now)
    dont = list(situation.dont_say)
    if not say or not dont:
        step_say, step_avoid = [], []
        for step in situation.steps:
            technique = handbook.techniques[step.technique]
            step_say += [*step.say, *technique.say[:STEP_TECHNIQUE_PHRASES]]
            step_avoid += [*step.avoid, *technique.avoid[:STEP_TECHNIQUE_PHRASES]]
        say = say or _unique(step_say)[:SAY_NOW_MAX]
        dont = dont or _unique(step_avoid)[:DONT_SAY_MAX]
    return FirstScreen([(p, "say", None) for p in say], [(p, "avoid", None) for p in dont])


def steps(situation: Situation, handbook: Handbook) -> list[Step]:
    """Each step with the phrases not already on the page above it."""
    screen = first_screen(situation, handbook)
    shown = {_key(p) for p, _, _ in [*screen.say, *screen.dont]}
    if situation.warning is not None:
        shown.add(_key(situation.warning))
    found = []
    for step in situation.steps:
        technique = handbook.techniques[step.technique]
        items: list[Item] = []
        for polarity, phrases in (
            ("say", [*step.say, *technique.say[:STEP_TECHNIQUE_PHRASES]]),
            ("avoid", [*step.avoid, *technique.avoid[:STEP_TECHNIQUE_PHRASES]]),
        ):
            for phrase in phrases:
                if _key(phrase) not in shown:
                    shown.add(_key(phrase))
                    items.append((phrase, polarity, None))
        found.append(Step(technique, step.note, items))
    return found


def first_sentence(text: str) -> str:
    """The first sentence of a longer instruction, for the first screen."""
    match = re.match(r"(.+?[.!?])(\s|$)", " ".join(text.split()))
    return match.group(1) if match else text


def tel_uri(phone: str) -> str:
    """'tel:+442079460000;ext=4321' for '+44 20 7946 0000 ext 4321': digits only, so a phone
    or softphone dials it as written."""
    number, extension = [*re.split(r"(?i)\s*(?:ext\.?|x)\s*", phone.strip(), maxsplit=1), ""][:2]
    digits = re.sub(r"\D", "", number)
    uri = f"tel:{'+' if number.startswith('+') else ''}{digits}"
    return f"{uri};ext={extension}" if extension else uri


def _key(phrase: Phrase) -> str:
    return re.sub(r"\W+", " ", typeset(phrase.text).casefold()).strip()


def _unique(phrases: list[Phrase]) -> list[Phrase]:
    seen: set[str] = set()
    found = []
    for phrase in phrases:
        if _key(phrase) not in seen:
            seen.add(_key(phrase))
            found.append(phrase)
    return found


SECTION_ORDER = ("## How", "## Why")
"""A technique page shows how to do it before why it works: an agent mid-call needs the how."""


def how_before_why(body: str) -> str:
    """The body with its "## How…" section before its "## Why…" section; other sections
    (and text before the first heading) keep their place after those two."""
    sections = re.split(r"(?m)^(?=## )", body.strip("\n"))
    lead = [s for s in sections if not s.startswith("## ")]
    headed = [s for s in sections if s.startswith("## ")]
    ordered = [s for prefix in SECTION_ORDER for s in headed if s.startswith(prefix)]
    rest = [s for s in headed if s not in ordered]
    return "\n\n".join(part.strip("\n") for part in [*lead, *ordered, *rest]) + "\n"
