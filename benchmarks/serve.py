"""Save to served: how long a trainer waits in `mkdocs serve --dirty` for one edited entry.

For a synthetic handbook of N entries (benchmarks/synthetic.py), starts `mkdocs serve --dirty`
twice side by side: the project with kbgen (an entry's YAML is edited), and the same pages
written out once with `kbgen export` and served by plain Material (the exported page is
edited). Each edit swaps the first word of one technique's summary for a new one; the time is
from the save to the served page holding the word (polled over HTTP). Prints the median of
several edits.

Usage: python benchmarks/serve.py [edits] [--entries N ...]   (default: 3 edits, 100 and 1000)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

from build_time import export_for_plain_material  # noqa: E402
from synthetic import write_handbook  # noqa: E402
from tools import free_port  # noqa: E402

EDITED = "technique-7"
POLL_INTERVAL = 0.5  # mkdocs.livereload's PollingObserver


@contextlib.contextmanager
def serving(project: Path, config: str):
    """`mkdocs serve --dirty` on a free port; yields the base URL once the site answers."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", config,
         "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url + f"techniques/{EDITED}/", "<html", timeout=600)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url: str, text: str, timeout: float = 120) -> float:
    """Seconds until `url` serves a page containing `text`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} never showed {text!r}")


def edit_and_wait(url: str, path: Path, before: str, after: str) -> float:
    """Seconds from saving `path` with `before` replaced by `after` to the page showing it."""
    text = path.read_text(encoding="utf-8")
    assert before in text, f"{before!r} not in {path}"
    start = time.perf_counter()
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    wait_for(url + f"techniques/{EDITED}/", after)
    return time.perf_counter() - start


def summary_of(path: Path) -> str:
    """The technique's summary, as it appears in its source."""
    line = next(line for line in path.read_text().splitlines() if line.startswith("summary:"))
    return line.removeprefix("summary:").strip()


def edited_summaries(summary: str, edits: int) -> list[str]:
    """The summary before and after each edit: its first word swapped for a new one each time,
    so the summary keeps its length (and stays within the entry's limit)."""
    first, rest = summary.split(" ", 1)
    return [summary] + [f"Zq{number}{first} {rest}" for number in range(edits)]


def measure(entries: int, edits: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = write_handbook(Path(tmp) / "handbook", entries)
        export_for_plain_material(project)
        entry = project / "snippets" / "techniques" / f"{EDITED}.md"
        page = project / "prewritten" / "techniques" / f"{EDITED}.md"
        summaries = edited_summaries(summary_of(entry), edits)
        times: dict[str, list[float]] = {"kbgen": [], "plain Material": []}
        pauses = random.Random(entries)
        for name, config, edited in (
            ("kbgen", "mkdocs.yml", entry),
            ("plain Material", "plain.yml", page),
        ):
            with serving(project, config) as url:
                time.sleep(2)  # let the first build's file watcher settle
                for before, after in zip(summaries, summaries[1:], strict=False):
                    times[name].append(edit_and_wait(url, edited, before, after))
                    # MkDocs polls for changes every 0.5 s: a fixed pause would lock each save to
                    # the same point of that cycle, so the pause varies over a whole cycle
                    time.sleep(1 + pauses.uniform(0, POLL_INTERVAL))
                print(f"  {entries} entries, {name}: " + ", ".join(f"{t:.2f}" for t in times[name]))
        kbgen, plain = statistics.median(times["kbgen"]), statistics.median(times["plain Material"])
        print(
            f"{entries:6} entries: save to served, median of {edits}: kbgen {kbgen:5.2f} s, "
            f"plain Material {plain:5.2f} s, ratio {kbgen / plain:4.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edits", nargs="?", type=int, default=3)
    parser.add_argument("--entries", nargs="*", type=int, default=[100, 1000])
    args = parser.parse_args()
    for entries in args.entries:
        measure(entries, args.edits)


if __name__ == "__main__":
    main()
