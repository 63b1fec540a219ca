"""The checks every story passes before it is published: personal data, spam, unsafe markup.

They run on what a reader would see — each field as parsed and rendered, normalised
(kbgen/stories/normalise.py) — never on the raw file, so a YAML escape, a Markdown escape or a
zero-width space cannot hide a phone number from them. The patterns live in rules.yml, shared
with the "Share your story" page, which implements the same steps in JavaScript (a contract
test runs the fixture table through both). Matching uses RE2: time linear in the text,
whatever the text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import phonenumbers
import re2
from stdnum import iban as iban_number
from stdnum import luhn

from kbgen.fast_yaml import safe_load
from kbgen.stories.normalise import Normalised, normalise

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

BLOCKING = {"personal data", "spam", "unsafe content", "too long"}
"""Findings that keep a story off the site, whatever a trainer decided, until fixed."""

MAX_CHECKED_CHARS = 600_000
"""Story files are capped at 512 KB when loaded; text beyond this is never read, so it is never
published either (the story is held back with a finding instead)."""


@dataclass(frozen=True, order=True)
class Finding:
    field: str  # the story field it is in: title, author, outcome, lesson, body…
    start: int  # position in that field's text as written
    category: str  # personal data, spam, unsafe content
    what: str
    fix: str
    excerpt: str = ""  # the text found, normalised and in lower case (never shown)
    end: int = -1  # where it ends in that field's text (-1: not known)

    @property
    def blocking(self) -> bool:
        return self.category in BLOCKING

    @property
    def acceptable(self) -> bool:
        """Personal data a trainer may accept by name (a public helpline, a made-up name);
        spam, markup and length are never accepted."""
        return self.category in (PERSONAL, ACCEPTED)

    @property
    def key(self) -> str:
        """What a trainer's approval names when it accepts this finding (moderation.yml)."""
        text = f"{self.field}|{self.start}|{self.end}|{self.what}"
        return hashlib.sha256(text.encode()).hexdigest()[:12]


ACCEPTED = "accepted personal data"
"""A finding a trainer's approval named: shown, no longer blocking."""


@cache
def rules() -> dict:
    return safe_load((resources.files("kbgen.stories") / "rules.yml").read_text("utf-8"))


@cache
def _compiled(section: str, name: str) -> tuple[str, Any]:
    """A rule's view ("text" or "lower") and its RE2 pattern."""
    ((view, source),) = rules()[section][name].items()
    return view, re2.compile(source)


def _find(section: str, name: str, text: Normalised) -> Iterator[Any]:
    view, pattern = _compiled(section, name)
    return pattern.finditer(text.lower if view == "lower" else text.text)


@cache
def top_level_domains() -> frozenset[str]:
    """Every top-level domain, from the public part of the Public Suffix List that
    `tldextract` ships (offline). The file is read directly: importing `tldextract` would
    import `requests` too, a tenth of a second on every build."""
    spec = importlib.util.find_spec("tldextract")
    assert spec is not None and spec.origin is not None, "tldextract is a dependency"
    snapshot = Path(spec.origin).parent / ".tld_set_snapshot"
    public = snapshot.read_text(encoding="utf-8").split(PRIVATE_DOMAINS, 1)[0]
    rules = (line.strip() for line in public.splitlines() if not line.startswith("//"))
    last = {rule.lstrip("!*.").rsplit(".", 1)[-1] for rule in rules if rule} | RESERVED_TLDS
    return frozenset(t for t in last if t.isascii() and t.isalpha())


PRIVATE_DOMAINS = "// ===BEGIN PRIVATE DOMAINS==="


RESERVED_TLDS = {"example", "test", "invalid", "localhost", "local", "onion"}
"""Reserved names (RFC 2606, 6761): not in the public list, still read as addresses."""


def rules_for_browser() -> dict:
    """Everything the "Share your story" page's copy of the checks needs: the rules, the
    top-level domains and the look-alike letters, so both read the same tables."""
    from kbgen.stories.normalise import look_alikes

    return {
        **rules(),
        "top_level_domains": sorted(top_level_domains()),
        "look_alikes": look_alikes(),
    }


def _words(name: str) -> frozenset[str]:
    value = rules()
    for part in name.split("."):
        value = value[part]
    return frozenset(str(value).split())


def check_fields(fields: Mapping[str, str]) -> list[Finding]:
    """Every finding in a story's published fields ({field: text as a reader sees it})."""
    found: list[Finding] = []
    readable: list[str] = []
    for field, raw in fields.items():
        if len(raw) > MAX_CHECKED_CHARS:
            found.append(
                Finding(
                    field,
                    MAX_CHECKED_CHARS,
                    "unsafe content",
                    f"the {field} is longer than a story can be",
                    "shorten it to what happened on the call",
                )
            )
            raw = raw[:MAX_CHECKED_CHARS]
        text = normalise(raw)
        found += [
            Finding(
                field,
                text.span(start, end)[0],
                category,
                what,
                fix,
                text.lower[start:end],
                text.span(start, end)[1],
            )
            for start, end, category, what, fix in _findings(text)
        ]
        if field in READ_AS_THE_STORY:
            readable.append(text.lower)
    found += recognised(fields, found)
    found += _not_about_a_call(" ".join(readable))
    return sorted(set(found))


def recognised(fields: Mapping[str, str], found: list[Finding]) -> list[Finding]:
    """What the recognisers (recognisers.py) find that the rules above did not: in each field,
    and across every two fields a page can show side by side ("Rang back on 07700" as the
    title, "900 136 was the right number" as the lesson)."""
    from kbgen.stories.recognisers import held_findings

    return held_findings(
        {f: raw[:MAX_CHECKED_CHARS] for f, raw in fields.items()},
        [(f.field, f.start, f.end) for f in found if f.category == PERSONAL],
    )


READ_AS_THE_STORY = ("title", "outcome", "lesson", "body")
"""The fields that tell what happened (the author's handle and a commenter's do not)."""


def check_text(text: str) -> list[Finding]:
    """The findings in one piece of text, as if it were a story's body."""
    return check_fields({"body": text})


Hit = tuple[int, int, str, str, str]  # start, end, category, what, fix


def _findings(text: Normalised) -> list[Hit]:
    hits = _personal_data(text) + _spam(text) + _unsafe(text)
    # one finding per place: an e-mail address is not also a link, a card not also a phone
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[Hit] = []
    covered = -1  # the furthest end of a kept hit: every kept hit starts before this one
    covered_by: dict[str, int] = {}
    shown: Counter[str] = Counter()
    for hit in hits:
        start, end, category = hit[0], hit[1], hit[2]
        if end <= covered or start < covered_by.get(category, -1):
            continue
        covered, covered_by[category] = max(covered, end), end
        shown[category] += 1
        if shown[category] <= MAX_FINDINGS_SHOWN:  # enough to act on; the rest is noise
            kept.append(hit)
    return kept


MAX_FINDINGS_SHOWN = 10
"""Findings of one kind reported per field: a pasted page of addresses needs no 5,000 lines."""


PERSONAL = "personal data"


def _personal_data(text: Normalised) -> list[Hit]:
    rule = rules()["personal_data"]
    hits: list[Hit] = []
    for name in ("email", "email_spelled"):
        for m in _find("personal_data", name, text):
            hits.append(
                (
                    m.start(),
                    m.end(),
                    PERSONAL,
                    f"an e-mail address ({masked(m.group())})",
                    "remove it; write 'the customer's e-mail' instead",
                )
            )
    _, harmless = _compiled("personal_data", "harmless_number")
    for m in _find("personal_data", "number_run", text):
        digits = "".join(c for c in m.group() if c.isdigit())
        if len(digits) < rule["long_number_digits"] or harmless.search(m.group().strip()):
            continue
        hits.append((m.start(), m.end(), PERSONAL, *_describe_number(m.group(), digits)))
    for m in _find("personal_data", "labelled_number", text):
        value = m.group(1)
        digits = sum(c.isdigit() for c in value)
        if digits >= rule["labelled_min_digits"] and not harmless.search(value):
            hits.append(
                (
                    m.start(),
                    m.end(),
                    PERSONAL,
                    f"an account, order or reference number ({masked(value)})",
                    "remove the number; 'their order' is enough",
                )
            )
    for m in _find("personal_data", "iban", text):
        if iban_number.is_valid(m.group()):
            hits.append(
                (
                    m.start(),
                    m.end(),
                    PERSONAL,
                    "a bank account number (IBAN)",
                    "remove it; never copy bank details",
                )
            )
    for name, what in (("ssn", "a social security number"), ("ni_number", "an ID number")):
        for m in _find("personal_data", name, text):
            hits.append((m.start(), m.end(), PERSONAL, what, "remove it; never copy ID numbers"))
    for m in _find("personal_data", "number_words", text):
        if _spoken_digits(m.group()) >= rule["number_word_digits"]:
            hits.append(
                (
                    m.start(),
                    m.end(),
                    PERSONAL,
                    "a number read out in words",
                    "remove it; write 'the customer's number' instead",
                )
            )
    for name, what in (
        ("name_with_title", "a person's name ({})"),
        ("name_introduced", "a person's name ({})"),
        ("street", "a street address ({})"),
        ("postcode_uk", "a postcode ({})"),
        ("zip_us", "a postal address ({})"),
    ):
        for m in _find("personal_data", name, text):
            hits.append(
                (
                    m.start(),
                    m.end(),
                    PERSONAL,
                    what.format(masked(m.group())),
                    "remove it; 'the customer' or 'their address' is enough",
                )
            )
    return hits


def _describe_number(raw: str, digits: str) -> tuple[str, str]:
    if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
        return "a payment card number", "remove it; never copy card details"
    if _possible_phone(raw):
        return f"a phone number ({masked(raw.strip())})", (
            "remove it; write 'the customer's number' instead"
        )
    return f"a long number ({masked(digits)}): an account, phone or ID number?", (
        "remove it; a story never needs the customer's numbers"
    )


def _possible_phone(raw: str) -> bool:
    for region in rules()["personal_data"].get("phone_regions", ["GB", "US"]):
        try:
            if phonenumbers.is_possible_number(phonenumbers.parse(raw, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


SPOKEN = {
    "zero": 1, "oh": 1, "nought": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1,
    "six": 1, "seven": 1, "eight": 1, "nine": 1, "double": 1, "triple": 2,
}  # fmt: skip
"""Digits each word adds: "double five" is two digits, "double" adding one to "five"."""


def _spoken_digits(run: str) -> int:
    return sum(SPOKEN.get(word, 0) for word in _LETTERS.findall(run))


def _spam(text: Normalised) -> list[Hit]:
    hits: list[Hit] = []
    link_fix = "remove it: stories are read inside the handbook"
    for name in ("link", "domain_spelled"):
        for m in _find("spam", name, text):
            hits.append((m.start(), m.end(), "spam", f"a web address ({m.group()})", link_fix))
    tlds, word_tlds = top_level_domains(), _words("word_tlds")
    for m in _find("spam", "domain", text):
        tld, name = m.group(1), m.group()
        looks_typed = tld in word_tlds and not any(c.isdigit() or c == "-" for c in name)
        if tld in tlds and not looks_typed:
            hits.append((m.start(), m.end(), "spam", f"a web address ({name})", link_fix))
    for m in _find("spam", "promotion", text):
        hits.append(
            (
                m.start(),
                m.end(),
                "spam",
                f"promotional text ('{m.group()}')",
                "a story tells what happened on a call, not about a site or product",
            )
        )
    return hits


# Plain runs of letters: linear in Python's own engine, and far cheaper per match than RE2's
# wrapper (the rules' patterns, which could backtrack, stay on RE2)
_LETTERS = re.compile(r"[a-z]+")
_WORDS = re.compile(r"[a-z']+")


def _not_about_a_call(readable: str) -> list[Finding]:
    """Spam reads like anything but a call: too few words, or too few about a call."""
    spam = rules()["spam"]
    words = _WORDS.findall(readable)
    stems = _words("spam.call_words")
    lengths = sorted({len(s) for s in stems})
    needed = spam["min_call_words"]
    if len(words) >= spam["min_words"]:
        about_a_call = (w for w in words if any(w[:n] in stems for n in lengths if n <= len(w)))
        if len(list(islice(about_a_call, needed))) >= needed:
            return []  # counted only as far as the rule needs
    return [
        Finding(
            "body",
            0,
            "spam",
            "this does not tell what happened on a call",
            "say what the customer said, what you did and how it ended",
        )
    ]


def _unsafe(text: Normalised) -> list[Hit]:
    hits: list[Hit] = []
    for name, what in (
        ("html_tag", "HTML markup"),
        ("event_handler", "an HTML event handler"),
        ("script_url", "a script link"),
    ):
        for m in _find("unsafe", name, text):
            hits.append(
                (
                    m.start(),
                    m.end(),
                    "unsafe content",
                    f"{what} ({m.group()[:40]})",
                    "remove it: a story is plain text; markup is never shown as markup",
                )
            )
    return hits


def masked(value: str) -> str:
    """Enough to recognise a finding, not enough to leak it again in a report."""
    value = value.strip()
    return value[:3] + "…" if len(value) > 4 else "…"


@cache
def _profane() -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    return (
        _words("profanity.words"),
        tuple(sorted(_words("profanity.endings"), key=len, reverse=True)),
        _words("profanity.allowed"),
    )


def is_profane(word: str) -> bool:
    """A swear word, or one with an ending ("fucking"); never a word that merely contains one
    ("prickly", "Scunthorpe")."""
    stems, endings, allowed = _profane()
    word = word.lower()
    if word in allowed:
        return False
    if word in stems:
        return True
    return any(word.endswith(e) and word[: -len(e)] in stems for e in endings)


def mask_profanity(text: str, star: str = "*") -> str:
    """See `_mask_profanity`; a line shown on many pages is masked once."""
    if len(text) <= 1000:
        return _mask_profanity_line(text, star)
    return _mask_profanity(text, star)


@lru_cache(maxsize=8192)
def _mask_profanity_line(text: str, star: str) -> str:
    return _mask_profanity(text, star)


def _mask_profanity(text: str, star: str = "*") -> str:
    """'fucking' becomes 'f******': the quote keeps its force, the page stays printable. Words
    are read normalised (`ｆｕｃｋ`, `f​uck`); `star` lets Markdown callers escape it."""
    view = normalise(text)
    spans = []
    for m in _LETTERS.finditer(view.lower):
        if is_profane(m.group()):
            spans.append(view.span(m.start(), m.end()))
    if not spans:
        return text
    parts, cursor = [], 0
    for start, end in spans:
        parts.append(text[cursor:start])
        word = text[start:end]
        first = next((c for c in word if c.isalnum()), word[:1])
        letters = sum(1 for c in word if c.isalnum())
        parts.append(first + star * max(letters - 1, 0))
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)
