"""Builds small handbooks in a temporary folder for tests: a project a trainer could have."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

MKDOCS_YML = """\
site_name: Test handbook
theme:
  name: material
  font: false
plugins:
  - search
  - kbgen
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""

SOURCE = """\
---
title: "A test article"
summary: A short article used by the tests.
date: 2020-01-02
---
What the article covers.
"""

TECHNIQUE = """\
---
title: {title}
summary: {summary}
stages: [{stage}]
aliases: [{aliases}]
say:
  - text: "{say}"
    source: test-article
avoid:
  - text: "Calm down."
related: [{related}]
sources:
  - source: test-article
    paraphrase: The article recommends it.
reviewed: 2026-11-01
owner: test trainer
---
## Why it works

Because it does.

## How to do it

1. Do it.
"""

SITUATION = """\
---
title: Customer is yelling
summary: They are shouting. Stay calm and let them finish.
aliases: [screaming, shouting]
recognise:
  - They shout.
steps:
  - technique: stay-calm
    say:
      - text: "I'm here, take your time."
  - technique: let-them-vent
handover: If they insult you, bring in your manager.
reviewed: 2026-11-01
owner: test trainer
---
"""


def technique_text(
    title: str,
    summary: str = "Keep your voice low.",
    stage: str = "venting",
    say: str = "I'm listening.",
    related: str = "",
    aliases: str = "calm",
) -> str:
    return TECHNIQUE.format(
        title=title, summary=summary, stage=stage, say=say, related=related, aliases=aliases
    )


def write_handbook(root: Path) -> Path:
    """A valid project: mkdocs.yml, one hand-written page, 1 source, 2 techniques, 1 situation."""
    files = {
        "mkdocs.yml": MKDOCS_YML,
        "docs/guide/about.md": "# About\n\nA hand-written page.\n",
        "snippets/sources/test-article.md": SOURCE,
        "snippets/techniques/stay-calm.md": technique_text(
            "Stay calm", say="I understand, let's sort this out.", related="let-them-vent"
        ),
        "snippets/techniques/let-them-vent.md": technique_text(
            "Let them vent",
            summary="Let them finish before you answer.",
            say="Go on, I'm listening.",
        ),
        "snippets/situations/customer-is-yelling.md": SITUATION,
    }
    for name, text in files.items():
        write(root / name, text)
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def replace_in(project: Path, name: str, old: str, new: str) -> None:
    """Edit one file of a project as a trainer would: replace `old` (which must be there)."""
    path = project / name
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))
