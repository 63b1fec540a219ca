"""The search index reaches the browser gzipped, from any web server, and search never depends
on how it travelled: a server that unzips on the way, or a site without the gzipped copy, still
searches."""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING

import pytest
from search_box import SearchBox

if TYPE_CHECKING:
    from pathlib import Path

INDEX = "search/search_index.json"


def test_the_gzipped_index_and_the_setup_file_match_the_index(bundled_site: Path) -> None:
    index = (bundled_site / INDEX).read_bytes()
    assert gzip.decompress((bundled_site / f"{INDEX}.gz").read_bytes()) == index
    setup = json.loads((bundled_site / "search/search_config.json").read_text())
    assert setup == {"config": json.loads(index)["config"], "docs": []}


def _search(browser, site_url: str, route=None) -> tuple[list[str], dict[str, int]]:
    """Search on a cold page; the locations found, and the bytes of each search file fetched."""
    context = browser.new_context()
    page = context.new_page()
    if route is not None:
        page.route(f"**/{INDEX}.gz", route)
    fetched: dict[str, int] = {}

    def finished(request) -> None:
        name = request.url.split("?")[0].rsplit("/", 1)[-1]
        if name in ("search_index.json", "search_index.json.gz", "search_config.json"):
            response = request.response()
            fetched[name] = len(response.body()) if response and response.ok else 0

    context.on("requestfinished", finished)
    box = SearchBox(page, site_url)
    box.open(site_url + "techniques/stay-calm/")
    found = [result.location for result in box.search("customer screaming")]
    context.close()
    return found, fetched


def test_a_cold_page_fetches_the_gzipped_index_and_not_the_full_one(
    browser, site_url: str, bundled_site: Path
) -> None:
    found, fetched = _search(browser, site_url)
    assert found[0] == "situations/customer-is-yelling/"
    assert fetched.get("search_index.json.gz") == (bundled_site / f"{INDEX}.gz").stat().st_size
    assert "search_index.json" not in fetched  # the page asked for the setup file instead
    assert "search_config.json" in fetched


@pytest.mark.parametrize("server", ["unzips on the way", "has no gzipped copy"])
def test_search_works_however_the_index_travels(
    browser, site_url: str, bundled_site: Path, server: str
) -> None:
    plain = (bundled_site / INDEX).read_bytes()

    def route(route) -> None:
        if server == "has no gzipped copy":
            route.fulfill(status=404, body="not found")
        else:  # as a server that sends the .gz with Content-Encoding: gzip, decoded by the browser
            route.fulfill(status=200, body=plain, content_type="application/json")

    found, fetched = _search(browser, site_url, route)
    assert found[0] == "situations/customer-is-yelling/"
    if server == "has no gzipped copy":
        assert fetched.get("search_index.json") == len(plain)  # the worker read the plain one
