"""Which semantic layer fits a static handbook: measured, not guessed (see semantic_design.md).

Compares, on the tuned question sets only (never the held-out halves), the semantic ranking
alone, without the lexical side:
- "sentence": the whole query through the sentence model, as a model run in the browser would
  do it, against each page's closest passage;
- "static table": what kbgen ships: the build's table of each word's best pages, summed over
  the query's words (a replica of kbgen-semantic.js's scoring, for measuring only);
and prints what each would make the browser fetch.

Usage: python benchmarks/semantic_design.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from relevance import TUNED, build, queries  # noqa: E402

from kbgen.search import semantic  # noqa: E402
from kbgen.search.encoder import load_encoder, model_folder  # noqa: E402


def table_ranking(data: dict, query: str) -> list[str]:
    """The browser's scoring, replayed: phrases first, stop words skipped, sums averaged."""
    words = [w.replace("'", "") for w in semantic.words_of(query)]
    longest = max((len(p.split()) for p in data["phrases"]), default=1)
    totals: dict[int, float] = {}
    i = 0
    while i < len(words):
        found, length = None, 1
        for n in range(min(longest, len(words) - i), 1, -1):
            if " ".join(words[i : i + n]) in data["phrases"]:
                found, length = data["phrases"][" ".join(words[i : i + n])], n
                break
        word = words[i]
        i += length
        if found is None and (word in data["stop"] or len(word) < 2):
            continue
        found = found or data["words"].get(word) or []
        for j in range(0, len(found), 2):
            totals[found[j]] = totals.get(found[j], 0.0) + found[j + 1]
    ranked = sorted(totals, key=lambda page: -totals[page])
    return [data["pages"][p][0] for p in ranked if data["pages"][p][0] is not None]


def sentence_ranking(pages: list[semantic.Page], passages, owner, query: str) -> list[str]:
    vector = load_encoder().encode([query])[0]
    per_page = np.maximum.reduceat(
        passages @ vector, np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    )
    return [pages[j].location for j in np.argsort(-per_page)]


def hits(ranked: list[list[str]], right: list[list[str]]) -> str:
    ranks = [
        next((i + 1 for i, loc in enumerate(r) if loc in ok), None)
        for r, ok in zip(ranked, right, strict=True)
    ]
    n = len(ranks)
    hit1 = sum(r == 1 for r in ranks) / n
    hit3 = sum(bool(r and r <= 3) for r in ranks) / n
    return f"hit@1 {hit1:5.1%}  hit@3 {hit3:5.1%}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site)
        data = json.loads((site / "search" / "kb_semantic.json").read_text(encoding="utf-8"))
        shipped = (site / "search" / "kb_semantic.json.gz").stat().st_size
    from kbgen.loading.loader import load_handbook

    handbook = load_handbook(REPO / "snippets")
    docs = [{"location": loc, "title": title} for loc, title, *_ in data["pages"] if loc]
    pages = semantic.site_pages(handbook, docs, True)
    passages, owner = semantic.encoded_passages(pages)
    for path in TUNED:
        asked = queries(path)
        right = [r for _, r, _ in asked]
        table = [table_ranking(data, q) for q, _, _ in asked]
        sentence = [sentence_ranking(pages, passages, owner, q) for q, _, _ in asked]
        print(
            f"{path.name:28} static table  {hits(table, right)}"
            f"   sentence model  {hits(sentence, right)}"
        )
    model = sum(f.stat().st_size for f in model_folder().glob("*.safetensors"))
    print(f"fetched by the browser: static table {shipped / 1e3:.0f} KB gzipped;")
    print(f"a sentence model in the browser: its weights alone {model / 1e6:.0f} MB (float32)")
    print(f"  or about {model / 4e6:.0f} MB quantised to 8 bits, plus a runtime, before any query")


if __name__ == "__main__":
    main()
