"""The search box's semantic layer: for each word of a large English vocabulary, its best pages.

A query's meaning is approximated as a bag of its words (a static embedding, as in model2vec):
each word is embedded once by the sentence model (kbgen/search/encoder.py), each page as the
passages an agent would recognise it by (its title, summary, aliases, signs, what the customer
says). A word's score for a page is how close the word comes to the page's closest passages,
less how close it comes to pages on average, so a word that fits every page ("customer",
"help") counts for nothing. The build keeps, per word, the pages it points to most; the
browser adds up the looked-up numbers of the query's words (kbgen-semantic.js) and fuses them
with Material's lexical ranking.

Words come from the model's own vocabulary (its 20,000 whole English words), every word the
handbook uses, and their forms; short phrases (idioms such as "kicking off") come from the
vocabulary file, with their plain meaning, which the model embeds instead of the idiom.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from filelock import FileLock, Timeout

from kbgen.render import urls
from kbgen.search.encoder import MODEL_NAME, load_encoder, model_digest, model_folder
from kbgen.search.vocabulary import STOP_WORDS, vocabulary_file
from kbgen.user_cache import cache_folder

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from kbgen.model.handbook import Handbook

FORMAT = 1
TOP_PAGES = 4
"""Pages kept per word: enough for a query's words to agree on a page lower in each list."""
MIN_LIFT = 0.1
"""A page a word lifts less than this is left out of the word's list (the list's size is what
the browser fetches; benchmarks/semantic_design.md)."""
SCALE = 250
"""Scores are stored as whole numbers: lift × SCALE (lifts stay under 1)."""
WEAK_SCORE = 0.06
"""A query whose best page averages under this lift per meaningful word has no page on it:
the results say so ("No page on this yet: closest"). Measured on the out-of-scope set."""

STRONG_WORD = 0.2
"""...and so does a query none of whose words lifts any page this much ("zebra"): a query with
a page on it nearly always has one word that points to it."""

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
KEEP_WORDS = frozenset(
    "no not never nobody nothing nowhere where when why who how what which wont cant dont "
    "didnt isnt wasnt aint shouldnt couldnt wouldnt".split()
)
"""Words the lexical search drops as stop words that change what a query means ("how to say
no", "not my fault", "where is my parcel"): the semantic layer keeps them."""
QUERY_STOP_WORDS = frozenset(STOP_WORDS - KEEP_WORDS)
OTHER_FORMS = (
    ("isation$", "ization"),
    ("ise$", "ize"),
    ("ised$", "ized"),
    ("ising$", "izing"),
    ("ises$", "izes"),
    ("yse$", "yze"),
    ("our$", "or"),
    ("ours$", "ors"),
    ("tre$", "ter"),
    ("lled$", "led"),
    ("lling$", "ling"),
    ("ogue$", "og"),
    ("ies$", "y"),
    ("es$", ""),
    ("s$", ""),
    ("ing$", ""),
    ("ing$", "e"),
    ("ed$", ""),
    ("ed$", "e"),
    ("ly$", ""),
)
"""(pattern, replacement) tried in order on a query word the table lacks: British spellings
to American, then plural and verb endings. The browser reads them from the data (one list)."""


@dataclass(frozen=True)
class Page:
    """A page as the semantic layer sees it: where it is and the passages it is known by."""

    location: str
    title: str
    passages: tuple[str, ...]
    text: str = ""  # what a result shows under the title (HTML, as in the search index)


def site_pages(handbook: Handbook, docs: list[dict], use_directory_urls: bool) -> list[Page]:
    """The technique and situation pages of the search index, as passages: title, summary,
    aliases, signs and what the customer says. Listings and hand-written pages are left to the
    lexical ranking (where they weigh less too): a word like "phrase" or "card" would
    otherwise pull a listing above the entry an agent needs."""
    entries = {
        urls.site_url(urls.entry_page(e.kind, e.id), use_directory_urls): e
        for e in [*handbook.techniques.values(), *handbook.situations.values()]
    }
    pages = []
    for doc in docs:
        entry = entries.get(doc["location"])
        if entry is None:
            continue
        passages = [entry.title, f"{entry.title}. {entry.summary}", *entry.aliases]
        passages += list(getattr(entry, "recognise", []))
        passages += list(getattr(entry, "customer_says", []))
        passages = tuple(dict.fromkeys(p for p in passages if p))
        pages.append(Page(doc["location"], doc["title"], passages, doc.get("text", "")))
    return pages


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def vocabulary_words(pages: Iterable[Page], extra: Iterable[str] = ()) -> list[str]:
    """The words looked up: the model's whole words, the pages' words and `extra`."""
    found = {w for w in _model_words() if len(w) > 1}
    for page in pages:
        for passage in page.passages:
            found.update(words_of(passage))
    found.update(w for text in extra for w in words_of(text))
    found.update(w.replace("'", "") for w in list(found) if "'" in w)
    return sorted(w for w in found if w not in QUERY_STOP_WORDS)


def _model_words() -> list[str]:
    vocab = (model_folder() / "vocab.txt").read_text(encoding="utf-8").split()
    return [w for w in vocab if w.isascii() and w.isalpha() and w.islower()]


def word_vectors(words: list[str]) -> np.ndarray:
    """Each word's vector. The model's own words are embedded once per machine (about a
    minute) and kept in the user cache folder; other words as `embedded` keeps texts."""
    base = _model_words()
    path = cache_folder("semantic") / f"model-words-{model_digest()}.npy"
    known = dict(zip(base, _cached(path, base), strict=True))
    others = [w for w in words if w not in known]
    known.update(zip(others, embedded(others), strict=True))
    return np.stack([known[w] for w in words]) if words else np.zeros((0, 384), np.float16)


def embedded(texts: list[str]) -> np.ndarray:
    """Each text's vector, through the sentence model only the first time a machine sees it:
    a store in the user cache folder keeps every text embedded before, so a build embeds
    only new or changed words and passages (a second or two for a new entry)."""
    path = cache_folder("semantic") / f"texts-{model_digest()}.npz"
    known: dict[str, np.ndarray] = {}
    with _held(path):  # so another build's new texts are not lost when this one saves
        try:
            with np.load(path) as stored:
                known.update(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            pass
        missing = sorted(set(texts) - set(known))
        if missing:
            vectors = load_encoder().encode(missing).astype(np.float16)
            known.update(zip(missing, vectors, strict=True))
            kept = sorted(known)
            _save(path, texts=np.array(kept), vectors=np.stack([known[t] for t in kept]))
    if not texts:
        return np.zeros((0, 384), np.float16)
    return np.stack([known[t] for t in texts])


def _cached(path: Path, words: list[str]) -> np.ndarray:
    with _held(path):  # two builds starting together embed the words once, not twice
        try:
            vectors = np.load(path)
            if vectors.shape[0] == len(words):
                return vectors
        except (OSError, ValueError):
            pass
        vectors = load_encoder().encode(words).astype(np.float16)
        _save(path, vectors=vectors)
        return vectors


@contextmanager
def _held(path: Path) -> Iterator[None]:
    """Hold the lock of a cache file while reading and refreshing it. The lock is the
    operating system's, so a killed build releases it; where none can be taken (a read-only
    cache folder, a wait over ten minutes), the build goes on without it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path.with_name(f".{path.name}.lock"), timeout=600)
        lock.acquire()
    except (OSError, Timeout):
        yield
        return
    try:
        yield
    finally:
        lock.release()


def _save(path: Path, **arrays: np.ndarray) -> None:
    """Whole or not at all (another build may be reading it); a cache that cannot be written
    only means embedding the words again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as stream:
            if set(arrays) == {"vectors"}:
                np.save(stream, arrays["vectors"])
            else:
                np.savez(stream, **arrays)
        tmp.replace(path)
    except OSError:
        pass


def encoded_passages(pages: list[Page]) -> tuple[np.ndarray, np.ndarray]:
    """Every passage through the sentence model: (vectors, the page each belongs to)."""
    texts = sorted({p for page in pages for p in page.passages})
    vectors = dict(zip(texts, embedded(texts).astype(np.float32), strict=True))
    owner = [j for j, page in enumerate(pages) for _ in page.passages]
    stacked = np.stack([vectors[p] for page in pages for p in page.passages])
    return stacked, np.array(owner)


def static_passages(pages: list[Page], words: list[str], vectors: np.ndarray) -> tuple:
    """One vector per page from its words' vectors (a big handbook: no sentence model run)."""
    index = {w: i for i, w in enumerate(words)}
    rows = []
    for page in pages:
        found = [index[w] for p in page.passages for w in words_of(p) if w in index]
        v = vectors[found].astype(np.float32).mean(axis=0) if found else np.zeros(vectors.shape[1])
        rows.append(v / max(float(np.linalg.norm(v)), 1e-9))
    return np.stack(rows).astype(np.float32), np.arange(len(pages))


def best_pages(vectors: np.ndarray, passages: np.ndarray, owner: np.ndarray) -> dict:
    """For each vector (a word or a phrase's meaning): its best pages and their scores.

    A page's score is the vector's similarity to the page's closest passage, less its average
    over all pages: a word close to every page ("help") lifts none. Computed in blocks, so a
    handbook of 10,000 pages never holds the whole words × pages table.
    """
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    n_pages = len(starts)
    top_pages = min(TOP_PAGES, n_pages)
    pages_out = np.zeros((len(vectors), top_pages), dtype=np.int32)
    lifts_out = np.zeros((len(vectors), top_pages), dtype=np.float32)
    for start in range(0, len(vectors), 512):
        block = vectors[start : start + 512].astype(np.float32) @ passages.T
        per_page = np.maximum.reduceat(block, starts, axis=1)
        lift = per_page - per_page.mean(axis=1, keepdims=True)
        best = np.argpartition(-lift, top_pages - 1, axis=1)[:, :top_pages]
        chosen = np.take_along_axis(lift, best, axis=1)
        order = np.argsort(-chosen, axis=1, kind="stable")
        pages_out[start : start + len(block)] = np.take_along_axis(best, order, axis=1)
        lifts_out[start : start + len(block)] = np.take_along_axis(chosen, order, axis=1)
    return {"pages": pages_out, "lifts": lifts_out}


def table(keys: list[str], best: dict) -> dict[str, list[int]]:
    """{word: [page, score, page, score…]} for the words that point somewhere."""
    found = {}
    for i, key in enumerate(keys):
        row = [
            x
            for j, lift in zip(best["pages"][i], best["lifts"][i], strict=True)
            if lift >= MIN_LIFT
            for x in (int(j), min(255, round(float(lift) * SCALE)))
        ]
        if row:
            found[key] = row
    return found


def semantic_data(pages: list[Page], phrases: dict[str, str], full: bool = True) -> dict:
    """Everything the browser needs: the pages, the word and phrase tables, the rules.

    `full`: pages are their passages through the sentence model; else (a big handbook) each
    page is the average of its words' vectors, which costs no model run per page."""
    topics = off_topic_pages()
    every = pages + topics
    words = vocabulary_words(every, phrases.values())
    vectors = word_vectors(words)
    passages, owner = encoded_passages(every) if full else static_passages(every, words, vectors)
    # a page's short passages ("keeps coming back", "annual leave") are phrases too: a query
    # that holds one scores it whole, as the model reads it, not word by word
    phrases = {**short_passages(every), **phrases}
    meanings = sorted(phrases)
    meaning_vectors = embedded([phrases[p] for p in meanings])
    return {
        "format": FORMAT,
        "model": MODEL_NAME,
        "scale": SCALE,
        "weak": WEAK_SCORE,
        "strong": STRONG_WORD,
        "stop": sorted(QUERY_STOP_WORDS),
        "forms": [list(rule) for rule in OTHER_FORMS],
        # a big handbook's pages carry no text: the lexical index has it, and it would double
        # what the browser fetches
        "pages": [[p.location, p.title, p.text] if full else [p.location, p.title] for p in pages]
        # what no page covers: never shown, a query closest to one has no page (see `weak`)
        + [[None, p.title] for p in topics],
        "words": table(words, best_pages(vectors, passages, owner)),
        "phrases": table(meanings, best_pages(meaning_vectors, passages, owner)),
    }


def short_passages(pages: list[Page]) -> dict[str, str]:
    """{phrase as a query would hold it: the phrase} for passages of two to four words and
    the runs of two or three words inside a title or a short passage ("keeps coming back" in
    "Problem keeps coming back"), neither starting nor ending with a stop word."""
    found = {}
    for page in pages:
        for passage in page.passages:
            words = [w.replace("'", "") for w in words_of(passage)]
            if 2 <= len(words) <= 4 and not set(words) <= QUERY_STOP_WORDS:
                found.setdefault(" ".join(words), passage)
            if len(words) > 6:
                continue
            for n in (2, 3):
                for i in range(len(words) - n + 1):
                    run = words[i : i + n]
                    if run[0] not in QUERY_STOP_WORDS and run[-1] not in QUERY_STOP_WORDS:
                        found.setdefault(" ".join(run), " ".join(run))
    return found


def off_topic_pages() -> list[Page]:
    """The topics no page covers (vocabulary file, `off_topic:`), as pages never shown."""
    topics = [str(t) for t in vocabulary_file().get("off_topic") or []]
    # each part a passage, as a page's aliases are: a page is as close as its closest passage
    parts = [re.split(r",\s*|\s+and\s+", topic) for topic in topics]
    return [Page("", t, (t, *(p for p in ps if p))) for t, ps in zip(topics, parts, strict=True)]


def idiom_meanings() -> dict[str, str]:
    """{idiom: plain meaning} from the vocabulary file (`idioms:`)."""
    return {str(k): str(v) for k, v in (vocabulary_file().get("idioms") or {}).items()}


def write(folder: Path, data: dict) -> None:
    """search/kb_semantic.json (and gzipped) for a web server; kb_semantic.js for a folder
    opened without one, where a page can load a script but fetch nothing."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    (folder / "kb_semantic.json").write_text(text, "utf-8")
    (folder / "kb_semantic.json.gz").write_bytes(gzip.compress(text.encode(), 9, mtime=0))
    (folder / "kb_semantic.js").write_text(f"window.__kbSemantic={text};\n", "utf-8")
