"""The bundled content covers the source articles and quotes them exactly and briefly."""

from __future__ import annotations

import re

from conftest import ARTICLES

REQUIRED_TECHNIQUES = [
    "stay-calm",
    "dont-take-it-personally",
    "let-them-vent",
    "listen-actively",
    "empathize",
    "apologize",
    "dont-argue",
    "stay-kind",
    "ask-questions",
    "offer-choices",
    "offer-solutions",
    "fix-the-root-cause",
    "handle-intimidation",
    "escalate-abusive-callers",
    "document-the-call",
    "follow-up",
    "thank-the-customer",
    "reset-after-the-call",
    "prevent-escalation",
]

# Example phrases the articles print, which must be in the phrasebook with their article.
ARTICLE_PHRASES = {
    "I understand that this situation is frustrating for you, and I’m here to help.": (
        "difficult-customers-phone"
    ),
    "What can we do to help?": "graceful-challenging-call",
}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def article_text(handbook, source_id: str) -> str:
    source = handbook.sources[source_id]
    assert source.archive_copy, f"{source_id} names no archive_copy to check quotes against"
    return normalise((ARTICLES / source.archive_copy).read_text(encoding="utf-8"))


def test_required_techniques_and_enough_situations(handbook) -> None:
    assert set(REQUIRED_TECHNIQUES) <= set(handbook.techniques)
    assert len(handbook.situations) >= 8


def test_every_source_has_its_stored_article(handbook) -> None:
    assert len(handbook.sources) == 4
    for source in handbook.sources.values():
        assert (ARTICLES / str(source.archive_copy)).is_file(), source.id


def all_quotes(handbook) -> list[tuple[str, str, str]]:
    """(entry id, source id, quoted text) for every quote and every phrase marked quoted."""
    quotes = []
    for entry in [*handbook.techniques.values(), *handbook.situations.values()]:
        quotes += [(entry.id, r.source, r.quote) for r in entry.sources if r.quote]
    for use in handbook.phrase_uses():
        if use.phrase.quoted:
            owner = use.situation.id if use.situation else use.technique.id  # type: ignore[union-attr]
            quotes.append((owner, str(use.phrase.source), use.phrase.text))
    return quotes


def test_quotes_are_verbatim_and_short(handbook) -> None:
    quotes = all_quotes(handbook)
    assert len(quotes) >= 10
    wrong = [
        f"{owner}: {quote!r} is not verbatim in {source_id}"
        for owner, source_id, quote in quotes
        if normalise(quote) not in article_text(handbook, source_id)
    ]
    assert not wrong, "\n".join(wrong)
    assert all(len(quote.split()) <= 40 for _, _, quote in quotes)


def test_the_articles_example_phrases_are_in_the_phrasebook_attributed(handbook) -> None:
    quoted = {(u.phrase.text, u.phrase.source) for u in handbook.phrase_uses() if u.phrase.quoted}
    assert len(ARTICLE_PHRASES) >= 2
    for text, source_id in ARTICLE_PHRASES.items():
        assert (text, source_id) in quoted


def test_every_article_supports_some_technique(handbook) -> None:
    assert len(handbook.sources) >= 4
    for source in handbook.sources.values():
        assert handbook.techniques_supported_by(source), source.id


def test_doubtful_advice_is_flagged(handbook) -> None:
    cautions = [c for t in handbook.techniques.values() for c in t.cautions]
    assert {c.source for c in cautions} >= {"taming-irate-customers"}
    assert any("joke" in c.text.lower() for c in cautions)
