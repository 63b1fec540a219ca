"""Which words find which generated page: built from the model, for the search index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.model.entries import Situation
from kbgen.render import call_first, urls
from kbgen.search.index import PageTerms
from kbgen.search.related_forms import related_forms
from kbgen.search.related_forms import save as save_related_forms
from kbgen.search.vocabulary import (
    FILLER_WORDS,
    GENERIC_WORDS,
    STOP_WORDS,
    Vocabulary,
    words,
)
from kbgen.templating import typeset

if TYPE_CHECKING:
    from kbgen.model.entries import Technique
    from kbgen.model.handbook import Handbook

LISTING_TERMS = {
    urls.PHRASEBOOK: ["phrasebook", "phrases", "what to say", "scripts", "script", "wording"],
    urls.SOURCES: ["sources", "articles", "references", "evidence", "where the advice comes from"],
    urls.SITUATIONS: ["situations", "all situations", "scenarios"],
    urls.TECHNIQUES: ["techniques", "all techniques", "skills", "call stages"],
    urls.CARDS: ["cards", "quick reference", "print", "laminate", "desk card", "badge"],
}


def page_terms(
    handbook: Handbook, real_words: set[str], use_directory_urls: bool = True
) -> dict[str, PageTerms]:
    """{index location: summary and search terms} for every entry page and listing page."""
    vocabulary = Vocabulary.bundled()
    taken = prefixes(real_words)
    found: dict[str, PageTerms] = {}
    for entry in [*handbook.techniques.values(), *handbook.situations.values()]:
        location = urls.site_url(urls.entry_page(entry.kind, entry.id), use_directory_urls)
        own, related, variants = vocabulary.search_terms(entry.title, entry.aliases, real_words)
        say = ""
        if isinstance(entry, Situation):
            first = call_first.first_screen(entry, handbook).say
            say = typeset(first[0][0].text) if first else ""
        lexicon = lexicon_terms(entry, real_words, taken)
        found[location] = PageTerms(typeset(entry.summary), own, related, variants, say, lexicon)
    save_related_forms()
    for page, listed in LISTING_TERMS.items():
        location = urls.site_url(page, use_directory_urls)
        own, related, variants = vocabulary.search_terms("", listed, real_words)
        found[location] = PageTerms(_listing_summary(page), own, related, variants)
    return found


def prefixes(site_words: set[str]) -> set[str]:
    """The first letters of each word of the site, as Material's prefix search matches them."""
    return {w[:PREFIX] for w in site_words}


def lexicon_terms(
    entry: Technique | Situation, site_words: set[str], taken: set[str] | None = None
) -> list[str]:
    """Words WordNet relates to the page's title, aliases, summary (and a situation's signs),
    in their usual forms, that appear nowhere in the site: they give a query that would find
    nothing a page to land on, and never compete with a word some page really uses."""
    text = " ".join([entry.title, *entry.aliases])
    noise = STOP_WORDS | FILLER_WORDS | GENERIC_WORDS
    taken = prefixes(site_words) if taken is None else taken
    found: set[str] = set()
    for word in set(words(text)) - noise:
        found |= related_forms(word)
    # Material searches by prefix ("coun*"): a word sharing its first letters with a word of
    # the site would pull this page up for queries meant for that word
    return sorted(w for w in found - noise if w[:PREFIX] not in taken)


PREFIX = 5
"""Letters a query word and an index word share before Material's prefix search matches."""


def _listing_summary(page: str) -> str:
    return {
        urls.PHRASEBOOK: "Every phrase to say and to avoid, by call stage and technique.",
        urls.SOURCES: "The articles the advice comes from, and the techniques each one backs up.",
        urls.SITUATIONS: "What is happening on your call, and what to do about it.",
        urls.TECHNIQUES: "Every technique, by the stage of the call it helps with.",
        urls.CARDS: "Desk and badge cards to print and laminate.",
    }[page]
