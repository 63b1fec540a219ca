"""How long `mkdocs build` of the bundled handbook takes, next to the same site pre-written.

Prints the median of several runs for (a) the repository as is (kbgen runs as a plugin) and
(b) the same pages exported once with `kbgen export` and built by plain MkDocs, no plugin,
alternating, and checks that both render the same pages (each page's <article> HTML).
The difference is what kbgen costs a build. Usage: python benchmarks/build_time.py [runs]
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PLAIN_CONFIG = """\
site_name: Handbook for difficult calls (pre-written)
docs_dir: prewritten
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.sections, navigation.indexes, search.highlight,
             search.suggest, content.code.copy]
extra_css: [assets/kbgen/kbgen.css, assets/kbgen/cards.css]
extra_javascript: [assets/kbgen/kbgen.js, assets/kbgen/story-form.js]
plugins: [search]
markdown_extensions: [smarty, admonition, attr_list, md_in_html, tables,
                      {toc: {permalink: true}}, pymdownx.superfences]
"""
"""The exported pages with the extensions the handbook uses (smarty sets its typographic quotes
and dashes), so the anchor renders the same pages kbgen does."""


def export_for_plain_material(project: Path) -> None:
    """The project's pages written out once (`kbgen export prewritten`), and `plain.yml` to
    build them with plain Material: the anchor every benchmark compares kbgen with."""
    subprocess.run(
        [sys.executable, "-m", "kbgen.cli", "export", "prewritten"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    (project / "plain.yml").write_text(PLAIN_CONFIG)


def site_of(project: Path, config: str) -> Path:
    return project / f"site-{Path(config).stem}"


def same_articles(kbgen_site: Path, plain_site: Path) -> tuple[int, int]:
    """(pages, pages whose <article> HTML is the same in both sites): the anchor must render
    the same pages, or the comparison means nothing."""
    pages = sorted(kbgen_site.rglob("index.html"))
    same = 0
    for page in pages:
        other = plain_site / page.relative_to(kbgen_site)
        article = [ARTICLE.search(p.read_text()) if p.is_file() else None for p in (page, other)]
        same += bool(article[0] and article[1] and article[0].group() == article[1].group())
    return len(pages), same


ARTICLE = re.compile(r"<article.*?</article>", re.S)


def timed_build(project: Path, config: str) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    site = str(site_of(project, config))
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", site],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "handbook"
        shutil.copytree(REPO, project, ignore=shutil.ignore_patterns("site", ".git", "*.egg-info"))
        export_for_plain_material(project)
        timed_build(project, "mkdocs.yml")  # warm caches (kbgen's, the disk's, Python's)
        timed_build(project, "plain.yml")
        with_plugin, prewritten = [], []
        for _ in range(runs):  # alternating, so both see the same load on a shared machine
            with_plugin.append(timed_build(project, "mkdocs.yml"))
            prewritten.append(timed_build(project, "plain.yml"))
        pages, same = same_articles(site_of(project, "mkdocs.yml"), site_of(project, "plain.yml"))
    plugin_median, plain_median = statistics.median(with_plugin), statistics.median(prewritten)
    ratios = [kbgen / plain for kbgen, plain in zip(with_plugin, prewritten, strict=True)]
    print(f"runs: {runs}, alternating")
    print(f"mkdocs build with kbgen plugin:   median {plugin_median:.2f} s")
    print(f"mkdocs build, pages pre-written:  median {plain_median:.2f} s")
    print(f"kbgen's share of the build:       {plugin_median - plain_median:+.2f} s")
    print(f"ratio, median of the run pairs:   {statistics.median(ratios):.2f}x")
    print(f"pages whose article is the same:  {same} of {pages}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
