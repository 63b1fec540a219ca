"""Search an agent can trust mid-call: typed into Material's real search box in headless
Chromium, the right page is in the first three results, with its summary showing."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, run
from search_box import SearchBox

from kbgen.render.call_first import first_screen
from kbgen.templating import typeset


@pytest.fixture(scope="module")
def summaries(handbook) -> dict[str, str]:
    """{location: text} of every entry page's search result: its one-line summary and, for a
    situation, the first phrase to say."""
    found = {f"techniques/{t.id}/": typeset(t.summary) for t in handbook.techniques.values()}
    for situation in handbook.situations.values():
        say = typeset(first_screen(situation, handbook).say[0][0].text)
        found[f"situations/{situation.id}/"] = f"{typeset(situation.summary)} Say: “{say}”"
    return found


HIT_AT_3_REQUIRED = 0.90


def load_queries() -> list[tuple[str, list[str]]]:
    queries = []
    for line in (Path(__file__).parent / "search_queries.txt").read_text().splitlines():
        if "->" in line and not line.startswith("#"):
            query, pages = line.split("->")
            queries.append((query.strip(), [f"{p}/" for p in pages.split()]))
    return queries


def test_relevance_suite(
    site_url: str, browser, summaries: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    queries = load_queries()
    assert len(queries) >= 60
    page = browser.new_page()
    box = SearchBox(page, site_url)
    box.open(site_url)
    ranks, misses, wrong_order, wrong_text = [], [], [], []
    for query, right in queries:
        results = box.search(query)
        locations = [r.location for r in results]
        rank = next((i + 1 for i, loc in enumerate(locations) if loc in right), None)
        ranks.append(rank)
        if not rank or rank > 3:
            misses.append(f"{query!r} (rank {rank}): {locations[:3]}")
        above_right = locations[: (rank or 1) - 1] if rank else locations[:1]
        if any(loc not in summaries for loc in above_right):
            wrong_order.append(f"{query!r}: a listing page ranks above the right one: {locations}")
        wrong_text += [
            f"{query!r}: {r.location} shows {r.text!r}"
            for r in results[:3]
            if r.location in summaries and r.text.replace("\n", " ") != summaries[r.location]
        ]
    total = len(queries)
    hit1 = sum(r == 1 for r in ranks) / total
    hit3 = sum(bool(r and r <= 3) for r in ranks) / total
    mrr = sum(1 / r for r in ranks if r) / total
    with capsys.disabled():
        print(
            f"\nsearch relevance: {total} queries, "
            f"hit@1 {hit1:.1%}, hit@3 {hit3:.1%}, MRR {mrr:.3f}"
        )
        for miss in misses:
            print(f"  miss: {miss}")
    assert hit3 >= HIT_AT_3_REQUIRED, "\n".join(misses)
    assert wrong_order == []
    assert wrong_text == []


def test_pages_and_search_make_no_request_beyond_loopback(site_url: str, browser) -> None:
    page = browser.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    for path in [
        "",
        "techniques/stay-calm/",
        "situations/caller-is-abusive/",
        "phrases/",
        "sources/",
        "guide/how-to-use/",
        "techniques/",
    ]:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    box = SearchBox(page, site_url)
    box.open(site_url)
    assert box.search("customer yelling")
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("networkidle")
    assert hosts == {"127.0.0.1"}


@pytest.mark.parametrize(
    "path", ["techniques/empathize/", "situations/customer-is-yelling/", "phrases/"]
)
def test_copy_button_puts_exactly_the_phrase_on_the_clipboard(
    site_url: str, browser, path: str
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + path)
    phrases = page.locator(".kb-say .kb-phrase")
    buttons = page.locator(".kb-say button.kb-copy")
    assert phrases.count() == buttons.count() > 0
    assert page.locator(".kb-dont").count() > 0
    assert page.locator(".kb-dont button, .kb-dont [data-clipboard-text]").count() == 0
    for index in (0, buttons.count() - 1):
        shown = phrases.nth(index).inner_text()
        buttons.nth(index).click()
        page.wait_for_selector(".md-dialog--active")  # Material's "Copied to clipboard"
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == shown.strip("“”")
        assert copied == buttons.nth(index).get_attribute("data-clipboard-text")
    context.close()


def test_offline_build_searches_from_a_folder(
    tmp_path: Path, browser, summaries: dict[str, str]
) -> None:
    folder = tmp_path / "handbook"
    built = run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder)],
        REPO,
        env={"KBGEN_OFFLINE": "true"},
    )
    assert built.returncode == 0, built.stderr
    page = browser.new_page()
    schemes: set[str] = set()
    page.on("request", lambda request: schemes.add(urlsplit(request.url).scheme))
    box = SearchBox(page, folder.as_uri() + "/")
    box.open((folder / "index.html").as_uri())
    results = box.search("customer screaming")
    assert results[0].location == "situations/customer-is-yelling.html"
    assert results[0].text.replace("\n", " ") == summaries["situations/customer-is-yelling/"]
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state()
    assert re.search(r"situations/customer-is-yelling\.html", page.url)
    assert schemes == {"file"}


def test_a_situations_result_shows_what_to_say(
    site_url: str, browser, handbook, summaries: dict[str, str]
) -> None:
    """Typing a situation's title shows its first phrase to say in the result itself."""
    page = browser.new_page()
    box = SearchBox(page, site_url)
    box.open(site_url)
    for situation in handbook.ordered_situations():
        results = box.search(situation.title.lower())
        location = f"situations/{situation.id}/"
        shown = {r.location: r.text.replace("\n", " ") for r in results[:3]}
        assert shown.get(location) == summaries[location], situation.title
        assert "Say: “" in shown[location]
    page.close()
