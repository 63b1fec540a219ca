"""The deck: every card fitted and checked, its PDF, and the print sheets for each paper size.

`render_deck` is the one entry point: the build, the site's previews and `kbgen cards` all use
its result. Cards found in the cache (kbgen/cards/cache.py) are not laid out again; the rest
are laid out in batches (kbgen/cards/render.py), in two processes for a big deck.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kbgen import parallel
from kbgen.cards import cache as card_cache
from kbgen.cards import problems as card_problems
from kbgen.cards.faces import FACES, card_html
from kbgen.cards.fit import CardFit
from kbgen.cards.imposition import PAPERS, PRINTABLE_MARGIN_MM, best_layout
from kbgen.cards.problems import DeckProblem
from kbgen.cards.render import CardJob, Rendered, render_cards
from kbgen.problems import Problem
from kbgen.render import urls

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from kbgen.model.cards import Card
    from kbgen.model.handbook import Handbook

__all__ = [
    "CardFit",
    "Deck",
    "DeckProblem",
    "card_html",
    "card_pdfs",
    "deck_problems",
    "print_files",
    "render_deck",
]

BATCH = 8
"""Cards laid out together in one document per pass: enough to share WeasyPrint's cost per
document, few enough that a batch's layouts stay small in memory."""

PARALLEL_MIN = 16
"""Below this many cards to lay out, a second process costs more than it saves."""


@dataclass
class Deck:
    """Every card's outcome. A card with an error has no fit, PDF or sheet, only problems."""

    fits: dict[str, CardFit] = field(default_factory=dict)
    pdfs: dict[str, bytes] = field(default_factory=dict)  # card id -> duplex PDF
    # (paper key, card id or None for all cards) -> imposed sheet PDF
    sheets: dict[tuple[str, str | None], bytes] = field(default_factory=dict)
    problems: list[DeckProblem] = field(default_factory=list)
    rendered: int = 0  # cards laid out this time (not from the cache)
    rendered_ids: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[DeckProblem]:
        return [p for p in self.problems if p.severity == "error"]


def render_deck(
    handbook: Handbook,
    *,
    papers: tuple[str, ...] | list[str] = ("a4", "letter"),
    cache_dir: Path | None = None,
    site_url: str | None = None,
    progress: Callable[[str], None] | None = None,
    printable_margin_mm: float = PRINTABLE_MARGIN_MM,
    use_directory_urls: bool = True,
    workers: int | None = None,
) -> Deck:
    """Fit, check and render every card of the handbook, and impose them on `papers`.

    A card with an error gets no PDF and no sheet; the others still do. `cache_dir` None uses
    the user's cache folder. `site_url` (the published site's address) puts a QR code to each
    card's page on its back. `workers` None uses as many processes as `kbgen.parallel` allows
    (one under `mkdocs serve`)."""
    cards = handbook.ordered_cards()
    store = card_cache.Cache(cache_dir)
    engine = card_cache.engine_digest()
    deck = Deck()
    sheets = _SheetMaker(deck, list(papers), printable_margin_mm, store, engine)
    jobs, keys = _jobs(cards, handbook, site_url, use_directory_urls, engine)
    missing: list[CardJob] = []
    outcomes: dict[str, tuple[CardFit | None, list[DeckProblem], bytes | None]] = {}
    for job in jobs:
        cached = store.read_card(keys[job.card.id][1])
        if cached is None:
            missing.append(job)
            continue
        outcomes[job.card.id] = cached
        if progress:
            progress(f"card {len(outcomes)}/{len(cards)}: {job.card.id}{_sizes(cached[0])}, cached")
        sheets.add(job.card, cached[2])
    for rendered in _render(missing, handbook, workers):
        card_id = rendered.card_id
        outcomes[card_id] = (rendered.fit, rendered.problems, rendered.pdf)
        store.write_card(keys[card_id][1], rendered.fit, rendered.problems, rendered.pdf)
        deck.rendered_ids.append(card_id)
        if progress:
            progress(f"card {len(outcomes)}/{len(cards)}: {card_id}{_sizes(rendered.fit)}")
        sheets.add(handbook.cards[card_id], rendered.pdf)  # while the workers lay out the rest
    deck.rendered = len(deck.rendered_ids)
    for card in cards:
        fit, found, pdf = outcomes[card.id]
        deck.problems += found
        if fit is not None and pdf is not None:
            deck.fits[card.id], deck.pdfs[card.id] = fit, pdf
            card_cache.remember_fit(keys[card.id][0], fit)
    deck.problems += sheets.finish(cards, progress)
    store.prune()
    return deck


def _jobs(
    cards: list[Card],
    handbook: Handbook,
    site_url: str | None,
    use_directory_urls: bool,
    engine: str,
) -> tuple[list[CardJob], dict[str, tuple[str, str]]]:
    """Each card's job and its (content digest, cache key)."""
    jobs, keys = [], {}
    for card in cards:
        page_url = _page_url(site_url, card.id, use_directory_urls) if site_url else None
        content = card_cache.content_digest(card, handbook)
        keys[card.id] = (content, card_cache.card_key(content, page_url, engine))
        jobs.append(CardJob(card, page_url))
    return jobs, keys


def _page_url(site_url: str, card_id: str, use_directory_urls: bool) -> str:
    """The card's page on the published site, as a phone opens it from the QR code."""
    page = urls.site_url(urls.entry_page("card", card_id), use_directory_urls)
    return f"{site_url.rstrip('/')}/{page}"


def _sizes(fit: CardFit | None) -> str:
    """' (front 14 pt, back 13 pt)': the size each face is set at."""
    if fit is None:
        return " (does not print)"
    return " (" + ", ".join(f"{face} {fit.body_pt[face]:g} pt" for face in FACES) + ")"


def _render(jobs: list[CardJob], handbook: Handbook, workers: int | None) -> Iterator[Rendered]:
    """Every job rendered, in order: in batches, spread over two processes for a big deck."""
    if not jobs:
        return
    batches = [jobs[i : i + BATCH] for i in range(0, len(jobs), BATCH)]
    count = min(2, parallel.workers() if workers is None else workers, len(batches))
    if count < 2 or len(jobs) < PARALLEL_MIN or "fork" not in _start_methods():
        for batch in batches:
            yield from render_cards(batch, handbook)
        return
    # forked workers see the handbook and the loaded fonts without copying them; each keeps
    # one batch's layouts at a time, so two workers hold two batches, not the whole deck
    from kbgen.cards.pdf import warm_up  # WeasyPrint: only when a card is laid out

    _shared["work"] = (batches, handbook)
    warm_up()  # the stylesheet parsed and the fonts loaded once, before the fork shares them
    context = multiprocessing.get_context("fork")
    with context.Pool(count, maxtasksperchild=None) as pool:
        for results in pool.imap(_render_batch, range(len(batches))):
            yield from results
    _shared.clear()


_shared: dict[str, object] = {}


def _render_batch(number: int) -> list[Rendered]:
    batches, handbook = _shared["work"]  # type: ignore[misc]
    return render_cards(batches[number], handbook)


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods() if os.name == "posix" else []


class _SheetMaker:
    """Each printable card's sheet per paper, made as its PDF arrives; then one sheet PDF of
    all cards per paper."""

    def __init__(
        self, deck: Deck, papers: list[str], margin: float, store: card_cache.Cache, engine: str
    ) -> None:
        self.deck, self.papers, self.margin = deck, papers, margin
        self.store, self.engine = store, engine
        self.keys: dict[tuple[str, str], str] = {}
        self.problems: list[DeckProblem] = []

    def add(self, card: Card, pdf: bytes | None) -> None:
        if pdf is None:
            return
        for key in self.papers:
            paper = PAPERS[key]
            layout = best_layout(card.width_mm, card.height_mm, paper, self.margin)
            if layout is None:
                self.problems.append(card_problems.too_big_for(card, paper.name))
                continue
            sheet_key = card_cache.derived_key("sheet", self.engine, _digest(pdf), repr(layout))
            sheet = self.store.read(sheet_key, ".pdf")
            if sheet is None:
                from kbgen.cards.sheets import card_sheet  # loads pikepdf

                sheet = card_sheet(pdf, layout, f"{card.title}: print sheet on {paper.name}")
                self.store.write(sheet_key, ".pdf", sheet)
            self.deck.sheets[key, card.id] = sheet
            self.keys[key, card.id] = sheet_key

    def finish(
        self, cards: list[Card], progress: Callable[[str], None] | None
    ) -> list[DeckProblem]:
        for key in self.papers:
            paper = PAPERS[key]
            ids = [card.id for card in cards if (key, card.id) in self.keys]
            if not ids:
                continue
            if progress:
                progress(f"print sheets on {paper.name}")
            all_key = card_cache.derived_key(
                "deck-sheet", key, *(self.keys[key, card_id] for card_id in ids)
            )
            sheet = self.store.read(all_key, ".pdf")
            if sheet is None:
                from kbgen.cards.sheets import deck_sheet

                parts = [self.deck.sheets[key, card_id] for card_id in ids]
                sheet = deck_sheet(parts, f"Quick-reference cards: print sheets on {paper.name}")
                self.store.write(all_key, ".pdf", sheet)
            self.deck.sheets[key, None] = sheet
        # the deck's sheets in card order, whichever order the cards arrived in
        order = {card.id: number for number, card in enumerate(cards)}
        self.deck.sheets = dict(
            sorted(
                self.deck.sheets.items(),
                key=lambda item: (item[0][0], item[0][1] is not None, order.get(item[0][1], 0)),
            )
        )
        return self.problems


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


# The pipeline and `kbgen cards` call these today; each is one render_deck away (cached, so
# calling several of them renders each card once).


def deck_problems(
    handbook: Handbook, file_of: Callable[[Card], str], cache_dir: Path | None = None
) -> list[Problem]:
    """Every card that does not fit its faces, is half empty or uses characters the card font
    lacks, as the pipeline's problems."""
    deck = render_deck(handbook, papers=(), cache_dir=cache_dir)
    return [as_problem(p, file_of(handbook.cards[p.card_id])) for p in deck.problems]


def as_problem(problem: DeckProblem, file: str) -> Problem:
    where = f"{problem.face}: " if problem.face else ""
    return Problem(
        file,
        None,
        f"card '{problem.card_id}', {where}{problem.message}",
        problem.fix,
        problem.severity,
    )


def card_pdfs(
    handbook: Handbook,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
) -> dict[str, bytes]:
    """{card id: duplex PDF} for every card that prints."""
    return render_deck(handbook, papers=(), cache_dir=cache_dir, progress=progress).pdfs


def print_files(deck: Deck) -> dict[str, bytes]:
    """Every file the deck prints, by its address on the site: each card's PDF, its sheets
    and the deck's sheets per paper. The site publishes them there, and `kbgen cards` writes
    them under the same file names: the one place print files are named."""
    files = {urls.card_pdf(card_id): pdf for card_id, pdf in deck.pdfs.items()}
    for (paper, card_id), pdf in sorted(deck.sheets.items(), key=lambda item: str(item[0])):
        address = (
            urls.deck_sheet_pdf(paper) if card_id is None else urls.card_sheet_pdf(card_id, paper)
        )
        files[address] = pdf
    return files
