"""The first search on a cold page, as an agent meets it: open an entry page with an empty
browser cache, press "/" as soon as the page is there, type a query at once, and time from
navigation start until the right page shows in the results (index fetched, worker started,
query answered). Measured in real headless Chromium, side by side with plain Material: the
same pages written out once with `kbgen export` and built by MkDocs with Material's own search.

Usage: python benchmarks/cold_search.py [runs] [--entries N ...]
  without --entries: the bundled handbook; with it, synthetic handbooks of N entries
  (benchmarks/synthetic.py), e.g. --entries 1000 10000
Prints, per site: median and p90 time to the right result, and the bytes fetched by then.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from browser import chromium, serve_folder  # noqa: E402
from build_time import PLAIN_CONFIG  # noqa: E402

# The query typed, and a piece of the address of the page it must find.
BUNDLED_QUERY = ("customer screaming at me", "customer-is-yelling")
SYNTHETIC_QUERY = ("technique number 7", "technique-7")

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
    """The project built with kbgen, and its export built by plain Material."""
    build(project, out / "kbgen")
    subprocess.run(
        [sys.executable, "-m", "kbgen.cli", "export", "prewritten"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    (project / "plain.yml").write_text(PLAIN_CONFIG)
    build(project, out / "plain", "plain.yml")
    return {"kbgen": out / "kbgen", "plain Material": out / "plain"}


def first_entry_page(site: Path) -> str:
    pages = sorted(p.parent for p in (site / "techniques").glob("*/index.html"))
    return f"{pages[0].relative_to(site).as_posix()}/"


def cold_search(browser, url: str, query: str, expect: str) -> tuple[float, int]:
    """One cold first search: ms from navigation start to the right result, bytes fetched."""
    context = browser.new_context()  # a new profile: nothing cached
    page = context.new_page()
    page.add_init_script(PROBE.replace("EXPECT", repr(expect)))
    fetched: list[int] = []
    context.on("requestfinished", lambda r: fetched.append(r.sizes()["responseBodySize"]))
    page.goto(url, wait_until="domcontentloaded")
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_function("() => window.__kbCold.right !== null", timeout=60_000)
    elapsed = page.evaluate("() => window.__kbCold.right")
    context.close()
    return elapsed, sum(fetched)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(project: Path, label: str, query: tuple[str, str], runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sites = both_sites(project, Path(tmp))
        print(f"\n{label}: query {query[0]!r}, {runs} cold runs each, alternating")
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in sites}
        with chromium() as browser:
            servers = {name: serve_folder(site) for name, site in sites.items()}
            urls = {name: server.__enter__() for name, server in servers.items()}
            try:
                for _ in range(runs):
                    for name, site in sites.items():
                        page = urls[name] + first_entry_page(site)
                        results[name].append(cold_search(browser, page, *query))
            finally:
                for server in servers.values():
                    server.__exit__(None, None, None)
        for name, site in sites.items():
            times = [t for t, _ in results[name]]
            fetched = statistics.median(b for _, b in results[name])
            index = (site / "search" / "search_index.json").read_bytes()
            print(
                f"  {name:15} to results: median {statistics.median(times):5.0f} ms, "
                f"p90 {percentile(times, 0.9):5.0f} ms; fetched {fetched / 1024:6.0f} KB "
                f"(index {len(index) / 1024:.0f} KB, {len(gzip.compress(index)) / 1024:.0f} KB "
                "gzipped)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=7)
    parser.add_argument("--entries", nargs="*", type=int, default=[])
    args = parser.parse_args()
    if not args.entries:
        with tempfile.TemporaryDirectory() as tmp:
            import shutil

            project = Path(tmp) / "handbook"
            ignore = shutil.ignore_patterns("site", ".git", "*.egg-info", "__pycache__")
            shutil.copytree(REPO, project, ignore=ignore)
            measure(project, "bundled handbook", BUNDLED_QUERY, args.runs)
    from synthetic import write_handbook

    for entries in args.entries:
        with tempfile.TemporaryDirectory() as tmp:
            project = write_handbook(Path(tmp) / "handbook", entries)
            measure(project, f"synthetic handbook, {entries} entries", SYNTHETIC_QUERY, args.runs)


if __name__ == "__main__":
    main()
