"""How long the story checks take on 1 KB, 100 KB and 500 KB stories, ordinary and hostile.

The checks must run in time linear in the text (RE2, bounded patterns): a story pasted full of
letters, '@' signs or digits must not stall a build. Prints the median of several runs of
`check_story` (every field as written and as published) per size and shape.
Usage: python benchmarks/story_checks.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time

from kbgen.model.stories import Story
from kbgen.stories.moderation import check_story

SHAPES = {
    "an ordinary story": "The customer shouted about a double charge. I let him finish. ",
    "one long word": "a",
    "at signs": "abc@",
    "digits and spaces": "1 2 ",
    "dots between words": "a.b",
    "angle brackets": "<a ",
}


def story(body: str) -> Story:
    return Story.model_validate(
        {
            "id": "benchmark",
            "title": "A long story",
            "author": "anonymous",
            "date": "2026-10-01",
            "channel": "phone",
            "techniques": ["let-them-vent"],
            "outcome": "Resolved on the call.",
            "lesson": "Let them finish.",
            "body": body,
        }
    )


def main(runs: int = 5) -> None:
    print(f"{'shape':22} {'1 KB':>9} {'100 KB':>9} {'500 KB':>9}   (median of {runs} runs)")
    for name, unit in SHAPES.items():
        cells = []
        for size in (1_000, 100_000, 500_000):
            text = (unit * (size // len(unit) + 1))[:size]
            subject = story(text)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                check_story(subject)
                times.append(time.perf_counter() - start)
            cells.append(f"{statistics.median(times):8.3f}s")
        print(f"{name:22} {' '.join(cells)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
