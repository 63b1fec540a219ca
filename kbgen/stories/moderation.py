"""Which stories reach the site: approved ones whose checks find no personal data or spam."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbgen.parallel import MIN_ITEMS, parallel_map
from kbgen.stories.checks import check_story, publishable

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from kbgen.model.handbook import Handbook
    from kbgen.model.stories import Story
    from kbgen.stories.checks import Finding

STATES = ("submitted", "approved", "rejected")


@dataclass(frozen=True)
class Review:
    story: Story
    findings: list[Finding]

    @property
    def published(self) -> bool:
        return publishable(self.story, self.findings)

    @property
    def held_back(self) -> bool:
        """Approved by a trainer, yet kept off the site by its findings: the build says so."""
        return self.story.state == "approved" and not self.published


def review_stories(
    handbook: Handbook, texts: Mapping[str, str], progress: Callable[[int], None] | None = None
) -> list[Review]:
    """Every story with its findings, newest first; `progress(done)` after each tenth.
    `texts` holds each story file's text by id: the checks read what the file says."""
    stories = sorted(handbook.stories.values(), key=lambda s: (s.date, s.id), reverse=True)
    batch = max(MIN_ITEMS, len(stories) // 10) if progress else max(len(stories), 1)
    reviews: list[Review] = []
    for start in range(0, len(stories), batch):
        chunk = stories[start : start + batch]
        jobs = [(story, texts.get(story.id, story.body)) for story in chunk]
        reviews += [
            Review(story, found)
            for story, found in zip(chunk, parallel_map(_check, jobs), strict=True)
        ]
        if progress:
            progress(len(reviews))
    return reviews


def _check(job: tuple[Story, str]) -> list[Finding]:
    return check_story(*job)


def published_only(handbook: Handbook, reviews: list[Review]) -> Handbook:
    """The handbook as the site shows it: drafts, rejected and held-back stories removed, so
    they can reach neither a page nor the search index."""
    shown = {r.story.id: r.story for r in reviews if r.published}
    return dataclasses.replace(handbook, stories=shown)
