"""Search speed and size as an agent meets them, measured in real headless Chromium.

Builds the bundled handbook, serves it on loopback, and reports:
- keystroke-to-results latency: from the last key of a query to Material redrawing the
  results (median and 95th percentile over the relevance suite's queries);
- time from page load to the first usable search (Material's search worker ready);
- the size of the search index and the total transfer of a page.

Usage: python benchmarks/search.py [--synthetic N]   (needs Debian's chromium, test extras)
With --synthetic N it measures a synthetic handbook of N entries instead (benchmarks/
synthetic.py), with 40 of the queries: how a big handbook's index weighs on the first search.
"""

from __future__ import annotations

import gzip
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, serve_folder  # noqa: E402
from search_box import SearchBox  # noqa: E402
from test_search import load_queries  # noqa: E402

TIMING_PROBE = """
(() => {
  window.__kbTiming = { lastKey: 0, lastDraw: 0 };
  const onKey = () => { window.__kbTiming.lastKey = performance.now(); };
  document.addEventListener("keyup", onKey, true);
  new MutationObserver(() => { window.__kbTiming.lastDraw = performance.now(); })
    .observe(document, { childList: true, subtree: true, characterData: true });
})();
"""


def build(site: Path, project: Path = REPO) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )


def _first_page(site: Path, folder: str) -> str:
    """An entry page of the built site, like 'techniques/stay-calm/'."""
    pages = sorted(p.parent for p in (site / folder).glob("*/index.html"))
    return f"{pages[0].relative_to(site).as_posix()}/"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(synthetic: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        queries = load_queries()
        if synthetic:
            from synthetic import write_handbook

            build(site, write_handbook(Path(tmp) / "handbook", synthetic))
            queries = queries[:40]
        else:
            build(site)
        technique = _first_page(site, "techniques")
        situation = _first_page(site, "situations")
        index = site / "search" / "search_index.json"
        raw = index.read_bytes()
        with serve_folder(site) as url, chromium() as browser:
            ready_after_load = []
            for _ in range(5):
                page = browser.new_page()
                SearchBox(page, url)  # installs the worker probe
                page.goto(url + technique)
                page.wait_for_function("() => window.__kb.ready !== null")
                timing = page.evaluate(
                    "() => ({ ready: window.__kb.ready,"
                    " load: performance.getEntriesByType('navigation')[0].loadEventEnd })"
                )
                ready_after_load.append((timing["ready"], timing["ready"] - timing["load"]))
                page.close()

            page = browser.new_page()
            sizes: list[int] = []
            page.on("response", lambda response: sizes.append(len(response.body())))
            page.goto(url + situation)
            page.wait_for_load_state("networkidle")
            transfer = sum(sizes)
            page.close()

            page = browser.new_page()
            page.add_init_script(TIMING_PROBE)
            box = SearchBox(page, url)
            box.open(url)
            latencies = []
            for query, _ in queries:
                box.search(query)
                box.wait_until_answered()
                page.wait_for_timeout(30)  # let the last redraw land
                timing = page.evaluate("() => window.__kbTiming")
                latencies.append(timing["lastDraw"] - timing["lastKey"])

    print(f"queries timed: {len(latencies)}")
    print(
        f"keystroke to results: median {statistics.median(latencies):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms"
    )
    print(
        "first usable search: "
        f"median {statistics.median(r for r, _ in ready_after_load):.0f} ms after navigation "
        "start, "
        f"{statistics.median(a for _, a in ready_after_load):.0f} ms after the load event"
    )
    print(
        f"search index: {len(raw) / 1024:.0f} KB ({len(gzip.compress(raw)) / 1024:.0f} KB gzipped)"
    )
    print(f"situation page, total transfer incl. index: {transfer / 1024:.0f} KB (uncompressed)")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "benchmarks"))
    main(int(sys.argv[2]) if sys.argv[1:2] == ["--synthetic"] else None)
