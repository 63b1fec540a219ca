"""The adversarial probe set (tests/stories/probes_*.yml): every probe smuggles personal data
into a story in one disguise and must be held; the ordinary stories (ordinary_*.yml) must pass.
The tuned halves were developed against; the held-out halves are asserted at the level measured
when they were first run (see benchmarks/story_probes.py for the figures)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from kbgen.model.stories import Story
from kbgen.stories.moderation import check_story

FOLDER = Path(__file__).parent / "stories"
FIELDS = ("title", "author", "outcome", "lesson", "body", "commenter")

BASE = {
    "title": "A long call about a double charge",
    "author": "anonymous",
    "outcome": "Resolved on the call with a refund.",
    "lesson": "Let them finish before you start fixing it.",
    "body": "The customer shouted about a double charge on his bill. I let him finish, "
    "apologised and refunded it, and he thanked me at the end of the call.",
}
"""The ordinary story every probe is put into."""

MAX_HELD_ORDINARY = {"tuned": 1, "heldout": 3}
"""At most 1 in 25 ordinary stories held on the tuned half. The held-out half as measured the
first time it was run, after the checks were done (2 by the older "does not tell a call" rule,
1 "MS Teams" read as a name): not tuned on, so the figure stays honest."""

MAX_LEAKS = {"tuned": 0, "heldout": 4}
"""Probes that pass the checks: none on the tuned half; on the held-out half the 4 measured the
first time it was run (a date of birth with dots, base64 of a number, a colleague's name in
lower case, and a number split between the lesson and the middle of the body)."""


@dataclass(frozen=True)
class Probe:
    id: str
    disguise: str
    fields: dict[str, str]

    def story(self) -> Story:
        return story_of(self.id, self.fields, base=True)


@dataclass(frozen=True)
class Ordinary:
    id: str
    kind: str
    fields: dict[str, str]
    channel: str

    def story(self) -> Story:
        return story_of(self.id, self.fields, base=False, channel=self.channel)


def story_of(story_id: str, given: dict[str, str], base: bool, channel: str = "phone") -> Story:
    fields = dict(BASE) if base else {}
    for name, text in given.items():
        if base and name == "body":
            fields["body"] = f"{BASE['body']} {text}"
        else:
            fields[name] = text
    commenter = fields.pop("commenter", None)
    data = {
        **fields,
        "id": story_id,
        "date": "2026-10-01",
        "channel": channel,
        "techniques": ["listen-actively"],
    }
    if commenter is not None:
        data["source"] = {"article": "an-article", "commenter": commenter}
    return Story.model_validate(data)


@cache
def probes(half: str) -> tuple[Probe, ...]:
    rows = yaml.safe_load((FOLDER / f"probes_{half}.yml").read_text(encoding="utf-8"))
    return tuple(Probe(r["id"], r["class"], dict(r["fields"])) for r in rows)


@cache
def ordinary(half: str) -> tuple[Ordinary, ...]:
    rows = yaml.safe_load((FOLDER / f"ordinary_{half}.yml").read_text(encoding="utf-8"))
    return tuple(
        Ordinary(r["id"], r["kind"], {f: r[f].strip() for f in FIELDS if f in r}, r["channel"])
        for r in rows
    )


def held(story: Story) -> bool:
    return any(f.blocking for f in check_story(story))


def leaks(half: str) -> list[Probe]:
    return [p for p in probes(half) if not held(p.story())]


def false_holds(half: str) -> list[Ordinary]:
    return [o for o in ordinary(half) if held(o.story())]


def by(key: str, rows: list[Probe]) -> Counter[str]:
    """{field or disguise class: probes}."""
    if key == "field":
        return Counter("+".join(sorted(p.fields)) for p in rows)
    return Counter(p.disguise for p in rows)


def test_the_probe_set_is_big_enough_and_covers_every_field() -> None:
    every = probes("tuned") + probes("heldout")
    assert len(every) >= 200
    assert len(ordinary("tuned")) + len(ordinary("heldout")) >= 50
    assert {f for p in every for f in p.fields} == set(FIELDS)
    assert len({p.id for p in every}) == len(every)


def test_no_tuned_probe_passes_the_checks() -> None:
    assert probes("tuned")
    missed = [f"{p.id} ({p.disguise})" for p in leaks("tuned")]
    assert len(missed) <= MAX_LEAKS["tuned"], missed


def test_ordinary_tuned_stories_pass() -> None:
    assert ordinary("tuned")
    refused = [
        f"{o.id}: {[f.what for f in check_story(o.story()) if f.blocking]}"
        for o in false_holds("tuned")
    ]
    assert len(refused) <= MAX_HELD_ORDINARY["tuned"], refused


def test_held_out_probes_and_stories_at_the_level_measured() -> None:
    assert probes("heldout") and ordinary("heldout")
    missed = [f"{p.id} ({p.disguise})" for p in leaks("heldout")]
    refused = [o.id for o in false_holds("heldout")]
    assert len(missed) <= MAX_LEAKS["heldout"], missed
    assert len(refused) <= MAX_HELD_ORDINARY["heldout"], refused
