"""Drives Material's real search box the way an agent does: a key press, typing, reading results.

To know when the results on screen belong to the last key typed (not to an earlier prefix),
the page is instrumented, for tests only, to count queries sent to Material's search worker
and results received back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Page

RESULTS = ".md-search-result__list > li.md-search-result__item > a.md-search-result__link"
QUERY, RESULT, READY = 2, 3, 1  # Material's SearchMessageType

WORKER_PROBE = f"""
(() => {{
  window.__kb = {{ sent: 0, received: 0, ready: null, lastResult: 0 }};
  const probe = Base => class extends Base {{
    constructor(...args) {{
      super(...args);
      this.addEventListener("message", event => {{
        const type = event.data && event.data.type;
        if (type === {READY}) window.__kb.ready = performance.now();
        if (type === {RESULT}) {{
          window.__kb.received++;
          window.__kb.lastResult = performance.now();
        }}
      }});
    }}
    postMessage(message, ...rest) {{
      if (message && message.type === {QUERY}) window.__kb.sent++;
      return super.postMessage(message, ...rest);
    }}
  }};
  // Offline builds replace Worker with an iframe shim later on: probe whichever is current.
  let current = window.Worker;
  Object.defineProperty(window, "Worker", {{
    configurable: true,
    get: () => probe(current),
    set: value => {{ current = value; }},
  }});
}})();
"""


@dataclass(frozen=True)
class Result:
    location: str  # path relative to the site root, e.g. "situations/customer-is-yelling/"
    title: str
    text: str


class SearchBox:
    """Material's search on an open page. `search()` types a query and returns ranked pages."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page, self.base_path = page, urlsplit(base_url).path
        page.add_init_script(WORKER_PROBE)

    def open(self, url: str) -> None:
        """Load `url`, open search with the keyboard, and wait until search is ready."""
        self.page.goto(url)
        self.page.keyboard.press("/")
        self.page.wait_for_selector(".md-search__input:focus")
        self.page.wait_for_function("() => window.__kb && window.__kb.ready !== null")

    def search(self, query: str, timeout: float = 10.0) -> list[Result]:
        """Clear the box, type `query` key by key, and wait for the results of the last key."""
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Backspace")
        self.page.keyboard.type(query)
        self.wait_until_answered(timeout)
        return self.results()

    def enter(self, query: str, timeout: float = 10.0) -> list[Result]:
        """Put `query` in the box at once (as a paste does) and release a key: one search
        instead of one per key, for running hundreds of queries."""
        self.page.fill(".md-search__input", query)
        self.page.keyboard.press("End")  # Material searches on keyup
        self.wait_until_answered(timeout)
        return self.results()

    def wait_until_answered(self, timeout: float = 10.0) -> float:
        """Wait until every query sent has its result rendered; returns performance.now()."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = self.page.evaluate(
                """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(
                    () => resolve(window.__kb.sent === window.__kb.received
                                  ? window.__kb.lastResult : null))))"""
            )
            if done is not None:
                return float(done)
        raise AssertionError("Material's search worker did not answer in time")

    def results(self) -> list[Result]:
        """The results on screen, best first (read in one go: hundreds of queries are run)."""
        shown = self.page.evaluate(READ_RESULTS, RESULTS)
        return [
            Result(urlsplit(href).path.removeprefix(self.base_path), title, text)
            for href, title, text in shown
        ]


READ_RESULTS = """selector => [...document.querySelectorAll(selector)].map(link => {
  const summary = link.querySelector("article > p:not(.md-search-result__terms)");
  return [link.getAttribute("href") || "", link.querySelector("h1").innerText,
          summary ? summary.innerText : ""];
})"""
