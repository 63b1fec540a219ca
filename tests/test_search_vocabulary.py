"""The words a page is found by, checked without a browser."""

from __future__ import annotations

import re

from kbgen.search.index import SEPARATOR, PageTerms, one_document_per_page
from kbgen.search.vocabulary import Vocabulary, inflections, spellings, typos


def test_longer_forms_an_agent_may_type_are_indexed() -> None:
    assert {"screaming", "screamed", "screams"} <= inflections("scream")
    assert {"blame", "blaming", "blamed"} <= inflections("blames")
    assert {"swore", "sworn"} <= inflections("swear")


def test_both_spellings_and_common_slips() -> None:
    assert "apologise" in spellings("apologize")
    assert "behaviour" in spellings("behavior")
    assert "raize" not in spellings("raise")
    assert {"yeling", "yellnig"} <= typos("yelling")
    assert typos("calm") == set()  # too short to guess safely


def test_a_page_is_found_by_its_words_synonyms_and_variants() -> None:
    own, related, variants = Vocabulary.bundled().search_terms(
        "Customer is yelling", ["shouting", "upset after a call"], real_words={"yelling"}
    )
    assert "yelling" in own and "shouting" in own
    assert "screaming" in related and "irate" not in own
    assert "customer" not in own  # shared by every page: noise, not a term
    assert "yeling" in variants and "screamed" in variants


def test_a_phrase_does_not_pull_in_the_group_of_one_of_its_words() -> None:
    # "upset after a call" is the agent's state, not an upset customer
    _, related, _ = Vocabulary.bundled().search_terms("Reset", ["upset after a call"], set())
    assert "irate" not in related


def test_stop_words_and_fillers_split_text_instead_of_becoming_terms() -> None:
    separator = re.compile(SEPARATOR)
    words = [
        w
        for w in separator.split("What do I say when a customer is yelling at me? It's attention")
        if w
    ]
    assert words == ["yelling", "attention"]


def test_one_document_per_page_with_the_summary_as_its_text() -> None:
    index = {
        "config": {"lang": ["en"], "separator": "[\\s]+", "pipeline": [], "fields": {}},
        "docs": [
            {
                "location": "techniques/x/",
                "title": "X",
                "text": "<p>Old</p><p>Also called: y</p>",
                "boost": 4,
            },
            {
                "location": "techniques/x/#why",
                "title": "Why",
                "text": "<p>Because.</p>",
                "boost": 4,
            },
            {"location": "guide/a/", "title": "A", "text": "<p>Intro.</p><p>More.</p>"},
        ],
    }
    reshaped = one_document_per_page(index, {"techniques/x/": PageTerms("Do x.", ["x", "ex"])})
    first, second = reshaped["docs"]
    assert first["text"] == "<p>Do x.</p>" and first["kb_terms"] == "x ex" and first["boost"] == 4
    assert "Because." in first["kb_body"] and "Why" in first["kb_body"]
    assert second["text"] == "<p>Intro.</p>" and second["kb_body"] == "More."
    assert reshaped["config"]["separator"] == SEPARATOR
    assert set(reshaped["config"]["fields"]) >= {"title", "text", "kb_terms", "kb_body"}


def test_without_full_text_entry_pages_keep_title_summary_and_words() -> None:
    index = {
        "config": {"lang": ["en"], "separator": "[\\s]+", "pipeline": [], "fields": {}},
        "docs": [
            {"location": "techniques/x/", "title": "X", "text": "<p>Long text.</p>"},
            {"location": "guide/a/", "title": "A", "text": "<p>Intro.</p><p>More.</p>"},
        ],
    }
    terms = PageTerms("Do x.", ["x", "ex"], related=["why"], variants=["xx"])
    reshaped = one_document_per_page(index, {"techniques/x/": terms}, False)
    entry, guide = reshaped["docs"]
    assert "kb_body" not in entry and "kb_variants" not in entry
    assert entry["kb_terms"] == "ex"  # the title's word is found by the title
    assert entry["text"] == "<p>Do x.</p>" and entry["kb_summary"] == "Do x. why"
    assert guide["kb_body"] == "More." and guide["kb_summary"] == "Intro."
    # shown, not searched: the summary is searched once, in kb_summary
    fields = reshaped["config"]["fields"]
    assert "text" not in fields and "kb_summary" in fields
    # no document has them: the search worker would visit them for nothing
    assert "kb_variants" not in fields and "kb_related" not in fields
