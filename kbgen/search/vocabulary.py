"""The words an agent may type for a page: its aliases, their synonyms, spellings and typos.

Material's search has no synonyms, no stemming that survives its wildcard queries, and no
typo tolerance. A query term `scream` matches any indexed word starting with `scream`, so
what the index needs is every *longer* form an agent may type (`screaming`, `screamed`), the
other words for it (`yelling`), the other spelling (`apologise`) and the usual slips (`yeling`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from kbgen.fast_yaml import safe_load

if TYPE_CHECKING:
    from collections.abc import Iterable

_WORD = re.compile(r"[a-z][a-z']*[a-z]|[a-z]")
TYPO_MIN_LENGTH = 6
"""Shorter words have too many real-word neighbours for missed-letter variants to be safe."""

_OR_OUR = {"behavior", "humor", "honor", "color", "favor", "labor", "neighbor", "rumor"}
_NO_SUFFIX_ENDINGS = ("ous", "ful", "ive", "ic", "al", "able", "ible", "ent", "ant", "ly", "less")


def _word_list(*keys: str) -> frozenset[str]:
    data = vocabulary_file()
    for key in keys:
        data = data[key]
    return frozenset(str(data).split())


@cache
def vocabulary_file() -> dict:
    """kbgen/search/vocabulary.yml, read once."""
    return safe_load((resources.files("kbgen.search") / "vocabulary.yml").read_text())


_ISE_NOT_IZE = _word_list("spelling", "ise_not_ize")
STOP_WORDS = _word_list("ignored", "stop_words")
"""Lunr's English stop words: never indexed, so never worth adding."""
FILLER_WORDS = _word_list("ignored", "fillers") | _word_list("ignored", "question_verbs")
GENERIC_WORDS = _word_list("ignored", "shared_by_every_page")


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'").replace("-", " ")))


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=65536)
def crude_stem(word: str) -> str:
    """Enough stemming to tell that `threatens`, `threatening` and `threaten` are one word."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)].rstrip("e")
    return word.rstrip("e")


IRREGULAR = {
    "swear": "swore sworn",
    "take": "took taken",
    "hang": "hung",
    "tell": "told",
    "speak": "spoke spoken",
    "break": "broke broken",
    "feel": "felt",
    "lose": "lost",
    "leave": "left",
    "ring": "rang rung",
    "fight": "fought",
    "give": "gave given",
    "go": "went gone",
    "hear": "heard",
    "keep": "kept",
    "make": "made",
    "pay": "paid",
    "send": "sent",
    "write": "wrote written",
    "shake": "shook shaken",
    "think": "thought",
    "catch": "caught",
    "buy": "bought",
    "forget": "forgot forgotten",
    "wait": "waited",
    "blow": "blew blown",
    "throw": "threw thrown",
    "hurt": "hurt",
    "cut": "cut",
}


@lru_cache(maxsize=65536)
def inflections(word: str) -> frozenset[str]:
    """The word with its likely bases and their -s, -ed, -ing and -er forms."""
    forms = {word} | set(IRREGULAR.get(word, "").split())
    if len(word) < 3 or not word.isalpha() or word.endswith(_NO_SUFFIX_ENDINGS):
        return frozenset(forms)
    bases = {word}
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            bases = {base, base + "e"}
            if len(base) > 2 and base[-1] == base[-2]:
                bases.add(base[:-1])
    if word.endswith("ies"):
        bases.add(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 4:
        bases |= {word[:-2], word[:-1]}
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        bases.add(word[:-1])
    for base in bases:
        stem = base[:-1] if base.endswith("e") else base
        forms |= {base, stem + "ing", stem + "ed", stem + "er"}
        forms.add(base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s"))
        if base.endswith("y") and len(base) > 3:
            forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    return frozenset(forms)


@lru_cache(maxsize=65536)
def spellings(word: str) -> frozenset[str]:
    """British and American spellings of a word (apologise/apologize, behaviour/behavior)."""
    forms = {word}
    if "iz" in word:
        forms.add(word.replace("iz", "is"))
    base = re.sub(r"is(ed|es|ing|ation)$", "ise", word)
    if re.search(r"is(e|ed|es|ing|ation)$", word) and base not in _ISE_NOT_IZE and len(word) > 5:
        forms.add(re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", word))
    if "our" in word and word.replace("our", "or") in _OR_OUR | {w + "s" for w in _OR_OUR}:
        forms.add(word.replace("our", "or"))
    for base in _OR_OUR:
        if word.startswith(base):
            forms.add(word.replace(base, base[:-2] + "our", 1))
    if re.search(r"[aeiou]led$|[aeiou]ling$", word):
        forms.add(re.sub(r"led$", "lled", re.sub(r"ling$", "lling", word)))
    return frozenset(forms)


def typos(word: str) -> set[str]:
    """One missed letter or two swapped letters: the slips of someone typing fast."""
    if len(word) < TYPO_MIN_LENGTH or not word.isalpha():
        return set()
    missed = {word[:i] + word[i + 1 :] for i in range(1, len(word))}
    swapped = {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(1, len(word) - 1)
        if word[i] != word[i + 1]
    }
    return (missed | swapped) - {word}


def _inflected(words: set[str]) -> set[str]:
    return {form for word in words for form in inflections(word)}


@dataclass(frozen=True)
class Vocabulary:
    """Synonym groups and known misspellings, from the bundled vocabulary.yml."""

    groups: tuple[frozenset[str], ...]
    misspellings: dict[str, tuple[str, ...]]

    @classmethod
    @cache
    def bundled(cls) -> Vocabulary:
        data = vocabulary_file()
        groups = tuple(frozenset(normalise(p) for p in group) for group in data["synonyms"])
        misspellings = {
            crude_stem(normalise(word)): tuple(normalise(v) for v in variants)
            for word, variants in data["misspellings"].items()
        }
        return cls(groups, misspellings)

    def synonyms(self, phrases: Iterable[str]) -> set[str]:
        """Every phrase of every group that one of `phrases` belongs to.

        A multi-word phrase only counts as a whole: "upset after a call" (the agent) must
        not pull in the group of "upset" (the customer)."""
        known = {normalise(p) for p in phrases}
        singles = {crude_stem(p) for p in known if " " not in p}
        found: set[str] = set()
        for group, stems in zip(self.groups, self._group_stems, strict=True):
            if group & known or stems & singles:
                found |= group
        return found

    @cached_property
    def _group_stems(self) -> tuple[frozenset[str], ...]:
        return tuple(
            frozenset(crude_stem(m) for m in group if " " not in m) for group in self.groups
        )

    def search_terms(
        self, title: str, aliases: Iterable[str], real_words: set[str]
    ) -> tuple[list[str], list[str], list[str]]:
        """The extra words a page is found by: (own words, related words, variants).

        - own words: the page's title and aliases as written, in both spellings;
        - related words: synonyms of those, which other pages may share;
        - variants: other forms (-s, -ed, -ing), known misspellings and typos.
        They are kept apart so each can weigh differently: a page's own word beats a synonym,
        and each variant is a rare word that any short query word prefixing it (`in`, `at`)
        would otherwise pull up. `real_words` are words already in the site: a typo variant
        that is a real word would send searches to the wrong page.
        """
        own_phrases = [normalise(p) for p in [*aliases, *normalise(title).split()]]
        own = _spelled(own_phrases)
        related = _spelled(self.synonyms(own_phrases)) - own
        variants: set[str] = set()
        for word in own | related:
            variants |= inflections(word)
            variants |= set(self.misspellings.get(crude_stem(word), ()))
        for word in {w for p in own_phrases for w in p.split()}:
            variants |= typos(word) - real_words
        noise = STOP_WORDS | FILLER_WORDS | GENERIC_WORDS
        variants -= own | related | noise | _inflected(GENERIC_WORDS)
        return sorted(own - noise), sorted(related - noise), sorted(variants)


def _spelled(phrases: Iterable[str]) -> set[str]:
    """The words of `phrases` in both spellings, and without apostrophes (cant, wont)."""
    return {
        spelling
        for phrase in phrases
        for word in phrase.split()
        for spelling in spellings(word) | spellings(word.replace("'", ""))
    }
