"""How often search puts the right page first, and in the top three, per question set.

Builds the bundled handbook, serves it on loopback and types each query into Material's real
search box in headless Chromium. Prints hit@1, hit@3, MRR and how many found nothing, for whole
questions (seven words or more) and short queries separately, for:
- tests/search_queries.txt: the hand-written queries the tests run;
- tests/search_sets/questions_dev.txt: real questions, the half used while tuning;
- with --heldout, tests/search_sets/questions_heldout.txt: the half kept aside, run once at the
  end (see tests/search_sets/README.md: never tune against it).

Usage: python benchmarks/relevance.py [--heldout] [--misses] [--site FOLDER]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, serve_folder  # noqa: E402
from search_box import SearchBox  # noqa: E402
from test_search import is_long, load_queries  # noqa: E402

SETS = REPO / "tests" / "search_sets"


def build(site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        capture_output=True,
    )


def figures(ranks: list[int | None]) -> str:
    n = len(ranks)
    hit1 = sum(r == 1 for r in ranks) / n
    hit3 = sum(bool(r and r <= 3) for r in ranks) / n
    mrr = sum(1 / r for r in ranks if r) / n
    nothing = sum(r is None for r in ranks)
    return f"n={n:3}  hit@1 {hit1:6.1%}  hit@3 {hit3:6.1%}  MRR {mrr:.3f}  found nothing {nothing}"


def report(site: Path, paths: list[Path], show_misses: bool) -> None:
    with serve_folder(site) as url, chromium() as browser:
        page = browser.new_page()
        box = SearchBox(page, url)
        box.open(url)
        for path in paths:
            groups: dict[str, list[int | None]] = {"long": [], "short": []}
            misses = []
            for query, right in load_queries(path):
                locations = [r.location for r in box.search(query)]
                rank = next((i + 1 for i, loc in enumerate(locations) if loc in right), None)
                groups["long" if is_long(query) else "short"].append(rank)
                if rank is None or rank > 3:
                    misses.append(f"    {query!r}: rank {rank}, top {locations[:3]}, right {right}")
            for length, ranks in groups.items():
                if ranks:
                    print(f"{path.name:25} {length:5}  {figures(ranks)}")
            if show_misses:
                print("\n".join(misses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="also the held-out half")
    parser.add_argument("--misses", action="store_true", help="list the queries that miss")
    parser.add_argument("--site", type=Path, help="a built site (default: build the bundled one)")
    args = parser.parse_args()
    paths = [REPO / "tests" / "search_queries.txt", SETS / "questions_dev.txt"]
    if args.heldout:
        paths.append(SETS / "questions_heldout.txt")
    if args.site:
        report(args.site, paths, args.misses)
        return
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "site")
        report(Path(tmp) / "site", paths, args.misses)


if __name__ == "__main__":
    main()
