"""Reshapes Material's search index so an agent's query lands on the right page, first.

Material indexes every section of every page as its own document, ranks title words a
thousand times above body words, and shows the matching paragraph as the result's text.
For a handbook that means a section headed "Say" outranks the page an agent needs, and the
result shows a list of aliases instead of what the page is for. So, after Material writes
its index, each page becomes one document:

- `title`: the page title (Material's own field, boost 1000);
- `text`: the page's one-line summary (and a situation's first phrase to say), which is what
  the result shows, at a low weight;
- `kb_summary`: the summary alone, weighted: what the page is for;
- `kb_terms`: the page's own words: title and aliases, in both spellings;
- `kb_related`: their synonyms; `kb_variants`: other forms, misspellings and typos (weaker:
  see `Vocabulary.search_terms`);
- `kb_lexicon`: words WordNet relates to the page's words and summary, the weakest signal
  (kbgen/search/lexicon.py);
- `kb_body`: the rest of the page's searchable text, as plain text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from kbgen.search.vocabulary import FILLER_WORDS, GENERIC_WORDS, STOP_WORDS

FIELD_BOOSTS = {
    "title": 1000.0,
    "text": 1.0,
    "kb_summary": 200.0,
    "kb_terms": 300.0,
    "kb_related": 150.0,
    "kb_variants": 10.0,
    "kb_lexicon": 5.0,
    "kb_body": 1.0,
}


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


def separator(stop_words: set[str]) -> str:
    """Material's tokenizer separator, extended so stop words *are* separators.

    Material appends a wildcard to every query word, and Lunr skips its stop-word filter for
    wildcard terms: a query with "at" or "i" in it matches every word starting with "at" or
    "i" (attack, insult…), which drowns the words that matter. Material splits both the
    indexed text and each query word with this separator, so a stop word matched here never
    becomes a search term. Contractions of stop words (it's, can't, I'm) go with them.
    """
    words = "|".join(_any_case(w) for w in sorted(stop_words, key=lambda w: (-len(w), w)))
    contraction = "(?:['’](?:[sStTmMdD]|[rR][eE]|[vV][eE]|[lL][lL]))?"
    return rf"[\s\-,:;!?.=\[\]()\"/]+|\b(?:{words}){contraction}\b"


SEPARATOR = separator(STOP_WORDS | FILLER_WORDS | GENERIC_WORDS)

_TAG = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"^\s*(<p\b[^>]*>.*?</p>)", re.S)
_WORD = re.compile(r"[a-z][a-z']*[a-z]")


@dataclass(frozen=True)
class PageTerms:
    """What kbgen knows about a generated page: its summary and the words it is found by."""

    summary: str
    terms: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    say: str = ""  # a situation's first phrase to say: the result shows it under the title
    lexicon: list[str] = field(default_factory=list)  # related words from WordNet (weak)


def plain_text(markup: str) -> str:
    """Text without tags; angle brackets dropped so no field of the index ever holds markup."""
    text = html.unescape(_TAG.sub(" ", markup)).replace("<", " ").replace(">", " ")
    return " ".join(text.split())


def site_words(index: dict) -> set[str]:
    """Every word that appears in the site's searchable text."""
    found: set[str] = set()
    for doc in index["docs"]:
        found |= set(_WORD.findall(plain_text(f"{doc['title']} {doc['text']}").lower()))
    return found


FULL_TEXT_LIMIT = 200
"""Technique and situation pages up to which every field is indexed under `search_full_text:
auto`; beyond, the index is lean (`_lean`). At 10,000 entries that is a 1.6 MB index (190 KB
gzipped) instead of 6.2 MB (benchmarks/search.py; README, "Big handbooks")."""


BIG_HANDBOOK_DROPS = ("kb_body", "kb_variants", "kb_lexicon")
"""What a big handbook's entry pages leave out of the index: their text, and the generated word
lists (typos, other forms, WordNet's words), about 1 KB a page. What stays: title, summary,
the trainer's own words and their synonyms. A typo still finds its page: a query that finds
nothing is searched again with fuzzy words."""


def one_document_per_page(index: dict, pages: dict[str, PageTerms], full_text: bool = True) -> dict:
    """A new index: one document per page, fields as described in the module docstring.

    `pages` maps a page location (as in the index, e.g. `techniques/stay-calm/`) to its terms;
    without `full_text`, the index is lean (`_lean`).
    """
    grouped: dict[str, list[dict]] = {}
    for doc in index["docs"]:
        grouped.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
    docs = [
        _merge(location, sections, pages.get(location)) for location, sections in grouped.items()
    ]
    fields = {name: {"boost": boost} for name, boost in FIELD_BOOSTS.items()}
    if not full_text:
        _lean(docs, fields, pages)
    # a field no document has changes no score, but the search worker still visits it once
    # per document (at 10,000 entries two such fields cost about 40 ms of the first search)
    used = {name for doc in docs for name in doc}
    fields = {name: spec for name, spec in fields.items() if name in used}
    config = {**index["config"], "separator": SEPARATOR, "fields": fields}
    return {**index, "config": config, "docs": docs}


def _lean(docs: list[dict], fields: dict[str, dict], pages: dict[str, PageTerms]) -> None:
    """A big handbook's index: the search worker's time grows with the words it indexes (about
    5 µs a word) and with the fields of every document, so every word is indexed once, in fewer
    fields. Entry pages leave out BIG_HANDBOOK_DROPS and, from their own words, the title's (the
    title field already finds them, at a higher weight); `text`, which repeats the summary as
    markup, is shown but not searched: `kb_summary` is, with the synonyms (`kb_related`) beside
    it (the bundled handbook built lean keeps the same hit@1, hit@3 and MRR on the tuned sets)."""
    del fields["text"]
    for doc in docs:
        if doc["location"] not in pages:
            continue
        for name in BIG_HANDBOOK_DROPS:
            doc.pop(name, None)
        if "kb_related" in doc:
            doc["kb_summary"] = f"{doc['kb_summary']} {doc.pop('kb_related')}".strip()
        title = {word.lower() for word in re.split(r"\W+", doc["title"])}
        own = [word for word in doc.get("kb_terms", "").split() if word.lower() not in title]
        if own:
            doc["kb_terms"] = " ".join(own)
        else:
            doc.pop("kb_terms", None)


def _merge(location: str, sections: list[dict], known: PageTerms | None) -> dict:
    page = next((s for s in sections if s["location"] == location), sections[0])
    rest = [s for s in sections if s is not page]
    if known is not None:
        # one paragraph: Material shows only the paragraphs of a result that match the query,
        # and the summary and the phrase to say belong together
        say = f"<br><b>Say:</b> “{html.escape(known.say, quote=False)}”" if known.say else ""
        summary = f"<p>{html.escape(known.summary, quote=False)}{say}</p>"
        body = page["text"]
    else:
        match = _FIRST_PARAGRAPH.match(page["text"])
        summary = match.group(1) if match else ""
        body = page["text"][match.end() :] if match else page["text"]
    parts = [body, *(f"{s['title']}. {s['text']}" for s in rest)]
    # `text` is what the result shows (for a situation, its first phrase too); `kb_summary`
    # carries the summary's weight, so the phrase shown never changes the ranking
    merged = {
        "location": location,
        "title": page["title"],
        "text": summary,
        "kb_summary": plain_text(known.summary if known is not None else summary),
    }
    if known is not None:
        for name, words in (
            ("kb_terms", known.terms),
            ("kb_related", known.related),
            ("kb_variants", known.variants),
            ("kb_lexicon", known.lexicon),
        ):
            if words:
                merged[name] = " ".join(words)
    merged["kb_body"] = plain_text(" ".join(parts))
    for key in ("boost", "tags"):
        if key in page:
            merged[key] = page[key]
    return merged
