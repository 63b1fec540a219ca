"""Search understands words nobody wrote into the handbook, and says so when no page fits.

The semantic layer (kbgen/search/semantic.py, kbgen-semantic.js) is built from the entries at
every build, from a real pretrained model shipped in a PyPI package, and fused in the browser
with Material's lexical ranking.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import pytest
from conftest import mkdocs_build
from search_box import SearchBox

from kbgen.search import encoder

if TYPE_CHECKING:
    from pathlib import Path

META = ".md-search-result__meta"


def semantic_file(site: Path) -> dict:
    return json.loads((site / "search" / "kb_semantic.json").read_text(encoding="utf-8"))


def pages_for(data: dict, word: str) -> list[str]:
    row = data["words"].get(word, [])
    return [data["pages"][row[i]][0] for i in range(0, len(row), 2)]


def test_the_model_is_the_published_one() -> None:
    """Trusted by content: the installed files carry the digests the model's authors publish."""
    folder = encoder.model_folder()
    for name, digest in encoder.MODEL_DIGESTS.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    vectors = encoder.load_encoder().encode(["yelling", "shouting", "annual leave"])
    assert vectors @ vectors[0] == pytest.approx(
        [1.0, vectors[1] @ vectors[0], vectors[2] @ vectors[0]]
    )
    assert vectors[1] @ vectors[0] > 0.7 > 0.2 > vectors[2] @ vectors[0]


def test_the_bundled_site_ships_semantic_data_for_server_and_folder(bundled_site: Path) -> None:
    data = semantic_file(bundled_site)
    assert len(data["words"]) > 15000  # a large English vocabulary, not the handbook's words
    assert "situations/customer-is-yelling/" in pages_for(data, "barking")
    script = (bundled_site / "search" / "kb_semantic.js").read_text(encoding="utf-8")
    assert script.startswith("window.__kbSemantic=")
    assert (bundled_site / "search" / "kb_semantic.json.gz").stat().st_size < 300_000


def test_an_entry_with_a_new_word_is_found_by_its_meaning_at_once(project: Path) -> None:
    """Rebuilt from the entries at every build, and byte-identical for the same input."""
    first = mkdocs_build(project, project / "one")
    assert first.returncode == 0, first.stderr
    again = mkdocs_build(project, project / "two")
    assert again.returncode == 0, again.stderr
    one, two = (project / name / "search" / "kb_semantic.json" for name in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()
    locations = [page[0] for page in json.loads(one.read_text())["pages"]]
    assert "situations/customer-is-yelling/" in locations
    assert "situations/ombudsman-complaint/" not in locations

    (project / "snippets" / "situations" / "ombudsman-complaint.md").write_text(
        (project / "snippets" / "situations" / "customer-is-yelling.md")
        .read_text(encoding="utf-8")
        .replace("title: Customer is yelling", "title: Customer goes to the ombudsman")
        .replace("aliases: [screaming, shouting]", "aliases: [ombudsman, complaints body]"),
        encoding="utf-8",
    )
    third = mkdocs_build(project, project / "three")
    assert third.returncode == 0, third.stderr
    data = semantic_file(project / "three")
    assert pages_for(data, "complaint")[0] == "situations/ombudsman-complaint/"


@pytest.fixture
def box(site_url: str, browser):
    page = browser.new_page()
    search = SearchBox(page, site_url)
    search.open(site_url)
    yield search
    page.close()


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("he was barking at me", "situations/customer-is-yelling/"),
        ("the consignment never arrived", "situations/delivery-has-not-arrived/"),
    ],
)
def test_words_no_entry_uses_find_the_page(
    box: SearchBox, bundled_site: Path, query: str, page: str
) -> None:
    index = (bundled_site / "search" / "search_index.json").read_text(encoding="utf-8").lower()
    unused = {"barking", "consignment"} & set(query.split())
    assert unused and not any(word in index for word in unused)
    assert [r.location for r in box.search(query)][0] == page


def test_an_idiom_finds_what_it_means(box: SearchBox) -> None:
    locations = [r.location for r in box.search("customer kicking off")[:3]]
    assert "situations/customer-is-yelling/" in locations


@pytest.mark.parametrize("query", ["how do I book annual leave", "what is the overtime pay rate"])
def test_a_query_no_page_covers_says_so(box: SearchBox, query: str) -> None:
    box.search(query)
    box.page.wait_for_function(
        f"""() => {{
          const meta = document.querySelector({json.dumps(META)}).textContent;
          return meta.includes("No page on this yet") || meta.includes("Nothing found");
        }}""",
        timeout=5000,
    )


@pytest.mark.parametrize("query", ["customer is shouting at me", "caller wants a refund"])
def test_a_query_with_a_page_is_not_marked(box: SearchBox, query: str) -> None:
    results = box.search(query)
    assert results
    box.page.wait_for_timeout(600)  # the note would come 250 ms after the results
    assert "No page on this yet" not in box.page.locator(META).inner_text()
    assert box.page.evaluate("() => window.kbSemantic.last.weak") is False


@pytest.mark.parametrize(
    "query", ["Re: refund", "Agents: yelling customer", "refund -today", "web or voice- refund"]
)
def test_lunr_operators_typed_by_accident_still_search(box: SearchBox, query: str) -> None:
    """Lunr reads "Re:" as a field and answers an unknown field with an error, not results."""
    results = box.search(query)
    assert results, query
