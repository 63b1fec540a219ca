"""Each word's related words, in the forms a query holds, kept on disk between builds.

Looking them up in WordNet is the largest part of kbgen's own time on a small handbook, and the
answer changes only with WordNet or kbgen, so it is kept in the user's cache folder
(~/.cache/kbgen/lexicon), in a file named after both. A missing or unreadable file only means
looking the words up again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from kbgen import __version__
from kbgen.search.lexicon import DEBIAN_WORDNET, POS, is_verb, related_words
from kbgen.search.vocabulary import inflections

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
    if path is None or not _changed:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as stream:
            json.dump(_known(), stream, sort_keys=True)
        os.replace(stream.name, path)
        _changed.clear()
    except OSError:
        pass


_changed: set[str] = set()


@cache
def _known() -> dict[str, list[str]]:
    path = _path()
    try:
        return json.loads(path.read_text()) if path is not None else {}
    except (OSError, ValueError):
        return {}


@cache
def _path() -> Path | None:
    """The cache file for this WordNet and this kbgen (None without WordNet)."""
    stamp = [__version__, str(FORMAT)]
    for name in [f"{kind}.{pos}" for kind in ("index", "data") for pos in POS.values()]:
        try:
            info = (DEBIAN_WORDNET / name).stat()
        except OSError:
            return None
        stamp.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    digest = hashlib.blake2b("\n".join(stamp).encode(), digest_size=8).hexdigest()
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "kbgen" / "lexicon" / f"related-{digest}.json"
