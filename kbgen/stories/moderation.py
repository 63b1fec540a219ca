"""Which stories reach the site: those a trainer approved, in exactly the version approved,
whose checks find nothing blocking in what a reader would see."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbgen.parallel import MIN_ITEMS, parallel_map
from kbgen.stories.checks import ACCEPTED, Finding, check_fields, rules
from kbgen.stories.ledger import content_hash
from kbgen.stories.render import published_fields, written_fields

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from kbgen.model.handbook import Handbook
    from kbgen.model.stories import Story
    from kbgen.stories.ledger import Decision

STATES = ("submitted", "approved", "rejected")


@dataclass(frozen=True)
class Review:
    story: Story
    findings: list[Finding]
    state: str = "submitted"  # from the ledger, for this exact version of the file
    decision: Decision | None = None
    changed: bool = False  # the ledger decided on another version of the file

    @property
    def published(self) -> bool:
        return self.state == "approved" and not any(f.blocking for f in self.findings)

    @property
    def held_back(self) -> bool:
        """Approved by a trainer, yet kept off the site by its findings: the build says so."""
        return self.state == "approved" and not self.published

    @property
    def rejection_reason(self) -> str | None:
        return self.decision.reason if self.state == "rejected" and self.decision else None


def state_of(decision: Decision | None, raw: bytes) -> tuple[str, bool]:
    """(state, changed since the decision) of a story file's exact bytes."""
    if decision is None:
        return "submitted", False
    if decision.sha256 != content_hash(raw):
        return "submitted", True
    return decision.state, False


def review_stories(
    handbook: Handbook,
    raws: Mapping[str, bytes],
    ledger: Mapping[str, Decision],
    progress: Callable[[int], None] | None = None,
) -> list[Review]:
    """Every story with its state and findings, newest first; `progress(done)` after each
    tenth. `raws` holds each story file's bytes by id: the ledger's decision binds to them."""
    stories = sorted(handbook.stories.values(), key=lambda s: (s.date, s.id), reverse=True)
    batch = max(MIN_ITEMS, len(stories) // 10) if progress else max(len(stories), 1)
    reviews: list[Review] = []
    for start in range(0, len(stories), batch):
        chunk = stories[start : start + batch]
        for story, found in zip(chunk, _checked(chunk), strict=True):
            decision = ledger.get(story.id)
            state, changed = state_of(decision, raws.get(story.id, b""))
            if state == "approved" and decision is not None:
                found = accepted(found, decision.accepted)
            reviews.append(Review(story, found, state, decision, changed))
        if progress:
            progress(len(reviews))
    return reviews


def accepted(findings: list[Finding], keys: tuple[str, ...]) -> list[Finding]:
    """The findings, those an approval names (by key) marked accepted: no longer blocking. A
    finding the approval did not name, or one of a kind never accepted, still holds the story."""
    return [
        dataclasses.replace(f, category=ACCEPTED) if f.acceptable and f.key in keys else f
        for f in findings
    ]


def check_story(story: Story) -> list[Finding]:
    """Findings in what the story publishes (each field as a reader sees it) and in the story
    as written (what the share form checks, and what a Markdown link would hide)."""
    written = check_fields(written_fields(story))
    if len(story.body) > rules()["published_body_max"]:
        return [*written, too_long(len(story.body))]  # never rendered: it is never published
    found: dict[tuple[str, str, str], Finding] = {}
    for finding in [*written, *check_fields(published_fields(story))]:
        found.setdefault((finding.field, finding.category, finding.what), finding)
    return sorted(found.values())


def too_long(length: int) -> Finding:
    limit = rules()["published_body_max"]
    return Finding(
        "body",
        limit,
        "too long",
        f"the story is {length:,} characters; a story is at most {limit:,}",
        "tell the one call that matters, in a few paragraphs",
    )


def _check(story: Story) -> list[Finding]:
    return check_story(story)


_VERDICTS: dict[str, list[Finding]] = {}
"""Findings by story, as checked before in this process: a preview rebuilding after one save
checks only the stories that changed. The rules are fixed for the process's lifetime."""
_VERDICTS_MAX = 50_000


def _checked(stories: list[Story]) -> list[list[Finding]]:
    keys = [story.model_dump_json() for story in stories]
    todo = [(key, story) for key, story in zip(keys, stories, strict=True) if key not in _VERDICTS]
    if len(_VERDICTS) + len(todo) > _VERDICTS_MAX:
        _VERDICTS.clear()
    for (key, _), found in zip(todo, parallel_map(_check, [s for _, s in todo]), strict=True):
        _VERDICTS[key] = found
    return [_VERDICTS[key] for key in keys]


def published_only(handbook: Handbook, reviews: list[Review]) -> Handbook:
    """The handbook as the site shows it: drafts, rejected and held-back stories removed, so
    they can reach neither a page nor the search index."""
    shown = {r.story.id: r.story for r in reviews if r.published}
    return dataclasses.replace(handbook, stories=shown)
