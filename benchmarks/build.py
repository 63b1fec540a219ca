"""Build time, memory and search index size for synthetic handbooks of 100, 1,000 and 10,000
entries (30 % techniques, 20 % situations, 50 % stories, realistic lengths).

For each size it prints kbgen's own time (load, validate, stories, render, search: what the
plugin reports), the whole `mkdocs build` time, kbgen's share of it, peak memory of the build
process, and the search index size.
Usage: python benchmarks/build.py [sizes…]     (default: 100 1000 10000)
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_handbook  # noqa: E402

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q" if False else "--clean"],
                      capture_output=True, text=True)
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(done.returncode, round(elapsed, 3), round(peak_mb, 1))
sys.stderr.write(done.stderr)
"""


def measure(project: Path) -> dict[str, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-c", MEASURE], cwd=project, env=env, capture_output=True, text=True
    )
    code, elapsed, peak = result.stdout.split()
    if code != "0":
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    own = re.search(r"kbgen: own time ([\d.]+) s \((.*?)\)", result.stderr)
    index = project / "site" / "search" / "search_index.json"
    raw = index.read_bytes()
    return {
        "build": float(elapsed),
        "peak": float(peak),
        "own": float(own.group(1)) if own else float("nan"),
        "steps": own.group(2) if own else "",
        "index": len(raw) / 1024,
        "index_gz": len(gzip.compress(raw)) / 1024,
        "pages": sum(1 for _ in (project / "site").rglob("index.html")),
    }


def main(sizes: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            project = write_handbook(Path(tmp) / f"handbook-{size}", size)
            figures = measure(project)
            rows.append((size, figures))
            print(f"{size:>6} entries: {figures}", flush=True)
    print()
    print(
        "| entries | pages | kbgen's own time | whole build | kbgen share | peak memory "
        "| search index |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size, f in rows:
        print(
            f"| {size:,} | {f['pages']:,} | {f['own']:.2f} s | {f['build']:.2f} s | "
            f"{100 * f['own'] / f['build']:.1f} % | {f['peak']:.0f} MB | "
            f"{f['index']:,.0f} KB ({f['index_gz']:,.0f} KB gzipped) |"
        )
    for (small, a), (big, b) in zip(rows, rows[1:], strict=False):
        print(
            f"growth {small:,} -> {big:,} entries ({big / small:.0f}x): whole build "
            f"{b['build'] / a['build']:.1f}x, kbgen {b['own'] / a['own']:.1f}x"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])
