"""Story text as a reader sees it, in one canonical form: what the checks look at.

Disguises change how text is written, not what a reader sees: fullwidth digits, a fullwidth ＠,
zero-width characters inside a number, Cyrillic look-alike letters in a domain. Normalising
undoes them before any check runs: Unicode NFKC, invisible characters removed, look-alike
letters mapped to the Latin letter they imitate (Unicode's confusables table, from the
`confusable-homoglyphs` package). The same table ships to the "Share your story" page, so the
browser normalises exactly as the build does.

Each character of the result remembers where it came from, so a finding (or a masked swear
word) can be placed back in the original text.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.user_cache import cache_file, file_stamp, read_json, write_json

if TYPE_CHECKING:
    from collections.abc import Callable

INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cs"}
"""Format characters (zero-width space, joiners, soft hyphen, word joiner, bidi marks),
control characters and private-use code points: nothing a reader sees."""

KEPT_CONTROLS = {"\n", "\t"}


@dataclass(frozen=True)
class Normalised:
    """`text` as normalised, `lower` its lower case (same length), and for each character the
    index of the original character it came from."""

    text: str
    lower: str
    origin: tuple[int, ...] | None  # None: each character is where it was
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span behind [start, end) of the normalised text."""
        if self.origin is None:
            return (start, end)
        if start >= end or not self.origin:
            return (start, start)
        return (self.origin[start], self.origin[end - 1] + 1)


@cache
def look_alikes() -> dict[str, str]:
    """{character: the ASCII letter or digit it imitates}, from Unicode's confusables (as
    `confusable_homoglyphs` ships them); kept in the user's cache folder, since reading the
    whole confusables table takes longer than checking a handbook's stories."""
    spec = importlib.util.find_spec("confusable_homoglyphs")
    source = Path(spec.origin).parent / "confusables.json" if spec and spec.origin else None
    try:
        kept = cache_file("look-alikes", [file_stamp(source)]) if source else None
    except OSError:
        kept = None
    table = read_json(kept) if kept is not None else None
    if not isinstance(table, dict):
        table = _look_alikes_from_unicode()
        if kept is not None:
            write_json(kept, table)
    return table


def _look_alikes_from_unicode() -> dict[str, str]:
    from confusable_homoglyphs import confusables

    table: dict[str, str] = {}
    for character, alternatives in confusables.confusables_data.items():
        if len(character) != 1 or character.isascii():
            continue
        for alternative in alternatives:
            latin = alternative["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalnum():
                table[character] = latin
                break
    return table


def visible(character: str) -> bool:
    return character in KEPT_CONTROLS or unicodedata.category(character) not in (
        INVISIBLE_CATEGORIES
    )


def normalise(text: str) -> Normalised:
    """The text as the checks read it: first each character (invisible ones dropped, NFKC,
    look-alikes mapped, odd spaces made plain), then Markdown's escapes and marks and
    "defanged" addresses undone; see the module docstring."""
    # a line (a title, a lesson) is read on every page that shows it: remembered, if short
    return _normalise_line(text) if len(text) <= LINE_LENGTH else _normalise_long(text)


LINE_LENGTH = 1000


@lru_cache(maxsize=8192)
def _normalise_line(text: str) -> Normalised:
    return _normalise(text)


@lru_cache(maxsize=4)
def _normalise_long(text: str) -> Normalised:
    """A story's body, read by the rules and again by the recognisers (reading.py)."""
    return _normalise(text)


def _normalise(text: str) -> Normalised:
    if text.isascii() and text.isprintable() and not _MARKUP_HINT.search(text):
        return Normalised(text, text.lower(), None, text)  # plain text: nothing to undo
    table = look_alikes()
    out: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(text):
        if " " <= character <= "~":  # printable ASCII: kept as it is (no look-alike is ASCII)
            out.append(character)
            origin.append(index)
            continue
        if not visible(character):
            continue
        for piece in unicodedata.normalize("NFKC", character):
            if not visible(piece):
                continue
            piece = table.get(piece, piece)
            if piece.isspace() and piece not in KEPT_CONTROLS:
                piece = " "  # no-break and thin spaces read as spaces
            out.append(piece)
            origin.append(index)
    joined, where = "".join(out), origin
    for pattern, replacement in _UNDONE:
        joined, where = _substitute(pattern, replacement, joined, where)
    lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in joined)
    return Normalised(joined, lower, tuple(where), text)


_MARKUP_HINT = re.compile(r"[\\*_`~\[({&]")
"""Characters the substitutions below look for: plain text without them needs none."""

NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'", "nbsp": " "}


def _entity(match: re.Match[str]) -> str:
    name = match.group(1).lower()
    if name.startswith("#x"):
        code = int(name[2:], 16)
    elif name.startswith("#"):
        code = int(name[1:])
    else:
        return NAMED_ENTITIES.get(name, match.group())
    return chr(code) if 0 < code < 0x110000 else ""


_UNDONE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    # HTML character references (&#52; is "4", &lt; is "<"): written to hide what they say
    (re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});"), _entity),
    # a backslash before ASCII punctuation: Markdown shows only the punctuation
    (re.compile(r"\\([!-/:-@\[-`{-~])"), lambda m: m.group(1)),
    # emphasis and code marks: Markdown shows the text between them, without them
    (re.compile(r"[*_`~]+"), lambda m: ""),
    # `example[.]com`, `maria (at) example`: written so as not to be a link, still an address
    (
        re.compile(r"[\[({]\s*(\.|dot|at|@)\s*[\])}]", re.IGNORECASE),
        lambda m: "." if m.group(1) == "." else f" {m.group(1).lower()} ",
    ),
]


def _substitute(
    pattern: re.Pattern[str],
    replacement: Callable[[re.Match[str]], str],
    text: str,
    origin: list[int],
) -> tuple[str, list[int]]:
    """`pattern.sub(replacement, text)`, keeping where each character came from."""
    parts: list[str] = []
    where: list[int] = []
    cursor = 0
    for match in pattern.finditer(text):
        parts.append(text[cursor : match.start()])
        where += origin[cursor : match.start()]
        new = replacement(match)
        parts.append(new)
        where += [origin[match.start()]] * len(new)
        cursor = match.end()
    parts.append(text[cursor:])
    where += origin[cursor:]
    return "".join(parts), where


def without_invisible(text: str) -> str:
    """The text with invisible characters dropped: what a published page shows."""
    return "".join(c for c in text if visible(c))
