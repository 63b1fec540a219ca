"""One normal form for personal-data recognisers: the text as a person would read it aloud.

`normalise()` (normalise.py) undoes what changes how text looks; this goes on to what changes
how it is *written* but not what it says, so that a recogniser sees one spelling of each thing:

- HTML entities of every name (`&commat;`), percent-encoding (`%40`) and base64 tokens that
  decode to readable text are decoded (and a base64 token is remembered: a story never needs
  one);
- combining marks are dropped (`0̲7̲7̲`), blank letters (Hangul fillers, the braille blank) read
  as spaces, every script's decimal digits as ASCII digits (`٠٧٧`, `०७७`), typographic
  apostrophes as `'` and dot-like signs (`·`, `•`, `。`) as `.`;
- the text is case-folded; spoken digits become digits ("oh double seven", "nine hundred"),
  and so do letters standing for digits inside a number (`O77OO`).

Each character of the result remembers the original character it came from, so a finding is
placed, and highlighted, in the text as written.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

from kbgen.stories.normalise import Normalised, look_alikes, normalise

BLANK_LETTERS = {"\u3164", "\u1160", "\u115f", "\uffa0", "\u2800", "\u180e", "\u2028", "\u2029"}
"""Characters that print as nothing or a space but are not classed as spaces."""

APOSTROPHES = set("\u2019\u2018\u02bc\u2032\u00b4\u0060\u02b9\u02bb\u02bd\uff07\u201b")
DOTS = set("\u00b7\u2022\u2219\u2027\u2024\u22c5\u30fb\u3002\uff61\u2e31\u16eb\u0387")
COMBINING = {"Mn", "Me", "Mc"}


@dataclass(frozen=True)
class Reading:
    """`text`: the normal form (case-folded); `cased`: the same before case folding;
    `origin[i]`: the index in the original text of `text[i]`; `encoded`: spans of `text`
    decoded from base64."""

    text: str
    cased: str
    origin: tuple[int, ...]
    original: str
    encoded: tuple[tuple[int, int], ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span behind [start, end) of the reading."""
        if start >= end or not self.origin:
            return (start, start)
        return (self.origin[start], self.origin[end - 1] + 1)


def read(text: str) -> Reading:
    """See the module docstring; short texts (a title, a lesson) are remembered."""
    return _read_line(text) if len(text) <= 1000 else _read(text)


@lru_cache(maxsize=8192)
def _read_line(text: str) -> Reading:
    return _read(text)


def _read(text: str) -> Reading:
    seen = normalise(_digits_and_signs(text))
    chars, where = _decoded(seen)
    encoded: list[tuple[int, int]] = []
    chars, where, encoded = _base64(chars, where)
    cased, origin = _folded_characters(chars, where)
    folded = cased.lower() if cased.isascii() else _casefolded(cased)
    folded, cased, origin = _spoken(folded, cased, origin)
    folded, cased, origin = _letter_digits(folded, cased, origin)
    return Reading(folded, cased, tuple(origin), text, tuple(encoded))


def _digits_and_signs(text: str) -> str:
    """Before `normalise`, whose look-alike table reads `०` as `o` and `×` as `x`: every
    script's digits as ASCII digits, and signs that imitate a letter as spaces (character for
    character, so positions stay)."""
    if text.isascii():
        return text
    table = look_alikes()
    out = []
    for character in text:
        if character.isascii():
            out.append(character)
        elif (digit := unicodedata.decimal(character, None)) is not None:
            out.append(str(digit))
        elif unicodedata.category(character)[0] in "PSZ" and table.get(character, "").isalnum():
            out.append(" ")
        else:
            out.append(character)
    return "".join(out)


def _casefolded(text: str) -> str:
    """Case folded character by character (a character that folds to two, like ß, stays)."""
    return "".join(c if len(c.casefold()) != 1 else c.casefold() for c in text)


def _decoded(seen: Normalised) -> tuple[str, list[int]]:
    """HTML entities `normalise` leaves (`&commat;`) and percent-encoding, decoded."""
    where = list(seen.origin) if seen.origin is not None else list(range(len(seen.text)))
    text = seen.text
    for pattern, replace in ((_ENTITY, _entity), (_PERCENT, _percent)):
        if pattern.search(text):
            text, where = _substitute(pattern, replace, text, where)
    return text, where


_ENTITY = re.compile(r"&[a-zA-Z][a-zA-Z0-9]{1,31};")
_PERCENT = re.compile(r"(?:%[0-9a-fA-F]{2})+")


def _entity(match: re.Match[str]) -> str:
    return html.unescape(match.group())


def _percent(match: re.Match[str]) -> str:
    """The text the escapes stand for, or the escapes as written where they stand for none
    ("07700%900123": %90 is no UTF-8)."""
    try:
        decoded = urllib.parse.unquote(match.group(), errors="strict")
    except UnicodeDecodeError:
        return match.group()
    return decoded if decoded.isprintable() else match.group()


_BASE64 = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=])")


def _base64(text: str, where: list[int]) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Base64 tokens that decode to readable text, decoded (spans remembered)."""
    parts: list[str] = []
    origin: list[int] = []
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _BASE64.finditer(text):
        decoded = _readable_base64(match.group())
        if decoded is None:
            continue
        parts.append(text[cursor : match.start()])
        origin += where[cursor : match.start()]
        start = sum(len(p) for p in parts)
        parts.append(f" {decoded} ")
        origin += [where[match.start()]] * (len(decoded) + 2)
        spans.append((start, start + len(decoded) + 2))
        cursor = match.end()
    if not spans:
        return text, where, []
    parts.append(text[cursor:])
    origin += where[cursor:]
    return "".join(parts), origin, spans


def _readable_base64(token: str) -> str | None:
    """The text a token decodes to, when it is a base64 of readable text: mostly letters,
    digits and spaces. Ordinary words are never valid base64 of such text."""
    if len(token) % 4 or token.isalpha() and (token.islower() or token.isupper()):
        return None  # a word in one case is never a base64 of text
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if len(decoded) < 4 or not decoded.isprintable():
        return None
    plain = sum(c.isalnum() or c in " .,@-_'" for c in decoded)
    return decoded if plain >= 0.9 * len(decoded) and any(c.isalpha() for c in decoded) else None


def _folded_characters(text: str, where: list[int]) -> tuple[str, list[int]]:
    """Per character: combining marks dropped, blanks as spaces, digits as ASCII digits,
    apostrophes and dots as ASCII."""
    if text.isascii():
        return text, where
    out: list[str] = []
    origin: list[int] = []
    for character, index in zip(text, where, strict=True):
        if character.isascii():
            out.append(character)
        elif unicodedata.category(character) in COMBINING:
            continue
        elif character in BLANK_LETTERS or character.isspace():
            out.append(" ")
        elif (digit := unicodedata.digit(character, None)) is not None:
            out.append(str(digit))
        elif character in APOSTROPHES:
            out.append("'")
        elif character in DOTS:
            out.append(".")
        else:
            out.append(character)
        origin.append(index)
    return "".join(out), origin


NUMBER_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "naught": "0", "nil": "0",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
    "eighty": "8", "ninety": "9",
}  # fmt: skip
TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
REPEATS = {"double": 2, "triple": 3, "treble": 3}
POWERS = {"hundred": "00", "thousand": "000"}

_NUMBER_TOKEN = re.compile(
    r"\b(?:"
    + "|".join(sorted([*NUMBER_WORDS, *REPEATS, *POWERS], key=len, reverse=True))
    + r")\b|\d+"
)
_NUMBER_GAP = re.compile(r"[^a-z0-9]{0,4}")


def _spoken(folded: str, cased: str, origin: list[int]) -> tuple[str, str, list[int]]:
    """Runs of two or more spoken digits ("oh seven seven", "nine hundred") as digits."""
    tokens = list(_NUMBER_TOKEN.finditer(folded))
    if not tokens:
        return folded, cased, origin
    runs: list[list[re.Match[str]]] = []
    for token in tokens:
        run = runs[-1] if runs else None
        if run and _NUMBER_GAP.fullmatch(folded, run[-1].end(), token.start()):
            run.append(token)
        else:
            runs.append([token])
    edits: list[tuple[int, int, str]] = []
    for run in runs:
        words = [t for t in run if not t.group().isdigit()]
        if len(words) < 2 and not (words and len(run) >= 2):
            continue
        edits += _spell(run)
    return _apply(edits, folded, cased, origin)


def _spell(run: list[re.Match[str]]) -> list[tuple[int, int, str]]:
    """(start, end, digits) for each word of a run of number words."""
    edits: list[tuple[int, int, str]] = []
    repeat = 1
    for i, token in enumerate(run):
        word = token.group()
        if word.isdigit():
            continue
        if word in REPEATS:
            repeat = REPEATS[word]
            edits.append((token.start(), token.end(), ""))
            continue
        if word in POWERS:
            previous = run[i - 1].group() if i else ""
            zeros = POWERS[word] if previous in NUMBER_WORDS or previous.isdigit() else ""
            edits.append((token.start(), token.end(), zeros))
            continue
        digits = NUMBER_WORDS[word]
        if word in TENS:
            following = run[i + 1].group() if i + 1 < len(run) else ""
            unit = NUMBER_WORDS.get(following, "")
            digits += "" if len(unit) == 1 and following not in {"oh", "o"} else "0"
        edits.append((token.start(), token.end(), digits * repeat))
        repeat = 1
    return edits


_LETTER_DIGITS = re.compile(r"\b(?=[0-9oli]{3,}\b)[0-9oli]*[0-9][0-9oli]*\b")


def _letter_digits(folded: str, cased: str, origin: list[int]) -> tuple[str, str, list[int]]:
    """`O77OO 9OO l57`: letters o, l and i inside a number read as the digits they imitate."""
    edits = [
        (m.start(), m.end(), m.group().translate(_AS_DIGITS))
        for m in _LETTER_DIGITS.finditer(folded)
        if not m.group().isdigit()
    ]
    return _apply(edits, folded, cased, origin)


_AS_DIGITS = str.maketrans("oli", "011")


def _apply(
    edits: list[tuple[int, int, str]], folded: str, cased: str, origin: list[int]
) -> tuple[str, str, list[int]]:
    """Replace [start, end) by new text in both views, keeping where each character came
    from (new characters come from the replaced span's first character)."""
    if not edits:
        return folded, cased, origin
    text_parts: list[str] = []
    cased_parts: list[str] = []
    where: list[int] = []
    cursor = 0
    for start, end, new in sorted(edits):
        text_parts.append(folded[cursor:start])
        cased_parts.append(cased[cursor:start])
        where += origin[cursor:start]
        text_parts.append(new)
        cased_parts.append(new)
        where += [origin[start]] * len(new)
        cursor = end
    text_parts.append(folded[cursor:])
    cased_parts.append(cased[cursor:])
    where += origin[cursor:]
    return "".join(text_parts), "".join(cased_parts), where


def _substitute(
    pattern: re.Pattern[str], replace, text: str, origin: list[int]
) -> tuple[str, list[int]]:
    edits = [(m.start(), m.end(), replace(m)) for m in pattern.finditer(text)]
    new, _, where = _apply(edits, text, text, origin)
    return new, where
