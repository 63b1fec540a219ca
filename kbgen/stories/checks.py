"""The checks every story passes: personal data, spam, unsafe content; and profanity masking.

The rules live in rules.yml, shared with the "Share your story" page, so an agent filling in
the form sees the same findings as the trainer running `kbgen stories` and the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import phonenumbers
import yaml

if TYPE_CHECKING:
    from kbgen.model.stories import Story

BLOCKING = {"personal data", "spam"}
"""Findings that keep a story off the site, whatever its status says."""


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    category: str  # personal data, spam, unsafe content
    what: str
    fix: str

    @property
    def blocking(self) -> bool:
        return self.category in BLOCKING


@cache
def rules() -> dict:
    return yaml.safe_load((resources.files("kbgen.stories") / "rules.yml").read_text())


@cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


@cache
def _promotion() -> re.Pattern[str]:
    """All promotional patterns in one pass; run on lower-cased text (much faster than
    ignoring case, and the patterns are all lower case)."""
    return re.compile("|".join(f"(?:{p})" for p in rules()["spam"]["promotion"]))


@cache
def _call_word_stems() -> tuple[frozenset[str], tuple[int, ...]]:
    stems = frozenset(rules()["spam"]["call_words"].split())
    return stems, tuple(sorted({len(s) for s in stems}))


def _count_call_words(words: list[str]) -> int:
    """Words that start with one of the call-word stems (a set lookup per prefix length)."""
    stems, lengths = _call_word_stems()
    return sum(1 for w in words if any(w[:n] in stems for n in lengths if n <= len(w)))


def check_text(text: str, searchable: str | None = None) -> list[Finding]:
    """Every finding in a story file's text. `searchable` is the part a reader sees (title,
    outcome, lesson, body), which decides whether the story is about a call at all."""
    findings = _personal_data(text) + _spam(text, searchable or text) + _unsafe(text)
    return sorted(set(findings))


def check_story(story: Story, text: str) -> list[Finding]:
    """Findings in a story, whose file reads `text` (line numbers count in it)."""
    return check_text(text, " ".join([story.title, story.outcome, story.lesson, story.body]))


def publishable(story: Story, findings: list[Finding]) -> bool:
    return story.state == "approved" and not any(f.blocking for f in findings)


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _personal_data(text: str) -> list[Finding]:
    rule = rules()["personal_data"]
    found: list[Finding] = []
    for match in _pattern(rule["email"]).finditer(text):
        found.append(
            Finding(
                _line(text, match.start()),
                "personal data",
                f"an e-mail address ({_masked(match.group())})",
                "remove it; write 'the customer's e-mail' instead",
            )
        )
    card_spans = []
    for match in _pattern(rule["card"]).finditer(text):
        if _luhn(re.sub(r"\D", "", match.group())):
            card_spans.append(match.span())
            found.append(
                Finding(
                    _line(text, match.start()),
                    "personal data",
                    "a payment card number",
                    "remove it; never copy card details",
                )
            )
    for match in _phone_numbers(text, rule["phone_regions"], rule["phone_min_digits"]):
        if not any(a <= match.start < b for a, b in card_spans):
            found.append(
                Finding(
                    _line(text, match.start),
                    "personal data",
                    f"a phone number ({_masked(match.raw_string)})",
                    "remove it; write 'the customer's number' instead",
                )
            )
    for match in _pattern(rule["labelled_number"]).finditer(text):
        number = match.group(1)
        if sum(c.isdigit() for c in number) >= 3 and not any(
            a <= match.start(1) < b for a, b in card_spans
        ):
            found.append(
                Finding(
                    _line(text, match.start()),
                    "personal data",
                    f"an account, order or ticket number ({_masked(number)})",
                    "remove the number; 'their order' is enough",
                )
            )
    return found


def _phone_numbers(text: str, regions: list[str], min_digits: int) -> list:
    """libphonenumber's matcher for each region: international and local formats. Text with
    no run of `min_digits` digits (spaces and punctuation between them allowed) cannot hold
    one, and most stories have none: they skip the slow matcher."""
    if not re.search(rf"(?:\d[\s().+-]{{0,3}}){{{min_digits},}}", text):
        return []
    found = {}
    for region in regions:
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
        for match in matcher:
            if sum(c.isdigit() for c in match.raw_string) >= min_digits:
                found.setdefault(match.start, match)
    return list(found.values())


def _spam(text: str, searchable: str) -> list[Finding]:
    rule = rules()["spam"]
    emails = [m.span() for m in _pattern(rules()["personal_data"]["email"]).finditer(text)]
    found = [
        Finding(
            _line(text, m.start()),
            "spam",
            f"a link to an outside site ({m.group()})",
            "remove the link: stories are read inside the handbook",
        )
        for m in _pattern(rule["link"]).finditer(text)
        if not any(a <= m.start() < b for a, b in emails)  # an address is reported once
    ]
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased
        lowered = text
    for m in _promotion().finditer(lowered):
        found.append(
            Finding(
                _line(text, m.start()),
                "spam",
                f"promotional text ('{text[m.start() : m.end()]}')",
                "a story tells what happened on a call, not about a site or product",
            )
        )
    words = re.findall(r"[a-z']+", searchable.lower())
    call_words = _count_call_words(words)
    if len(words) < rule["min_words"] or call_words < rule["min_call_words"]:
        found.append(
            Finding(
                1,
                "spam",
                "this does not tell what happened on a call",
                "say what the customer said, what you did and how it ended",
            )
        )
    return found


def _unsafe(text: str) -> list[Finding]:
    rule = rules()["unsafe"]
    found = []
    for key, what in (
        ("html_tag", "HTML markup"),
        ("event_handler", "an HTML event handler"),
        ("script_url", "a javascript: link"),
    ):
        for m in _pattern(rule[key]).finditer(text):
            found.append(
                Finding(
                    _line(text, m.start()),
                    "unsafe content",
                    f"{what} ({m.group()[:40]})",
                    "it is shown as plain text, never run; "
                    "remove it if it is not part of the story",
                )
            )
    return found


def _luhn(digits: str) -> bool:
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _masked(value: str) -> str:
    """Enough to recognise a finding, not enough to leak it again in a report."""
    return value[:3] + "…" if len(value) > 4 else "…"


@cache
def _profanity() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in rules()["profanity"].split())
    return re.compile(rf"\b(?:{words})[a-z]*", re.IGNORECASE)


def mask_profanity(text: str, star: str = "*") -> str:
    """'fucking' becomes 'f******': the quote keeps its force, the page stays printable.
    `star` lets Markdown callers pass an escaped asterisk."""
    return _profanity().sub(lambda m: m.group()[0] + star * (len(m.group()) - 1), text)
