"""The adversarial probe set through the real story checks: leaks (probes that pass) and false
holds (ordinary stories held), per half, per field and per disguise class.

Usage: python benchmarks/story_probes.py [tuned|heldout ...]   (both halves by default)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_story_probes import by, false_holds, leaks, ordinary, probes  # noqa: E402

from kbgen.stories.moderation import check_story  # noqa: E402


def report(half: str) -> None:
    tried, missed = list(probes(half)), leaks(half)
    held = false_holds(half)
    print(
        f"== {half}: {len(missed)} of {len(tried)} probes leak; "
        f"{len(held)} of {len(ordinary(half))} ordinary stories held"
    )
    for key in ("field", "class"):
        totals, leaked = by(key, tried), by(key, missed)
        print(
            f"  by {key}: "
            + ", ".join(f"{name} {leaked[name]}/{count}" for name, count in sorted(totals.items()))
        )
    for probe in missed:
        print(f"  leak: {probe.id} ({probe.disguise}): {probe.fields}")
    for story in held:
        found = [f"{f.field}: {f.what}" for f in check_story(story.story()) if f.blocking]
        print(f"  false hold: {story.id} ({story.kind}): {found}")


def main(halves: list[str]) -> None:
    for half in halves or ["tuned", "heldout"]:
        report(half)


if __name__ == "__main__":
    main(sys.argv[1:])
