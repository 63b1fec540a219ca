"""Where "what do I say now?" sits on each situation page, at the window sizes agents use.

Builds the bundled handbook (or the site folder given), opens every situation page in headless
Chromium at 1366×768 (a desktop), 420×900 (a side panel beside the CRM) and 390×844 (a phone),
and prints for each: the top of the first phrase to say, in CSS pixels from the top of the
page; the top of the hand-over link or box; the page height; and whether anything needs
horizontal scrolling. The home page line gives how many situations the first screen shows.

Usage: python benchmarks/first_screen.py [SITE_FOLDER]   (needs Debian's chromium)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, serve_folder  # noqa: E402

SIZES = [(1366, 768), (420, 900), (390, 844)]

MEASURE = """() => {
  const top = (el) => el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null;
  const content = document.querySelector("article") || document.body;
  const say = content.querySelector(".kb-say .kb-phrase, .kb-phrases--say .kb-phrase");
  const handover = content.querySelector(".kb-handover-link, .kb-handover a, .admonition.danger");
  return {
    say: top(say),
    handover: top(handover),
    height: document.documentElement.scrollHeight,
    hscroll: document.documentElement.scrollWidth > window.innerWidth,
  };
}"""

HOME = """() => {
  const links = [...document.querySelectorAll("article a[href*='situations/']")];
  const seen = new Set();
  for (const a of links) {
    const r = a.getBoundingClientRect();
    if (r.bottom <= window.innerHeight && r.top >= 0) seen.add(a.getAttribute("href"));
  }
  return seen.size;
}"""


def measure(site: Path) -> None:
    pages = sorted(p.parent.name for p in (site / "situations").glob("*/index.html"))
    with serve_folder(site) as url, chromium() as browser:
        print(
            f"{'situation':32} " + "  ".join(f"{w}×{h}: say / hand-over / height" for w, h in SIZES)
        )
        for name in pages:
            cells = []
            for width, height in SIZES:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{url}situations/{name}/")
                found = page.evaluate(MEASURE)
                page.close()
                scroll = " ⇔" if found["hscroll"] else ""
                cells.append(
                    f"{found['say'] or '-':>5} / {found['handover'] or '-':>5} / "
                    f"{found['height']:>5}{scroll}"
                )
            print(f"{name:32} " + "   ".join(cells))
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            shown = page.evaluate(HOME)
            print(f"home page at {width}×{height}: {shown} situations on the first screen")
            page.close()


def main() -> None:
    if len(sys.argv) > 1:
        measure(Path(sys.argv[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
            cwd=REPO,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            check=True,
            capture_output=True,
        )
        measure(site)


if __name__ == "__main__":
    main()
