"""Synthetic handbooks of any size with realistic entry lengths, for the build benchmark."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = (
    "customer caller angry upset bill charge refund engineer broadband delivery order wait hold "
    "queue manager supervisor listen calm apologise explain offer choice fix follow note record "
    "promise timeline team line fault repeat week morning evening voice tone quiet patient "
    "sorry understand help sort account plan contract price late missed appointment parcel"
).split()
STAGES = ["opening", "venting", "solving", "closing", "after"]
SOURCES = [p.stem for p in (REPO / "snippets" / "sources").glob("*.md")]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def technique(rng: random.Random, number: int, techniques: int) -> str:
    related = sorted(
        {f"technique-{rng.randrange(techniques)}" for _ in range(3)} - {f"technique-{number}"}
    )
    phrases = "\n".join(f'  - text: "{sentence(rng, 8)}"' for _ in range(3))
    return f"""---
title: Technique number {number}
summary: {sentence(rng, 10)[:95]}
stages: [{rng.choice(STAGES)}]
order: {number}
aliases: [{", ".join(f"alias{number}x{i}" for i in range(6))}, {rng.choice(WORDS)}]
say:
{phrases}
avoid:
  - text: "{sentence(rng, 5)}"
related: [{", ".join(related)}]
sources:
  - source: {rng.choice(SOURCES)}
    paraphrase: {sentence(rng, 12)}
reviewed: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}
owner: trainer-{number % 7}
---
## Why it works

{paragraph(rng, 4)}

## How to do it

1. {sentence(rng, 10)}
2. {sentence(rng, 10)}
3. {sentence(rng, 10)}
4. {sentence(rng, 10)}
"""


def situation(rng: random.Random, number: int, techniques: int) -> str:
    steps = "\n".join(
        f"  - technique: technique-{rng.randrange(techniques)}\n    note: {sentence(rng, 10)}"
        for _ in range(5)
    )
    return f"""---
title: Situation number {number}
summary: {sentence(rng, 10)[:95]}
aliases: [{", ".join(f"case{number}x{i}" for i in range(5))}]
recognise:
  - {sentence(rng, 8)}
  - {sentence(rng, 8)}
steps:
{steps}
handover: {sentence(rng, 14)}
reviewed: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}
owner: trainer-{number % 7}
---
{paragraph(rng, 3)}
"""


def story(rng: random.Random, number: int, techniques: int, situations: int) -> str:
    return f"""---
title: "Story number {number}"
author: agent-{number % 97}
date: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}
channel: {rng.choice(["phone", "chat", "email"])}
situations: [situation-{rng.randrange(situations)}]
techniques: [technique-{rng.randrange(techniques)}, technique-{rng.randrange(techniques)}]
outcome: {sentence(rng, 8)}
lesson: {sentence(rng, 10)[:120]}
status: {"approved" if number % 10 else "submitted"}
---
{paragraph(rng, 4)}

{paragraph(rng, 4)}
"""


def write_handbook(root: Path, entries: int, seed: int = 1) -> Path:
    """A project like the repository's, with `entries` techniques, situations and stories
    (30 %, 20 %, 50 %) instead of the bundled ones."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(
            "site",
            ".git",
            "print",
            "snippets",
            "*.egg-info",
            "kbgen",
            "tests",
            "benchmarks",
            "first-week.md",  # it embeds bundled entries, which a synthetic handbook lacks
        ),
    )
    shutil.copytree(REPO / "snippets" / "sources", root / "snippets" / "sources")
    techniques, situations = max(entries * 3 // 10, 1), max(entries * 2 // 10, 1)
    stories = max(entries - techniques - situations, 0)
    for folder, count, make in (
        ("techniques", techniques, lambda n: technique(rng, n, techniques)),
        ("situations", situations, lambda n: situation(rng, n, techniques)),
        ("stories", stories, lambda n: story(rng, n, techniques, situations)),
    ):
        (root / "snippets" / folder).mkdir(parents=True)
        for number in range(count):
            (
                root
                / "snippets"
                / folder
                / f"{folder[:-1] if folder != 'stories' else 'story'}-{number}.md"
            ).write_text(make(number))
    return root
