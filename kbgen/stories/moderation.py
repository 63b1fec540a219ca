"""Which stories reach the site: approved ones whose checks find no personal data or spam."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbgen.parallel import parallel_map
from kbgen.stories.checks import check_story, publishable

if TYPE_CHECKING:
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


def review_stories(handbook: Handbook) -> list[Review]:
    """Every story with its findings, newest first."""
    stories = sorted(handbook.stories.values(), key=lambda s: (s.date, s.id), reverse=True)
    return [
        Review(story, found)
        for story, found in zip(stories, parallel_map(check_story, stories), strict=True)
    ]


def published_only(handbook: Handbook, reviews: list[Review]) -> Handbook:
    """The handbook as the site shows it: drafts, rejected and held-back stories removed, so
    they can reach neither a page nor the search index."""
    shown = {r.story.id: r.story for r in reviews if r.published}
    return dataclasses.replace(handbook, stories=shown)
