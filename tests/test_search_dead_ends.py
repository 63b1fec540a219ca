"""Search never leaves an agent at "No results", and never hides a page behind another one.

A query that finds nothing is searched again with fuzzy words; if that finds nothing either,
the results offer the situations and the phrasebook, one ArrowDown away. Typing a page's
title always puts that page first.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from search_box import SearchBox

from kbgen.site.plugin import HELP_SITUATIONS
from kbgen.templating import typeset

if TYPE_CHECKING:
    from pathlib import Path

HELP = ".md-search-result__list > li.kb-search-help"

# Queries made only of words the handbook does not contain (checked below against the index).
UNKNOWN_WORDS = [
    "xylophone",
    "zebra",
    "quantum flapjack",
    "purple giraffe marmalade",
    "qwertyuiop",
    "lorem ipsum",
    "how do I rebuild my carburettor",
    "zzzz",
]


def index_words(site: Path) -> set[str]:
    """Every word of the built search index, any field, lower-cased."""
    index = json.loads((site / "search" / "search_index.json").read_text())
    text = " ".join(" ".join(str(v) for v in doc.values()) for doc in index["docs"])
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.fixture
def box(site_url: str, browser):
    page = browser.new_page()
    search = SearchBox(page, site_url)
    search.open(site_url + "techniques/stay-calm/")
    yield search
    page.close()


def type_query(box: SearchBox, query: str) -> None:
    box.page.keyboard.press("Control+A")
    box.page.keyboard.press("Backspace")
    box.page.keyboard.type(query)


@pytest.mark.parametrize("query", UNKNOWN_WORDS)
def test_a_query_that_finds_nothing_offers_the_situations(
    box: SearchBox, bundled_site: Path, handbook, query: str
) -> None:
    stop_words = {"how", "do", "i", "my"}  # thrown away by the tokenizer, so they match nothing
    assert not (set(query.lower().split()) - stop_words) & index_words(bundled_site)

    type_query(box, query)
    box.page.wait_for_function(
        "text => document.querySelector('.md-search-result__meta').textContent.includes(text)",
        arg=f"Nothing found for “{query}”. What is happening on your call?",
        timeout=5000,
    )
    assert box.page.locator(".md-search__input").input_value() == query  # never rewritten

    titles = box.page.locator(f"{HELP} h1").all_inner_texts()
    ordered = handbook.ordered_situations()
    situations = [typeset(s.title) for s in ordered[:HELP_SITUATIONS]]
    if len(ordered) > HELP_SITUATIONS:  # the rest one link away
        situations.append(f"All {len(ordered)} situations")
    assert titles == [*situations, "Phrasebook"]

    box.page.keyboard.press("ArrowDown")  # Material's own keyboard navigation
    box.page.wait_for_timeout(500)  # the focus stays (Material does not search again)
    focused = box.page.evaluate("() => document.activeElement.getAttribute('href')")
    first = handbook.ordered_situations()[0]
    assert focused and focused.rstrip("/").endswith(f"situations/{first.id}")
    box.page.keyboard.press("Enter")
    box.page.wait_for_url(re.compile(r"/situations/"))


# Words only WordNet relates to a page: no entry, alias or vocabulary group holds them.
WORDNET_ONLY = [
    ("lachrymose", "situations/customer-is-crying/"),
    ("mourning", "situations/caller-is-vulnerable/"),  # bereaved: that page, not crying
    ("maltreatment", "situations/caller-is-abusive/"),
    ("repayment", "situations/demands-refund-you-cannot-give/"),
]


@pytest.mark.parametrize(("word", "page"), WORDNET_ONLY)
def test_a_word_the_handbook_never_listed_finds_its_page(
    box: SearchBox, bundled_site: Path, word: str, page: str
) -> None:
    index = json.loads((bundled_site / "search" / "search_index.json").read_text())
    fields = {
        name
        for doc in index["docs"]
        for name, value in doc.items()
        if name != "location" and word in str(value).lower().split()
    }
    assert fields == {"kb_lexicon"}
    type_query(box, word)
    box.wait_until_answered()
    assert box.results()[0].location == page


def test_a_misspelled_query_is_searched_again_with_fuzzy_words(box: SearchBox) -> None:
    """'screeeming' matches nothing as typed; two letters off, it finds the yelling page."""
    type_query(box, "screeeming")
    box.page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent"
        ".includes('close matches')",
        timeout=5000,
    )
    assert box.page.locator(".md-search__input").input_value() == "screeeming"
    assert box.page.locator(HELP).count() == 0
    first = box.results()[0]
    assert first.location == "situations/customer-is-yelling/"


def test_every_page_title_finds_its_page_first(site_url: str, browser, bundled_site: Path) -> None:
    """Wrong-page guard: the words added to pages never push another page above the one named."""
    index = json.loads((bundled_site / "search" / "search_index.json").read_text())
    pages = {doc["location"]: doc["title"] for doc in index["docs"] if "#" not in doc["location"]}
    assert len(pages) > 40
    page = browser.new_page()
    box = SearchBox(page, site_url)
    box.open(site_url)
    wrong = []
    for location, title in pages.items():
        results = box.enter(title)
        if not results or results[0].location != location:
            wrong.append(f"{title!r}: {[r.location for r in results[:3]]}, not {location!r}")
    page.close()
    assert wrong == []
