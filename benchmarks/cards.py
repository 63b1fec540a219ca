"""How fast the card deck renders, cold and from the cache, against plain WeasyPrint.

For decks of 6, 100 and 500 cards (copies of the bundled cards under new ids), prints the wall
time, the time per card and the peak memory of:

- plain WeasyPrint: the same cards' markup, at the sizes the deck chose, with the same
  stylesheet, rendered as one document into one PDF (no fitting, no per-card PDFs, no sheets);
- the deck, cold: `render_deck` with an empty cache (fitting, tagged per-card PDFs, and
  A4 and Letter sheets for each card and for the whole deck), in one process and in two;
- the deck, warm: the same again, every card from the cache.

Each measurement runs in its own process, after the handbook is loaded; peak memory is the
largest proportional set size (PSS) of that process and its workers together, sampled every
50 ms (PSS shares the pages forked workers have in common, so two workers are not counted as
two copies of the parent). The load average is printed with each deck size: other work on the
machine slows every row of that size, the ratios less than the times. Prints figures only:
nothing here asserts a time.
Each figure is the fastest of `--runs` runs (3 by default), the runs of each kind interleaved:
the fastest run is the one least disturbed by other work on the machine.
Usage: python benchmarks/cards.py [--runs N] [sizes...]   (default: 6 100 500)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CARDS = REPO / "snippets" / "cards"

RUN = r"""
import json, sys, time
from pathlib import Path
from kbgen.loading.loader import load_snippets
from kbgen.cards import deck as card_deck

project, mode, cache, workers = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
loaded = load_snippets(project / "snippets", project)
assert not loaded.problems, loaded.problems
handbook = loaded.handbook
if mode == "plain":
    import weasyprint
    from kbgen.cards import pdf
    from kbgen.cards.faces import card_html
    from kbgen.cards.fit import CardFit
    fits = json.loads((cache.parent / "fits.json").read_text())
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.perf_counter()
    markup = "\n".join(
        card_html(card, handbook, CardFit.from_json(fits[card.id]))
        for card in handbook.ordered_cards()
    )
    document = pdf.layout(markup, "Deck")
    data = document.write_pdf()
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, "bytes": len(data)}
else:
    import weasyprint, pikepdf  # imported before timing, as a running build has them
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.perf_counter()
    deck = card_deck.render_deck(handbook, cache_dir=cache, workers=workers)
    seconds = time.perf_counter() - start
    assert not deck.errors, deck.errors
    (cache.parent / "fits.json").write_text(
        json.dumps({card_id: fit.as_json() for card_id, fit in deck.fits.items()})
    )
    result = {"seconds": seconds, "rendered": deck.rendered}
print(json.dumps(result), flush=True)
"""


def make_project(folder: Path, count: int) -> Path:
    """A copy of the bundled handbook whose cards folder holds `count` cards: the bundled
    cards, then copies of them under new ids."""
    project = folder / f"deck-{count}"
    shutil.copytree(REPO / "snippets", project / "snippets", ignore=shutil.ignore_patterns("cards"))
    target = project / "snippets" / "cards"
    target.mkdir()
    bundled = sorted(CARDS.glob("*.md"))
    for number in range(count):
        source = bundled[number % len(bundled)]
        name = source.stem if number < len(bundled) else f"{source.stem}-copy-{number}"
        shutil.copy(source, target / f"{name}.md")
    return project


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                pending += [int(c) for c in (task / "children").read_text().split()]
    return found


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def measure(project: Path, mode: str, cache: Path, workers: int = 1) -> dict[str, float]:
    """Run one measurement in its own process; its result and peak PSS (MB) while timed."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764028800", "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, str(project), mode, str(cache), str(workers)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout.readline().strip() == "ready"
    baseline = _pss_mb([process.pid])
    process.stdin.write("go\n")
    process.stdin.flush()
    peak = baseline
    while process.poll() is None:
        peak = max(peak, _pss_mb(_tree(process.pid)))
        time.sleep(0.05)
    result = json.loads(process.stdout.read().strip().splitlines()[-1])
    return {**result, "peak_mb": peak}


def fastest(runs: list[dict[str, float]]) -> dict[str, float]:
    """The fastest run, with the highest peak memory of all runs (memory is not noise)."""
    best = min(runs, key=lambda run: run["seconds"])
    return {**best, "peak_mb": max(run["peak_mb"] for run in runs)}


def main(sizes: list[int], runs: int) -> None:
    print(f"{os.cpu_count()} cores; times exclude loading the handbook and importing libraries")
    print(f"each time is the fastest of {runs} runs")
    columns = ("wall s", "ms/card", "peak MB", "vs plain")
    header = f"{'cards':>5}  {'run':<36} " + " ".join(f"{c:>8}" for c in columns)
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for count in sizes:
            project = make_project(Path(tmp), count)
            work = Path(tmp) / f"work-{count}"
            measured: dict[str, list[dict[str, float]]] = {}
            for run in range(runs):
                one, two = work / f"one-{run}", work / f"two-{run}"
                measured.setdefault("one", []).append(measure(project, "deck", one, 1))
                measured.setdefault("two", []).append(measure(project, "deck", two, 2))
                measured.setdefault("warm", []).append(measure(project, "deck", one, 1))
                measured.setdefault("plain", []).append(measure(project, "plain", one))
            cold_one, cold_two, warm, plain = (
                fastest(measured[k]) for k in ("one", "two", "warm", "plain")
            )
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"{count:>5}  (load average now {load})")
            rows = [
                ("plain WeasyPrint, one document", plain),
                (f"deck cold, 1 process ({cold_one['rendered']} laid out)", cold_one),
                (f"deck cold, 2 processes ({cold_two['rendered']} laid out)", cold_two),
                (f"deck warm ({warm['rendered']} laid out)", warm),
            ]
            for name, row in rows:
                ratio = row["seconds"] / plain["seconds"]
                print(
                    f"{count:>5}  {name:<36} {row['seconds']:>8.2f} "
                    f"{1000 * row['seconds'] / count:>8.1f} {row['peak_mb']:>8.0f} {ratio:>7.2f}×"
                )
            sys.stdout.flush()


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("sizes", nargs="*", type=int, default=[6, 100, 500])
    arguments.add_argument("--runs", type=int, default=3)
    options = arguments.parse_args()
    main(options.sizes, options.runs)
