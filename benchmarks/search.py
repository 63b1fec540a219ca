"""Search as an agent meets it, in real headless Chromium, beside the engines underneath.

The first search on a cold page (the default): open an entry page with an empty browser cache,
press "/" as soon as the page is there, type a query at once, and time from navigation start
until the right page shows in the results (index fetched, worker started, query answered).
Measured side by side with plain Material (the same pages written out once with `kbgen export`
and built by MkDocs with Material's own search) and, with Pagefind installed (`pip install
'pagefind[bin]'`), the same pages indexed by Pagefind: its JavaScript API loaded and queried at
once on the same page (no UI), until its first five results are loaded (it says so when the
right page is not among them). Bytes fetched are counted by the server: every file body it sent
for the page, its scripts, workers and index, uncompressed as a server without compression sends
them.

  python benchmarks/search.py [runs] [--entries N ...]
    without --entries: the bundled handbook; with it, synthetic handbooks of N entries
    (benchmarks/synthetic.py), e.g. --entries 1000 10000. Prints, per site: median and p90 time
    to the right result, and the bytes fetched by then.

  python benchmarks/search.py --keystrokes [--entries N]
    keystroke-to-results latency (from the last key of a query to Material redrawing the
    results, over the relevance suite's queries; 40 of them on a synthetic handbook), time to
    the first usable search after the load event, and the index's size.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from browser import QuietHandler, chromium, serve_folder  # noqa: E402
from build_time import PLAIN_CONFIG, export_for_plain_material  # noqa: E402
from search_box import SearchBox  # noqa: E402
from test_search import load_queries  # noqa: E402

# The query typed, and a piece of the address of the page it must find.
BUNDLED_QUERY = ("customer screaming at me", "customer-is-yelling/")
SYNTHETIC_QUERY = ("technique number 7", "technique-7/")


class CountingHandler(QuietHandler):
    """Counts the bytes of every file body it sends, as a server without compression sends it
    (workers and their imports included, which the browser's own figures leave out)."""

    sent = 0
    lock = threading.Lock()  # the server answers the browser's parallel requests in threads

    def copyfile(self, source, outputfile) -> None:
        start = source.tell()
        super().copyfile(source, outputfile)
        with CountingHandler.lock:
            CountingHandler.sent += source.tell() - start


PROBE = """
(() => {
  const expect = EXPECT;
  window.__kbCold = { right: null, bytes: 0 };
  new MutationObserver(() => {
    if (window.__kbCold.right !== null) return;
    const found = document.querySelector(`.md-search-result__list a[href*="${expect}"]`);
    if (found) window.__kbCold.right = performance.now();
  }).observe(document, { childList: true, subtree: true });
})();
"""


def build(project: Path, site: Path, config: str = "mkdocs.yml") -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site)],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )


def both_sites(project: Path, out: Path) -> dict[str, Path]:
    """The project built with kbgen, its export built by plain Material, and (when Pagefind
    is installed) the export without Material's search, indexed by Pagefind."""
    build(project, out / "kbgen")
    export_for_plain_material(project)
    build(project, out / "plain", "plain.yml")
    sites = {"kbgen": out / "kbgen", "plain Material": out / "plain"}
    if importlib.util.find_spec("pagefind") is not None:
        # the same pages without Material's search, which would fetch its own index as well
        assert "plugins: [search]" in PLAIN_CONFIG
        (project / "pagefind.yml").write_text(PLAIN_CONFIG.replace("[search]", "[]"))
        build(project, out / "pagefind", "pagefind.yml")
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(out / "pagefind")],
            check=True,
            capture_output=True,
        )
        sites["Pagefind"] = out / "pagefind"
    return sites


def first_entry_page(site: Path) -> str:
    pages = sorted(p.parent for p in (site / "techniques").glob("*/index.html"))
    return f"{pages[0].relative_to(site).as_posix()}/"


PAGEFIND = """
async ([query, expect, root]) => {
  const pagefind = await import(root + "pagefind/pagefind.js");
  const search = await pagefind.search(query);
  const first = await Promise.all(search.results.slice(0, 5).map(result => result.data()));
  return [performance.now(), first.some(data => data.url.includes(expect))];
}
"""


PAGEFIND_MISSES: Counter[str] = Counter()  # runs whose first five results missed the page


def cold_search(browser, url: str, query: str, expect: str, engine: str) -> tuple[float, int]:
    """One cold first search: ms from navigation start to the right result, bytes fetched."""
    context = browser.new_context()  # a new profile: nothing cached
    page = context.new_page()
    page.add_init_script(PROBE.replace("EXPECT", repr(expect)))
    sent_before = CountingHandler.sent
    page.goto(url, wait_until="domcontentloaded")
    if engine == "Pagefind":
        root = url.split("techniques/")[0]  # the site's root address
        elapsed, right = page.evaluate(PAGEFIND, [query, expect, root])
        if not right:
            PAGEFIND_MISSES[query] += 1
    else:
        page.keyboard.press("/")
        page.keyboard.type(query)
        page.wait_for_function("() => window.__kbCold.right !== null", timeout=60_000)
        elapsed = page.evaluate("() => window.__kbCold.right")
    fetched = CountingHandler.sent - sent_before
    context.close()
    return elapsed, fetched


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(project: Path, label: str, query: tuple[str, str], runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sites = both_sites(project, Path(tmp))
        print(f"\n{label}: query {query[0]!r}, {runs} cold runs each, alternating")
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in sites}
        with chromium() as browser:
            servers = {name: serve_folder(site, CountingHandler) for name, site in sites.items()}
            urls = {name: server.__enter__() for name, server in servers.items()}
            try:
                for _ in range(runs):
                    for name, site in sites.items():
                        page = urls[name] + first_entry_page(site)
                        results[name].append(cold_search(browser, page, *query, engine=name))
            finally:
                for server in servers.values():
                    server.__exit__(None, None, None)
        for name, site in sites.items():
            times = [t for t, _ in results[name]]
            fetched = statistics.median(b for _, b in results[name])
            line = (
                f"  {name:15} to results: median {statistics.median(times):5.0f} ms, "
                f"p90 {percentile(times, 0.9):5.0f} ms; fetched {fetched / 1024:6.0f} KB"
            )
            if name == "Pagefind" and PAGEFIND_MISSES[query[0]]:
                missed = PAGEFIND_MISSES[query[0]]
                line += f"; right page not in its first five in {missed} of {runs} runs"
            elif name != "Pagefind":
                index = (site / "search" / "search_index.json").read_bytes()
                line += (
                    f" (index {len(index) / 1024:.0f} KB, "
                    f"{len(gzip.compress(index)) / 1024:.0f} KB gzipped)"
                )
            print(line)


TIMING_PROBE = """
(() => {
  window.__kbTiming = { lastKey: 0, lastDraw: 0 };
  const onKey = () => { window.__kbTiming.lastKey = performance.now(); };
  document.addEventListener("keyup", onKey, true);
  new MutationObserver(() => { window.__kbTiming.lastDraw = performance.now(); })
    .observe(document, { childList: true, subtree: true, characterData: true });
})();
"""


def keystrokes(project: Path, label: str, queries: list[tuple[str, list[str]]]) -> None:
    """Keystroke-to-results latency over `queries`, and the first usable search."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(project, site)
        technique = first_entry_page(site)
        with serve_folder(site) as url, chromium() as browser:
            ready_after_load = []
            for _ in range(5):
                page = browser.new_context().new_page()
                SearchBox(page, url)  # installs the worker probe
                page.goto(url + technique)
                page.wait_for_function("() => window.__kb.ready !== null")
                ready_after_load.append(
                    page.evaluate(
                        "() => window.__kb.ready"
                        " - performance.getEntriesByType('navigation')[0].loadEventEnd"
                    )
                )
                page.context.close()
            page = browser.new_page()
            page.add_init_script(TIMING_PROBE)
            box = SearchBox(page, url)
            box.open(url)
            latencies = []
            for query, _ in queries:
                box.search(query)
                page.wait_for_timeout(30)  # let the last redraw land
                timing = page.evaluate("() => window.__kbTiming")
                latencies.append(timing["lastDraw"] - timing["lastKey"])
        index = (site / "search" / "search_index.json").read_bytes()
    print(f"\n{label}: {len(latencies)} queries typed")
    print(
        f"  keystroke to results: median {statistics.median(latencies):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms"
    )
    print(f"  search ready {statistics.median(ready_after_load):.0f} ms after the load event")
    print(f"  index {len(index) / 1024:.0f} KB, {len(gzip.compress(index)) / 1024:.0f} KB gzipped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=7)
    parser.add_argument("--entries", nargs="*", type=int, default=[])
    parser.add_argument("--keystrokes", action="store_true")
    args = parser.parse_args()
    queries = load_queries()
    if not args.entries:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "handbook"
            ignore = shutil.ignore_patterns("site", ".git", "*.egg-info", "__pycache__")
            shutil.copytree(REPO, project, ignore=ignore)
            if args.keystrokes:
                keystrokes(project, "bundled handbook", queries)
            else:
                measure(project, "bundled handbook", BUNDLED_QUERY, args.runs)
    from synthetic import write_handbook

    for entries in args.entries:
        with tempfile.TemporaryDirectory() as tmp:
            project = write_handbook(Path(tmp) / "handbook", entries)
            label = f"synthetic handbook, {entries} entries"
            if args.keystrokes:
                keystrokes(project, label, queries[:40])
            else:
                measure(project, label, SYNTHETIC_QUERY, args.runs)


if __name__ == "__main__":
    main()
