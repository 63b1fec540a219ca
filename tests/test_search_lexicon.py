"""Words the handbook never listed: related words from WordNet (Debian's wordnet-base), read
at build time, added to each page's weakest search field."""

from __future__ import annotations

import pytest

from kbgen.search.lexicon import DEBIAN_WORDNET, related_words, wordnet
from kbgen.search.related_forms import usual_forms
from kbgen.search.terms import PREFIX, lexicon_terms


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    if wordnet() is None:
        pytest.fail(f"WordNet is not in {DEBIAN_WORDNET}: apt-get install wordnet-base (.ci/run)")


@pytest.mark.parametrize(
    ("word", "related"),
    [
        ("yell", {"scream", "shout", "holler"}),
        ("yelling", {"scream", "shout"}),  # an inflected word is looked up by its base
        ("abuse", {"mistreat", "maltreatment", "insult"}),
        ("refund", {"repay", "repayment"}),
        ("cried", {"weep"}),  # irregular forms come from WordNet's exception lists
    ],
)
def test_related_words_come_from_the_common_senses(word: str, related: set[str]) -> None:
    assert related <= related_words(word)
    assert word not in related_words(word)


def test_rare_senses_and_phrases_stay_out() -> None:
    # WordNet lists "call off" among the senses of "cancel": only single words come back
    assert all(" " not in w and "_" not in w for w in related_words("cancel"))
    assert "crossing" not in related_words("yell")


def test_usual_forms_are_those_a_query_holds() -> None:
    assert usual_forms("mistreat") >= {"mistreat", "mistreats", "mistreated", "mistreating"}
    assert usual_forms("repayment") == {"repayment", "repayments"}
    assert not any(form.endswith("erer") for form in usual_forms("mourn"))


def test_a_page_gets_only_words_no_page_of_the_site_uses(handbook) -> None:
    crying = handbook.situations["customer-is-crying"]
    site = {"tears", "weeping", "sorry", "grieving", "distressed"}
    added = lexicon_terms(crying, site)
    assert {"lachrymose", "mourning"} <= set(added)
    taken = {word[:PREFIX] for word in site}
    assert not [word for word in added if word[:PREFIX] in taken]
