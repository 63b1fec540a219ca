"""How long `kbgen cards` takes for the bundled deck, and how much cards add to `mkdocs build`.

Prints medians of several runs: `kbgen cards` (every card PDF and both print sheets), and
`mkdocs build` of the bundled handbook with and without its cards folder.
Usage: python benchmarks/cards.py [runs]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "handbook"
        shutil.copytree(
            REPO, project, ignore=shutil.ignore_patterns("site", ".git", "print", "kbgen", "tests")
        )
        cards = [sys.executable, "-m", "kbgen.cli", "cards", "--quiet", "--out", "print"]
        build = [sys.executable, "-m", "mkdocs", "build", "-q"]
        timed(cards, project)  # warm up, and let later runs replace their own files
        card_runs = [timed(cards, project) for _ in range(runs)]
        with_cards = [timed(build, project) for _ in range(runs)]
        shutil.rmtree(project / "snippets" / "cards")
        guide = project / "docs" / "guide" / "first-week.md"  # it embeds a card
        guide.write_text(guide.read_text().replace("<!-- kbgen:card irate-caller-flow -->", ""))
        without_cards = [timed(build, project) for _ in range(runs)]
        count = len(list((project / "print").glob("*.pdf"))) - 2
    print(f"runs: {runs}, cards in the deck: {count}")
    cards_median = statistics.median(card_runs)
    print(f"kbgen cards (card PDFs + A4 and Letter sheets): median {cards_median:.2f} s")
    print(f"mkdocs build with cards:    median {statistics.median(with_cards):.2f} s")
    print(f"mkdocs build without cards: median {statistics.median(without_cards):.2f} s")
    added = statistics.median(with_cards) - statistics.median(without_cards)
    print(f"cards add to the build:     {added:+.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
