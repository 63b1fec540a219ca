"""How often search puts the right page first, and in the top three, per question set and half.

Builds the bundled handbook, serves it on loopback and types each query into Material's real
search box in headless Chromium. Prints hit@1, hit@3, MRR and how many found nothing, for whole
questions (seven words or more) and short queries separately, and for the agents' queries per
English (US and the rest), for:
- tests/search_queries.txt: the hand-written queries the tests run;
- tests/search_sets/questions_dev.txt and agent_queries_tuned.txt: real questions, the halves
  used while tuning;
- with --heldout, questions_heldout.txt and agent_queries_heldout.txt: the halves kept aside
  (tests/search_sets/README.md: never tune against them).
Then the honesty figures: the share of out-of-scope questions (out_of_scope.txt) whose results
say "No page on this yet", and the share of the in-scope queries above that wrongly do.

Usage: python benchmarks/relevance.py [--heldout] [--misses] [--lexical] [--site FOLDER]
(--lexical: without the semantic layer, the lexical ranking alone, for comparison)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, serve_folder  # noqa: E402
from search_box import SearchBox  # noqa: E402
from test_search import is_long  # noqa: E402

SETS = REPO / "tests" / "search_sets"
TUNED = [
    REPO / "tests" / "search_queries.txt",
    SETS / "questions_dev.txt",
    SETS / "agent_queries_tuned.txt",
]
HELD_OUT = [SETS / "questions_heldout.txt", SETS / "agent_queries_heldout.txt"]
OUT_OF_SCOPE = SETS / "out_of_scope.txt"
OUT_OF_SCOPE_HELD_OUT = SETS / "out_of_scope_heldout.txt"  # written apart, never tuned on
_VARIETY = re.compile(r"#\s*\[(\w+)\]")


def queries(path: Path) -> list[tuple[str, list[str], str]]:
    """`query -> page page  # [VARIETY] source` lines as (query, ["page/", …], variety)."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        variety = (_VARIETY.search(line) or [None, ""])[1]
        text, _, pages = line.partition("->")
        right = [f"{p}/" for p in pages.split("#", 1)[0].split()]
        found.append((text.split("#", 1)[0].strip(), right, variety))
    return found


def build(site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
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
    return f"n={n:3}  hit@1 {hit1:6.1%}  hit@3 {hit3:6.1%}  MRR {mrr:.3f}  not found {nothing}"


def marked(box: SearchBox) -> bool:
    """Whether the results on screen say no page fits (what kbgen-search.js shows)."""
    return bool(box.page.evaluate("() => Boolean(window.kbSemantic?.last?.weak)"))


def report(site: Path, paths: list[Path], show_misses: bool, held_out: bool = False) -> None:
    with serve_folder(site) as url, chromium() as browser:
        page = browser.new_page()
        box = SearchBox(page, url)
        box.open(url)
        in_scope_marked: list[bool] = []
        for path in paths:
            groups: dict[str, list[int | None]] = {}
            misses = []
            for query, right, variety in queries(path):
                locations = [r.location for r in box.enter(query)]
                in_scope_marked.append(marked(box))
                rank = next((i + 1 for i, loc in enumerate(locations) if loc in right), None)
                groups.setdefault("long" if is_long(query) else "short", []).append(rank)
                groups.setdefault("all", []).append(rank)
                if variety:
                    groups.setdefault("US" if variety == "US" else "non-US", []).append(rank)
                if rank is None or rank > 3:
                    misses.append(f"    {query!r}: rank {rank}, top {locations[:3]}, right {right}")
            for group, ranks in groups.items():
                print(f"{path.name:28} {group:6}  {figures(ranks)}")
            if show_misses:
                print("\n".join(misses))
        for out_of_scope in [OUT_OF_SCOPE, *([OUT_OF_SCOPE_HELD_OUT] if held_out else [])]:
            out = []
            for query, _, _ in queries(out_of_scope):
                box.enter(query)
                out.append(marked(box))
                if show_misses and not out[-1] and out_of_scope == OUT_OF_SCOPE:
                    print(f"    out of scope, not marked: {query!r}")
            print(
                f"{out_of_scope.name}: marked 'no page on this yet' {sum(out)}/{len(out)}"
                f" = {sum(out) / len(out):.0%}"
            )
        share = sum(in_scope_marked) / len(in_scope_marked)
        print(
            f"in-scope queries marked: {sum(in_scope_marked)}/{len(in_scope_marked)} = {share:.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="also the held-out halves")
    parser.add_argument("--misses", action="store_true", help="list the queries that miss")
    parser.add_argument("--lexical", action="store_true", help="without the semantic layer")
    parser.add_argument("--site", type=Path, help="a built site (default: build the bundled one)")
    args = parser.parse_args()
    paths = TUNED + (HELD_OUT if args.heldout else [])
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        if args.lexical:
            plain = Path(tmp) / "lexical"
            shutil.copytree(site, plain)
            for name in ("kb_semantic.json", "kb_semantic.json.gz", "kb_semantic.js"):
                (plain / "search" / name).unlink(missing_ok=True)
            site = plain
        report(site, paths, args.misses, args.heldout)


if __name__ == "__main__":
    main()
