"""Which words find which generated page: built from the model, for the search index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.model.entries import Situation
from kbgen.render import call_first, urls
from kbgen.search.index import PageTerms
from kbgen.search.vocabulary import Vocabulary
from kbgen.templating import typeset

if TYPE_CHECKING:
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
    found: dict[str, PageTerms] = {}
    for entry in [*handbook.techniques.values(), *handbook.situations.values()]:
        location = urls.site_url(urls.entry_page(entry.kind, entry.id), use_directory_urls)
        own, related, variants = vocabulary.search_terms(entry.title, entry.aliases, real_words)
        say = ""
        if isinstance(entry, Situation):
            first = call_first.first_screen(entry, handbook).say
            say = typeset(first[0][0].text) if first else ""
        found[location] = PageTerms(typeset(entry.summary), own, related, variants, say)
    for page, words in LISTING_TERMS.items():
        location = urls.site_url(page, use_directory_urls)
        own, related, variants = vocabulary.search_terms("", words, real_words)
        found[location] = PageTerms(_listing_summary(page), own, related, variants)
    return found


def _listing_summary(page: str) -> str:
    return {
        urls.PHRASEBOOK: "Every phrase to say and to avoid, by call stage and technique.",
        urls.SOURCES: "The articles the advice comes from, and which technique each supports.",
        urls.SITUATIONS: "What is happening on your call, and what to do about it.",
        urls.TECHNIQUES: "Every technique, by the stage of the call it helps with.",
        urls.CARDS: "Desk and badge cards to print and laminate.",
    }[page]
