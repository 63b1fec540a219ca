"""Recognisers of personal data, each a small function over one normal form (reading.py):
numbers whatever separates their digits, checksummed identifiers (python-stdnum), names with a
title or a relation, full names, addresses and postcodes, dates of birth, e-mail addresses
written out, and text hidden in base64.

Each returns `Hit`s (span in the reading, what it is, the fix). What a recogniser cannot rule
out it reports: the story is held, and a trainer who knows better approves it naming the
finding (`kbgen stories approve ID --accept-finding N`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from typing import TYPE_CHECKING

from stdnum import iban as iban_number
from stdnum import luhn
from stdnum.in_ import pan as india_pan
from stdnum.it import codicefiscale
from stdnum.us import ssn as us_ssn

from kbgen.fast_yaml import safe_load

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from kbgen.stories.checks import Finding
    from kbgen.stories.reading import Reading


@dataclass(frozen=True)
class Hit:
    start: int  # in the reading
    end: int
    what: str
    fix: str


LONG_NUMBER_DIGITS = 7
"""Digits in one number, whatever separates them, from which it may be a phone, card, account
or ID number: the README's rule, kept with every separator there is."""

FIX_NUMBER = "remove it; a story never needs the customer's numbers"
FIX_NAME = "remove the name; 'the customer' or 'my colleague' is enough"
FIX_ADDRESS = "remove it; 'the customer's address' is enough"
FIX_EMAIL = "remove it; write 'the customer's e-mail' instead"


@cache
def tables() -> dict[str, frozenset[str] | str]:
    data = safe_load((resources.files("kbgen.stories") / "recognisers.yml").read_text("utf-8"))
    return {
        key: value
        if key == "relation_leads"
        else frozenset(value if isinstance(value, list) else str(value).split())
        for key, value in data.items()
    }


def words(name: str) -> frozenset[str]:
    found = tables()[name]
    assert isinstance(found, frozenset)
    return found


def recognise(reading: Reading) -> list[Hit]:
    """Every recogniser's hits in one text."""
    hits: list[Hit] = []
    for recogniser in RECOGNISERS:
        hits += recogniser(reading)
    return hits


# --- numbers -------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d(?:[\W_]{0,12}\d)*")
"""Digits and whatever non-letters separate them: emoji, bullets, pipes, commas, newlines."""

_HARMLESS = re.compile(
    r"[£$€¥₹]\s?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"  # money: £1,299.99
    r"|[£$€¥₹]\s?\d+(?:\.\d{1,2})?"  # £45.50
    r"|\d+(?:\.\d+)?\s?%"  # 12.5%
    r"|\b(?:19|20)\d{2}\s?[-–/]\s?(?:19|20)?\d{2}\b"  # 2019-2023, 2025/26
    r"|\b\d{4}-\d{1,2}-\d{1,2}\b"  # 2026-11-05
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"  # 05/11/2026
    r"|\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\b"  # 10:30
    r"|\b(?:10|192\.168|172\.(?:1[6-9]|2\d|3[01]))(?:\.\d{1,3}){2,3}\b"  # a private address
)


def _harmless(match: re.Match[str]) -> bool:
    """A date, a time, a year, a price or a percentage: a number not about a person."""
    text = match.group()
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})", text):
        first, second = (int(p) for p in re.split(r"[/.-]", text)[:2])
        return 1 <= first <= 31 and 1 <= second <= 31 and min(first, second) <= 12
    if re.fullmatch(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?", text):
        hours, minutes = (int(p) for p in re.split(r"[:.]", text)[:2])
        return hours <= 24 and minutes <= 59
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return 1 <= int(text[5:].split("-")[0]) <= 12
    return True


def _unless_harmless(match: re.Match[str], context: str) -> str:
    """ "" for a harmless match not glued to other digits ("07700%900123" is no percentage and
    "07700$900123" no price, whatever their parts look like), else the match as it is."""
    text = match.group()
    money = any(c in text for c in "%$£€¥₹") or unicodedata.category(text[0]) == "Sc"
    before = context[: match.start()].rstrip(_GLUE)[-1:]
    after = context[match.end() :].lstrip(_GLUE)[:1]
    glued = money and (before.isdigit() or after.isdigit())  # times run on: "10:30-11:15"
    return "" if _harmless(match) and not glued else text


_GLUE = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
"""Signs between digits that keep them one number ("07700:$900123"); a space or a letter
ends it."""


def long_numbers(reading: Reading) -> list[Hit]:
    hits = []
    for match in _NUMBER.finditer(reading.text):
        run = match.group()
        if sum(c.isdigit() for c in run) < LONG_NUMBER_DIGITS:
            continue
        # a price or a date keeps its currency sign or its place in the text: read it there
        start = max(match.start() - 1, 0)
        context = reading.text[start : match.end()]
        kept = _HARMLESS.sub(partial(_unless_harmless, context=context), context)
        digits = "".join(c for c in kept if c.isdigit())
        if len(digits) < LONG_NUMBER_DIGITS:
            continue
        hits.append(Hit(match.start(), match.end(), describe_number(digits), FIX_NUMBER))
    return hits


def describe_number(digits: str) -> str:
    if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
        return "a payment card number"
    if len(digits) == 9 and us_ssn.is_valid(digits):
        return "a number shaped like a social security number"
    if digits.startswith(("07", "447", "01", "02", "03", "08", "1")) and 10 <= len(digits) <= 13:
        return "a phone number"
    return f"a long number ({len(digits)} digits): an account, phone or ID number?"


# --- identifiers ---------------------------------------------------------------------------

_IBAN = re.compile(r"\b[a-z]{2}\d{2}(?:[\W_]{0,2}[a-z0-9]{1,4}){3,8}")
_NINO = re.compile(r"\b[a-z]{2}[\W_]{0,3}\d{2}[\W_]{0,3}\d{2}[\W_]{0,3}\d{2}[\W_]{0,3}[a-d]\b")
_TOKEN_START = r"(?<![a-z0-9._%+'/-])"
"""Matches start where a token starts: a pattern that could start inside one would retry at
every character of a long token (quadratic time)."""
_CODE = re.compile(
    _TOKEN_START + r"(?=[a-z0-9./-]*\d)(?=[a-z0-9./-]*[a-z])[a-z0-9]+(?:[-./][a-z0-9]+)*\b"
)
"""A token of letters and digits: "ORD-99812-XZ", "C01X00T47", "MORGA753116SM9IJ"."""
_AMOUNT = re.compile(
    r"(?:r|rs|rp|kr|zar|inr|usd|gbp|eur|aud|cad|nzd|chf|sek|nok|dkk|pln)\d+(?:k|m|bn)?"
)
_HASH_NUMBER = re.compile(r"#\s?\d{4,}")
_LABEL = re.compile(
    r"\b(?:passport|licen[cs]e|driving|driver'?s|national insurance|ni|nino|social security|"
    r"ssn|sin|sort code|account|acct|iban|bic|swift|pin|aadhaar|pan|dni|nie|nif|"
    r"codice fiscale|tax code|tax id|tin|nhs|member(?:ship)?|policy|order|booking|ref|"
    r"reference|tracking|ticket|case|invoice|card|id|serial|customer)\b"
    r"(?:\s(?:no|number|num|code|ref|id))?\.?(?:\s(?:is|was|of|number))?[\s:#.\-]{0,3}"
    r"([a-z]{0,6}[\s\-#]?\d(?:[\W_]{0,3}\d)*(?:[\s-]?[a-z0-9]{1,6}\b)?)"
)


def identifiers(reading: Reading) -> list[Hit]:
    text = reading.text
    hits = []
    for match in _IBAN.finditer(text):
        compact = re.sub(r"[\W_]", "", match.group()).upper()
        if iban_number.is_valid(compact):
            hits.append(Hit(match.start(), match.end(), "a bank account number (IBAN)", FIX_ID))
    for match in _NINO.finditer(text):
        hits.append(Hit(match.start(), match.end(), "a National Insurance number", FIX_ID))
    for match in _CODE.finditer(text):
        code = match.group()
        digits = sum(c.isdigit() for c in code)
        letters = sum(c.isalpha() for c in code)
        compact = re.sub(r"[-./]", "", code).upper()
        if _AMOUNT.fullmatch(code):
            continue  # R10000, Rs 5000: an amount of money
        if letters and (
            digits >= 5
            or (len(compact) == 10 and india_pan.is_valid(compact))
            or (len(compact) == 16 and codicefiscale.is_valid(compact))
        ):
            hits.append(Hit(match.start(), match.end(), "a reference or ID code", FIX_ID))
    for match in _HASH_NUMBER.finditer(text):
        hits.append(Hit(match.start(), match.end(), "an order or reference number", FIX_ID))
    for match in _LABEL.finditer(text):
        value = match.group(1)
        if sum(c.isdigit() for c in value) >= LABELLED_DIGITS and not _only_harmless(value):
            hits.append(Hit(match.start(), match.end(), "a number labelled as someone's", FIX_ID))
    return hits


FIX_ID = "remove it; never copy account, card or ID numbers"
LABELLED_DIGITS = 4
"""Digits in a value after a label ("sort code", "passport") that make it someone's number."""


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _only_harmless(value: str) -> bool:
    """A labelled value that is a date, a year ("policy 2024"), a time or a price."""
    kept = _HARMLESS.sub(lambda m: "" if _harmless(m) else m.group(), value)
    kept = _YEAR.sub("", kept)
    return sum(c.isdigit() for c in kept) < LABELLED_DIGITS


_BIRTH = re.compile(
    r"\b(?:born|dob|d\.o\.b\.?|date of birth|birth ?date|birthday|b'?day|geboren|née?)\b"
    r"[^.;\n]{0,20}?"
    r"(\d{1,4}[\W_]{1,2}\d{1,2}[\W_]{1,2}\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?(?: of)? [a-z]{3,9},? \d{2,4}"
    r"|[a-z]{3,9} \d{1,2}(?:st|nd|rd|th)?,? \d{4}"
    r"|(?:19|20)\d{2})"
)


def birth_dates(reading: Reading) -> list[Hit]:
    return [
        Hit(m.start(), m.end(), "a date of birth", "remove it; never copy dates of birth")
        for m in _BIRTH.finditer(reading.text)
    ]


# --- names ---------------------------------------------------------------------------------

_WORD = r"[^\W\d_][\w']*"


@cache
def _title_pattern() -> re.Pattern[str]:
    titles = sorted(words("honorifics") | words("honorifics_capitalised"), key=len, reverse=True)
    return re.compile(
        rf"(?<![\w'])({'|'.join(map(re.escape, titles))})(?:\.\s*|\s+)({_WORD})(?:\s+({_WORD}))?"
    )


def names(reading: Reading) -> list[Hit]:
    text, cased = reading.text, reading.cased
    hits = []
    stop = words("not_names")
    for match in _title_pattern().finditer(text):
        title, name, second = match.group(1), match.group(2), match.group(3)
        capital = cased[match.start(2)].isupper()
        if title in words("honorifics_capitalised") and not capital:
            continue
        if name in stop or (len(name) < 2 and not (second and second not in stop)):
            continue
        hits.append(Hit(match.start(), match.end(2), "a person's name with a title", FIX_NAME))
    # capitals tell a name from a word, except in a Title Case line ("When Your Manager Calls")
    capitals_tell = not _title_case(cased)
    given = words("given_names")
    for match in _relation_pattern().finditer(text):
        name = match.group(2)
        if name in stop:
            continue
        introduced = match.group(1) is not None  # "my name is", "called herself"
        capital = cased[match.start(2)].isupper() and (capitals_tell or name in given)
        if introduced or capital:
            hits.append(Hit(match.start(), match.end(), "a person's name", FIX_NAME))
    public = words("public_names")
    for match in _CAPITALISED_PAIR.finditer(cased):
        first, last = match.group(1).casefold(), match.group(2).casefold()
        if last.rstrip(".") in stop or first in stop or f"{first} {last}" in public:
            continue
        initial = last.endswith(".") and capitals_tell
        if first in given or initial:
            hits.append(Hit(match.start(), match.end(), "a person's full name", FIX_NAME))
    return hits


def _title_case(cased: str) -> bool:
    """Most words start with a capital: capitals say nothing about names here."""
    found = re.findall(r"[^\W\d_]+", cased)
    return len(found) >= 3 and sum(w[0].isupper() for w in found) >= 0.6 * len(found)


_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z'\-]+(?:-[A-Z][a-z]+)?)\s([A-Z](?:[\w'\-]+|\.))")


@cache
def _relation_pattern() -> re.Pattern[str]:
    relations = "|".join(sorted(map(re.escape, words("relations")), key=len, reverse=True))
    leads = tables()["relation_leads"]
    return re.compile(rf"\b(?:({leads})|{relations})\s+({_WORD})")


# --- addresses -----------------------------------------------------------------------------


ADDRESS_PATTERNS = (
    # "14 Acacia Avenue", "38 mill lane": a house number, one to three words, a street word
    (r"\b\d{1,5}[a-z]?,?\s+((?:WORD\s+){1,3})(?:SUFFIX)\b", "street"),
    # "12 rue de la Paix", "8 avenue Victor Hugo"
    (r"\b\d{1,4}(?:\s?(?:bis|ter|[a-z]))?,?\s+(?:PREFIX)\.?\s+WORD", "street"),
    # "Calle Mayor 12", "Via Roma 10", "ul. Długa 5" (the name capitalised: "via email 10")
    (r"\b(?:PREFIX)\.?\s+((?:WORD\s+){1,5})\d{1,4}[a-z]?\b", "street ahead"),
    # "Hauptstraße 5", "Keizersgracht 100"
    (r"\b[^\W\d_]+(?:ENDING)\.?\s+\d{1,4}[a-z]?\b", "street"),
    (r"\b(?:flat|apartment|apt|unit|suite|po box|p\.o\. box)\s+\d{1,5}[a-z]?\b", "street"),
    # postcodes: UK, Canada, Ireland (Eircode), US after a state, Australia, India
    (r"\b[a-z]{1,2}\d[a-z\d]?[\W_]{0,3}\d[abd-hjlnp-uw-z]{2}\b", "postcode"),
    (r"\b[abceghj-nprstvxy]\d[abceghj-nprstv-z][\W_]{0,2}\d[abceghj-nprstv-z]\d\b", "postcode"),
    (
        r"\b(?:[acdefhknprtvwxy]\d{2}|d6w)[\W_]{0,2}"
        r"(?=[0-9acdefhknprtvwxy]{0,3}\d)[0-9acdefhknprtvwxy]{4}\b",
        "postcode",
    ),
    (r",\s*(?:US_STATE)\.?\s+\d{5}(?:-\d{4})?\b", "postcode"),
    (r"\b(?:AU_STATE)\s+\d{4}\b", "postcode"),
    (r"\b(?:INDIAN_CITY)\W{0,3}\d{3}\s?\d{3}\b", "postcode"),
    (
        r"\b(?:post ?code|postal code|zip(?: ?code)?|eircode|pin ?code|pincode|plz|cap|cp)\b"
        r"(?:\s+is)?[\s:#.\-]{0,3}[a-z0-9]{0,4}\d",
        "postcode",
    ),
)
"""Patterns over the reading; the capital words stand for the tables in recognisers.yml."""


@cache
def _address_patterns() -> list[tuple[re.Pattern[str], str]]:
    def alternatives(name: str) -> str:
        return "|".join(sorted(map(re.escape, words(name)), key=len, reverse=True))

    names = {
        "WORD": _WORD,
        "SUFFIX": alternatives("street_suffixes"),
        "PREFIX": alternatives("street_prefixes"),
        "ENDING": alternatives("street_endings"),
        "US_STATE": alternatives("us_states"),
        "AU_STATE": alternatives("australian_states"),
        "INDIAN_CITY": alternatives("indian_cities"),
    }
    placeholder = re.compile("|".join(names))
    return [
        (re.compile(placeholder.sub(lambda m: names[m.group()], source)), kind)
        for source, kind in ADDRESS_PATTERNS
    ]


_CITY_AFTER_CODE = re.compile(
    r"\b(?:\d{5}|\d{2}-\d{3}|\d{4}\s?[A-Z]{2})\s+[A-ZÀ-ÝŁŚŻŹ][a-zà-ÿßłśżźąęóńć]+"
)
_US_STATE_ZIP = re.compile(
    r"\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|"
    r"NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),?\s\d{5}\b"
)


def addresses(reading: Reading) -> list[Hit]:
    hits = []
    stop, units = words("not_names"), words("units")
    for pattern, kind in _address_patterns():
        for match in pattern.finditer(reading.text):
            if kind.startswith("street") and match.lastindex:
                between = match.group(1).split()
                if any(w in stop or w in units for w in between):
                    continue
                if kind == "street ahead" and not reading.cased[match.start(1)].isupper():
                    continue
            what = "a postcode" if kind == "postcode" else "a street address"
            hits.append(Hit(match.start(), match.end(), what, FIX_ADDRESS))
    for pattern in (_CITY_AFTER_CODE, _US_STATE_ZIP):
        for match in pattern.finditer(reading.cased):
            hits.append(Hit(match.start(), match.end(), "a postcode and town", FIX_ADDRESS))
    return hits


# --- e-mail addresses and handles ----------------------------------------------------------


@cache
def _email_patterns() -> list[re.Pattern[str]]:
    providers = "|".join(sorted(map(re.escape, words("mail_providers")), key=len, reverse=True))
    return [
        re.compile(rf"{_TOKEN_START}[a-z0-9._%+'-]+@[a-z0-9-]+"),
        re.compile(
            rf"{_TOKEN_START}[a-z0-9._%+'-]+\s{{1,3}}@\s{{1,3}}[a-z0-9-]+\s{{0,3}}\.\s{{0,3}}[a-z]{{2,}}"
        ),
        re.compile(rf"{_TOKEN_START}[a-z0-9._'-]+\s{{1,3}}at\s{{1,3}}(?:{providers})\b"),
        re.compile(r"\b[a-z0-9]+\s{1,3}dot\s{1,3}[a-z0-9]+\s{1,3}(?:at|@)\s{1,3}[a-z0-9]+"),
        re.compile(
            rf"{_TOKEN_START}[a-z0-9._'-]+\s{{1,3}}at\s{{1,3}}[a-z0-9-]+\s{{1,3}}dot\s{{1,3}}[a-z]{{2,}}\b"
        ),
    ]


_HANDLE = re.compile(r"(?<![\w.@])@[a-z0-9_]{3,30}")


def emails(reading: Reading) -> list[Hit]:
    hits = [
        Hit(m.start(), m.end(), "an e-mail address, written out", FIX_EMAIL)
        for pattern in _email_patterns()
        for m in pattern.finditer(reading.text)
    ]
    hits += [
        Hit(m.start(), m.end(), "a social media handle", "remove it; a story needs no handles")
        for m in _HANDLE.finditer(reading.text)
    ]
    return hits


def encoded(reading: Reading) -> list[Hit]:
    return [
        Hit(start, end, "text hidden in base64", "remove it: a story is plain words")
        for start, end in reading.encoded
    ]


RECOGNISERS: tuple[Callable[[Reading], list[Hit]], ...] = (
    long_numbers,
    identifiers,
    birth_dates,
    names,
    addresses,
    emails,
    encoded,
)


def spans(hits: list[Hit]) -> Iterator[Hit]:
    """One hit per place: the longest of those that overlap."""
    kept_end = -1
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if hit.start >= kept_end:
            kept_end = hit.end
            yield hit


# --- a story's fields ----------------------------------------------------------------------

JOINED_CHARS = 80
"""How much of each of two fields side by side is read joined: enough for any number."""

MAX_FINDINGS_PER_FIELD = 10


def held_findings(fields: dict[str, str], known: list[tuple[str, int, int]]) -> list[Finding]:
    """Findings for every field's hits and for hits across two fields, except where a finding
    in `known` (field, start, end) already covers the place."""
    from kbgen.stories.checks import PERSONAL, Finding, masked
    from kbgen.stories.reading import read

    covered = {(field, start, end) for field, start, end in known}
    found: list[Finding] = []
    for field, raw in fields.items():
        reading = read(raw)
        hits = recognise(reading)
        for hit in list(spans(hits))[:MAX_FINDINGS_PER_FIELD]:
            start, end = reading.span(hit.start, hit.end)
            if any(f == field and s < end and start < max(e, s + 1) for f, s, e in covered):
                continue
            excerpt = reading.text[hit.start : hit.end]
            what = f"{hit.what} ({masked(raw[start:end])})"
            found.append(Finding(field, start, PERSONAL, what, hit.fix, excerpt, end))
    found += _across_fields(fields)
    return found


def _across_fields(fields: dict[str, str]) -> list[Finding]:
    """Hits that only exist when two fields are read one after the other."""
    from kbgen.stories.checks import PERSONAL, Finding
    from kbgen.stories.reading import read

    found: list[Finding] = []
    for first, before in fields.items():
        for second, after in fields.items():
            if first == second or not before.strip() or not after.strip():
                continue
            tail, head = before[-JOINED_CHARS:], after[:JOINED_CHARS]
            lines = read(f"{tail}\n{head}")
            # a number's halves are read glued: the line break would end a time or a date
            # ("…at 2:19" then "0999 99…") and leave too few digits to count
            glued = read(f"{tail}{head}")
            placed = []  # (start, end) in the glued text, the reading, the hit
            for reading, found_here in (
                (glued, long_numbers(glued)),
                (lines, identifiers(lines) + emails(lines)),
            ):
                for hit in found_here:
                    start, end = reading.span(hit.start, hit.end)
                    placed.append((start, end - (reading is lines), reading, hit))
            kept_end = -1
            for start, end, reading, hit in sorted(placed, key=lambda p: (p[0], p[0] - p[1])):
                if start < kept_end:
                    continue  # one finding per place: the longest of those that overlap
                kept_end = end
                if start < len(tail) < end:
                    offset = len(before) - len(tail)
                    what = f"{hit.what}, split between the {first} and the {second}"
                    found.append(
                        Finding(
                            first,
                            offset + start,
                            PERSONAL,
                            what,
                            f"{hit.fix}, from both fields",
                            reading.text[hit.start : hit.end],
                            len(before),
                        )
                    )
    return found
