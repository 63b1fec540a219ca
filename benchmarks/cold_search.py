"""The first search on a cold page, as an agent meets it: open an entry page with an empty
browser cache, press "/" as soon as the page is there, type a query at once, and time from
navigation start until the right page shows in the results (index fetched, worker started,
query answered). Measured in real headless Chromium, side by side with plain Material: the
same pages written out once with `kbgen export` and built by MkDocs with Material's own search.

Usage: python benchmarks/cold_search.py [runs] [--entries N ...]
  without --entries: the bundled handbook; with it, synthetic handbooks of N entries
  (benchmarks/synthetic.py), e.g. --entries 1000 10000
Prints, per site: median and p90 time to the right result, and the bytes fetched by then.
With Pagefind installed (`pip install 'pagefind[bin]'`), the plain Material site indexed by
Pagefind is measured too: its JavaScript API loaded and queried at once on the same page (no UI),
until its first five results are loaded (it says so when the right page is not among them).
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
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from browser import chromium, serve_folder  # noqa: E402
from build_time import PLAIN_CONFIG, export_for_plain_material  # noqa: E402

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
    fetched: list[int] = []
    context.on("requestfinished", lambda r: fetched.append(r.sizes()["responseBodySize"]))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=7)
    parser.add_argument("--entries", nargs="*", type=int, default=[])
    args = parser.parse_args()
    if not args.entries:
        with tempfile.TemporaryDirectory() as tmp:
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
