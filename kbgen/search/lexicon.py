"""Related words from WordNet, so a page is found by words its trainer never listed.

The data is Princeton WordNet 3.0 as Debian packages it (`apt-get install wordnet-base`:
/usr/share/wordnet, the "WNDB" files of wndb(5)). NLTK's reader would not read it: it wants
NLTK's own download of the corpus, fetched from the internet, which this intranet tool never
does. The format is small and fixed since 2006, so it is read here directly: each index file is
sorted, a lookup is a binary search; each synset is one line at a byte offset.

Only the most frequent senses of a word count (WordNet lists them first), and only
single-word lemmas: the aim is "scream" for "yell", not every rare sense of a word.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

DEBIAN_WORDNET = Path("/usr/share/wordnet")
POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
SENSES_PER_WORD = 2
"""Senses of each word taken: the first are the common ones (WordNet orders by frequency)."""

# wndb(5) morphology: an ending and what replaces it, per part of speech
DETACHMENTS = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}  # fmt: skip
_WORD = re.compile(r"^[a-z][a-z'-]*[a-z]$")


@dataclass
class WordNet:
    folder: Path
    _maps: dict[str, mmap.mmap] = field(default_factory=dict)

    def _file(self, name: str) -> mmap.mmap:
        if name not in self._maps:
            with (self.folder / name).open("rb") as stream:
                self._maps[name] = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        return self._maps[name]

    def _index_line(self, pos: str, lemma: str) -> list[str] | None:
        """The index entry of `lemma` (binary search in the sorted index file)."""
        data = self._file(f"index.{POS[pos]}")
        key = lemma.encode()
        low, high = 0, len(data)
        while low < high:
            middle = (low + high) // 2
            start = data.rfind(b"\n", 0, middle) + 1
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            line = data[start:end]
            word = line.split(b" ", 1)[0]
            if line.startswith(b"  ") or word < key:  # the licence header sorts first
                low = end + 1
            elif word > key:
                high = start
            else:
                return line.decode().split()
        return None

    def _exceptions(self, pos: str) -> dict[str, str]:
        return _read_exceptions(self.folder / f"{POS[pos]}.exc")

    def base_forms(self, word: str, pos: str) -> list[str]:
        """The dictionary forms of an inflected word ("cried" → "cry")."""
        forms = [word]
        if word in self._exceptions(pos):
            forms.append(self._exceptions(pos)[word])
        for ending, replacement in DETACHMENTS[pos]:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                forms.append(word[: -len(ending)] + replacement)
        return [f for f in dict.fromkeys(forms) if self._index_line(pos, f) is not None]

    def _synset(self, pos: str, offset: int) -> tuple[list[str], list[tuple[str, str, int, int]]]:
        """A synset's words and its pointers (symbol, pos, offset, source/target)."""
        data = self._file(f"data.{POS[pos]}")
        end = data.find(b"\n", offset)
        fields = data[offset:end].decode().split(" | ", 1)[0].split()
        count = int(fields[3], 16)
        words = [fields[4 + 2 * i] for i in range(count)]
        at = 4 + 2 * count
        pointers = []
        for i in range(int(fields[at])):
            symbol, target, target_pos, link = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            pointers.append((symbol, target_pos[0], int(target), int(link, 16)))
        return words, pointers

    def related(self, word: str) -> set[str]:
        """Synonyms and derived forms of the common senses of `word`, in every part of speech."""
        found: set[str] = set()
        for pos in POS:
            for base in self.base_forms(word, pos):
                line = self._index_line(pos, base)
                if line is None:
                    continue
                offsets = [int(o) for o in line[-int(line[2]) :]][:SENSES_PER_WORD]
                for offset in offsets:
                    words, pointers = self._synset(pos, offset)
                    found.update(words)
                    for symbol, target_pos, target, link in pointers:
                        if symbol == "+" and target_pos in POS:  # derivationally related
                            target_words, _ = self._synset(
                                "a" if target_pos == "s" else target_pos, target
                            )
                            if link and symbol == "+":
                                index = (link & 0xFF) - 1
                                target_words = target_words[index : index + 1]
                            found.update(target_words)
        words = {w.lower().replace("(a)", "").replace("(p)", "") for w in found}
        return {w for w in words if _WORD.match(w) and w != word}


@cache
def _read_exceptions(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="latin-1").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                table[parts[0]] = parts[1]
    return table


@cache
def wordnet(folder: Path | None = None) -> WordNet | None:
    """WordNet from `folder` (default: Debian's), or None when it is not installed."""
    folder = folder or DEBIAN_WORDNET
    if not (folder / "index.noun").is_file():
        return None
    return WordNet(folder)


def is_verb(word: str, folder: Path | None = None) -> bool:
    net = wordnet(folder)
    return net is not None and net._index_line("v", word) is not None


@lru_cache(maxsize=65536)
def related_words(word: str, folder: Path | None = None) -> frozenset[str]:
    net = wordnet(folder)
    return frozenset(net.related(word)) if net is not None else frozenset()
