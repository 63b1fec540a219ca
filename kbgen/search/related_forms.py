"""Each word's related words, in the forms a query holds, kept on disk between builds.

Looking them up in WordNet is the largest part of kbgen's own time on a small handbook, and the
answer changes only with WordNet or kbgen, so it is kept in the user's cache folder
(~/.cache/kbgen/related-forms), in a file named after both (`kbgen.user_cache`).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from kbgen.search.lexicon import DEBIAN_WORDNET, POS, is_verb, related_words
from kbgen.search.vocabulary import inflections
from kbgen.user_cache import cache_file, file_stamp, read_json, write_json

if TYPE_CHECKING:
    from pathlib import Path

FORMAT = 1  # raise when what is kept for a word changes


def related_forms(word: str) -> frozenset[str]:
    """The words WordNet relates to `word`, each in the forms a query might hold it."""
    known = _known()
    if word not in known:
        known[word] = sorted({form for r in related_words(word) for form in usual_forms(r)})
        _changed.add(word)
    return frozenset(known[word])


def usual_forms(word: str) -> frozenset[str]:
    """A related word as a query might hold it: a verb with its -s, -ed and -ing forms, any
    other word with its plural. (Prefix search finds the rest: "grieve*" finds "griever".)"""
    if " " in word or "-" in word:
        return frozenset({word})
    if is_verb(word):
        return frozenset(
            form for form in inflections(word) if not form.endswith("er") or form == word
        )
    return frozenset({word, word + ("es" if word.endswith(("s", "sh", "ch", "x", "z")) else "s")})


def save() -> None:
    """Write the words looked up since the file was read (if any, and if it can be written)."""
    path = _path()
    if path is not None and _changed and write_json(path, _known()):
        _changed.clear()


_changed: set[str] = set()


@cache
def _known() -> dict[str, list[str]]:
    path = _path()
    data = read_json(path) if path is not None else None
    return data if isinstance(data, dict) else {}


@cache
def _path() -> Path | None:
    """The cache file for this WordNet and this kbgen (None without WordNet)."""
    names = [f"{kind}.{pos}" for kind in ("index", "data") for pos in POS.values()]
    try:
        stamp = [str(FORMAT), *(file_stamp(DEBIAN_WORDNET / name) for name in names)]
    except OSError:
        return None
    return cache_file("related-forms", stamp)
