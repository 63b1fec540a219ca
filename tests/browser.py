"""Real headless Chromium (Debian's `chromium`, driven by Playwright) and a loopback server."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import sys
import threading
from typing import TYPE_CHECKING

from tools import require

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that drops a request it no longer needs is not an error of the test."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_folder(folder: Path, handler_class: type = QuietHandler) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium under Playwright. Fails (not skips) when it is missing: CI installs it."""
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        require("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


SEARCH_DATA = ("**/search/**", "**/workers/**", "**/kbgen-search-worker.js*")
"""What a page fetches to warm up search: its index, Material's worker and kbgen's."""


def layout_page(browser: Browser, width: int, height: int) -> Page:
    """A page for checks of layout and style over many pages: the search index and worker
    are not loaded (search is the search tests' to check), which halves each page's load."""
    page = browser.new_page(viewport={"width": width, "height": height})
    for pattern in SEARCH_DATA:
        page.route(pattern, lambda route: route.abort())
    return page
