"""Renders a Handbook into Markdown pages: {source path under docs: page text}.

Knows nothing of MkDocs: the plugin adds the result as virtual files, `kbgen export` writes
it to a folder. Each page builder below is the renderer of one kind or index page.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import TYPE_CHECKING

from kbgen import parallel
from kbgen.cards.downloads import card_sheet_links, deck_sheet_links
from kbgen.cards.faces import card_html, stylesheet
from kbgen.freshness import by_owner, overdue, recent_changes, reference_date
from kbgen.model.entries import Stage
from kbgen.model.stories import LESSON_MAX_CHARS
from kbgen.parallel import MIN_ITEMS, parallel_map, workers
from kbgen.render import call_first, page_cache, urls
from kbgen.render.page_cache import PageCache
from kbgen.render.stage_diagram import stage_diagram
from kbgen.stories.checks import rules_for_browser
from kbgen.stories.render import safe_line, story_body_html
from kbgen.templating import make_environment

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from jinja2 import Environment

    from kbgen.cards.fit import CardFit
    from kbgen.model.cards import Card
    from kbgen.model.entries import Entry, Phrase, Situation, Source, Technique
    from kbgen.model.handbook import Handbook

ENTRY_SEARCH_BOOST = 4
"""Technique and situation pages outrank index pages, the phrasebook and sources in search."""

LISTING_SEARCH_BOOST = 1.0
"""Listings rank below entries on a topic, yet a listing's own title typed in full finds it
first (tests/test_search_dead_ends.py, the wrong-page guard)."""

PHRASEBOOK_SEARCH_BOOST = 1.0
"""The phrasebook is a destination of its own ("what to say to an angry customer"), not just a
list of pages."""

NAMED_PAGE_SEARCH_BOOST = 2.0
"""What's new is opened by its name: "new" alone must not lose to an entry about bad news."""


@dataclass(frozen=True)
class RenderOptions:
    use_directory_urls: bool = True
    fresh_days: int = 180  # how long a review stays valid (the Needs review page)
    today: dt.date = field(default_factory=reference_date)
    # stories waiting for a trainer, as (date, channel): never their text, which is unchecked
    waiting_stories: tuple[tuple[dt.date, str], ...] = ()
    card_fits: dict[str, CardFit] = field(default_factory=dict)  # the sizes each card is set at
    card_papers: tuple[str, ...] = ()  # print sheets are published for these papers
    # the centre's procedure for callers at risk and its phone, on `safeguarding` situations
    safeguarding_url: str | None = None
    safeguarding_phone: str | None = None


@dataclass(frozen=True)
class PageView:
    """What a template knows about the page it renders: where it is, and links from there."""

    page: str
    handbook: Handbook
    options: RenderOptions

    def link(self, to: str, anchor: str = "") -> str:
        """A Markdown link target to another page (MkDocs checks and rewrites it)."""
        return urls.relative(self.page, to, anchor)

    def entry_link(self, entry: Entry) -> str:
        target = urls.entry_page(entry.kind, entry.id)
        return urls.relative(self.page, target, urls.entry_anchor(entry.kind, entry.id))

    def final_url(self, to: str) -> str:
        """A URL for raw HTML, which MkDocs does not rewrite."""
        return urls.relative_site_url(self.page, to, self.options.use_directory_urls)

    def file_url(self, path: str) -> str:
        """A URL for raw HTML to a file published as it is (a stylesheet, a script)."""
        return urls.relative_file_url(self.page, path, self.options.use_directory_urls)

    def situation_items(
        self, technique: Technique, polarity: str
    ) -> list[tuple[Phrase, str, Situation | None]]:
        """Phrases that situations attach to this technique, each with its situation."""
        return [
            (use.phrase, polarity, use.situation)
            for use in self.handbook.phrases_for(technique)
            if use.situation is not None and use.polarity == polarity
        ]

    def first_screen(self, situation: Situation) -> call_first.FirstScreen:
        return call_first.first_screen(situation, self.handbook)

    def steps(self, situation: Situation) -> list[call_first.Step]:
        return call_first.steps(situation, self.handbook)

    def phone_link(self, phone: str) -> str:
        """A tel: address for a number as written ("+44 20 7946 0000 ext 4321")."""
        return call_first.tel_uri(phone)

    def first_sentence(self, text: str) -> str:
        return call_first.first_sentence(text)

    def how_before_why(self, body: str) -> str:
        return call_first.how_before_why(body)

    def source_line(self, source: Source) -> str:
        """'A call-centre news site · 5 December 2013 · Stefania Viscusi (editor)'."""
        when = source.date.strftime("%-d %B %Y") if source.date else "undated"
        return " · ".join(part for part in (source.publisher, when, source.author) if part)

    def card_faces(self, card: Card) -> str:
        return card_html(card, self.handbook, self.options.card_fits.get(card.id))

    def card_description(self, card: Card) -> str:
        return card_description(card)


def phrase_items(phrases: list[Phrase], polarity: str) -> list[tuple[Phrase, str, None]]:
    """(phrase, polarity, situation) triples for the phrase-list macros."""
    return [(p, polarity, None) for p in phrases]


TEMPLATE_GLOBALS = {
    "urls": urls,
    "stages": list(Stage),
    "phrase_items": phrase_items,
    "safe_line": safe_line,
    "entry_boost": ENTRY_SEARCH_BOOST,
    "listing_boost": LISTING_SEARCH_BOOST,
    "phrasebook_boost": PHRASEBOOK_SEARCH_BOOST,
    "named_page_boost": NAMED_PAGE_SEARCH_BOOST,
}


@dataclass
class PageRenderer:
    """Renders one template as one page, with a view bound to that page's location."""

    handbook: Handbook
    options: RenderOptions = field(default_factory=RenderOptions)
    env: Environment = field(default_factory=make_environment)
    part: tuple[int, int] = (0, 1)  # (this worker, workers): each page is rendered by one

    @cached_property
    def cache(self) -> PageCache:
        return PageCache(self.handbook, self.options)

    def mine(self, page: str) -> bool:
        index, count = self.part
        return count == 1 or zlib.crc32(page.encode()) % count == index

    def render(self, template: str, page: str, **context: object) -> str:
        if not self.mine(page):
            return ""  # another worker renders it
        view = PageView(page, self.handbook, self.options)
        return self.env.get_template(template).render(
            view=view, handbook=self.handbook, **TEMPLATE_GLOBALS, **context
        )

    def render_entry(self, entry: Entry, page: str) -> str:
        """An entry's own page (`<kind>.md.j2`), kept from the last build if nothing it shows
        has changed."""
        template = f"{entry.kind}.md.j2"
        if not page_cache.keeping():  # a build renders every page
            return self.render(template, page, **{entry.kind: entry})
        return self.cache.render(
            template, page, entry, lambda: self.render(template, page, **{entry.kind: entry})
        )


def home_page(r: PageRenderer) -> dict[str, str]:
    diagram = stage_diagram(r.handbook, urls.HOME, r.options.use_directory_urls)
    return {urls.HOME: r.render("home.md.j2", urls.HOME, diagram=diagram)}


def situation_pages(r: PageRenderer) -> dict[str, str]:
    return _index_and_entries(r, urls.SITUATIONS, r.handbook.ordered_situations())


def technique_pages(r: PageRenderer) -> dict[str, str]:
    return _index_and_entries(r, urls.TECHNIQUES, r.handbook.techniques_in_call_order())


def _index_and_entries(r: PageRenderer, index: str, entries: list[Entry]) -> dict[str, str]:
    """A kind's index page (`<folder>s_index.md.j2`) and a page per entry (`<kind>.md.j2`)."""
    folder = index.split("/")[0]
    pages = {index: r.render(f"{folder}_index.md.j2", index)}
    for entry in entries:
        page = urls.entry_page(entry.kind, entry.id)
        if not r.mine(page):
            continue
        pages[page] = r.render_entry(entry, page)
    return pages


def phrasebook_page(r: PageRenderer) -> dict[str, str]:
    return {urls.PHRASEBOOK: r.render("phrasebook.md.j2", urls.PHRASEBOOK)}


def sources_page(r: PageRenderer) -> dict[str, str]:
    techniques = r.handbook.techniques_in_call_order()
    return {urls.SOURCES: r.render("sources.md.j2", urls.SOURCES, techniques=techniques)}


def card_pages(r: PageRenderer) -> dict[str, str]:
    if not r.handbook.cards:
        return {}
    papers = r.options.card_papers
    pages = {
        urls.CARDS: r.render("cards_index.md.j2", urls.CARDS, deck_sheets=deck_sheet_links(papers))
    }
    for card in r.handbook.ordered_cards():
        page = urls.entry_page("card", card.id)
        if not r.mine(page):
            continue
        pages[page] = r.render(
            "card_page.md.j2",
            page,
            card=card,
            card_markup=card_html(card, r.handbook, r.options.card_fits.get(card.id)),
            pdf_name=urls.relative(page, urls.card_pdf(card.id)),
            sheets=card_sheet_links(card, papers),
        )
    return pages


def card_description(card: Card) -> str:
    """'A6 desk card, 105 × 148 mm, portrait': what a team lead needs to pick paper."""
    kind = "desk card" if card.preset.desk else "lanyard badge"
    return (
        f"{card.preset.name} {kind}, {card.width_mm:g} × {card.height_mm:g} mm, "
        f"{card.orientation.value}, front and back."
    )


def story_pages(r: PageRenderer) -> dict[str, str]:
    """The published stories (the renderer only ever sees those), their index and the form."""
    stories = r.handbook.stories_newest_first()
    used_techniques = {t for s in stories for t in s.techniques}
    used_situations = {t for s in stories for t in s.situations}
    pages = {
        urls.STORIES: r.render(
            "stories_index.md.j2",
            urls.STORIES,
            stories=stories,
            story_techniques=[
                t for t in r.handbook.techniques_in_call_order() if t.id in used_techniques
            ],
            story_situations=[
                s for s in r.handbook.ordered_situations() if s.id in used_situations
            ],
        ),
        urls.STORY_FORM: r.render(
            "story_share.md.j2",
            urls.STORY_FORM,
            rules_json=json.dumps(rules_for_browser(), ensure_ascii=False).replace("</", "<\\/"),
            lesson_max=LESSON_MAX_CHARS,
            body_max=rules_for_browser()["published_body_max"],
        ),
    }
    for story in stories:
        page = urls.entry_page("story", story.id)
        if not r.mine(page):
            continue
        body = " ".join(story_body_html(story.body).split("\n"))
        pages[page] = r.render("story.md.j2", page, story=story, body_html=body)
    return pages


def freshness_pages(r: PageRenderer) -> dict[str, str]:
    """What's new (for agents) and Needs review (for trainers), from the entries' own dates."""
    items = overdue(r.handbook, r.options.fresh_days, r.options.today)
    return {
        urls.WHATS_NEW: r.render(
            "whats_new.md.j2", urls.WHATS_NEW, changes=recent_changes(r.handbook)
        ),
        urls.NEEDS_REVIEW: r.render(
            "needs_review.md.j2",
            urls.NEEDS_REVIEW,
            overdue_items=items,
            groups=by_owner(items),
            waiting_stories=r.options.waiting_stories,
            fresh_days=r.options.fresh_days,
            today=r.options.today,
        ),
    }


PAGE_BUILDERS: list[Callable[[PageRenderer], dict[str, str]]] = [
    home_page,
    situation_pages,
    technique_pages,
    phrasebook_page,
    card_pages,
    story_pages,
    freshness_pages,
    sources_page,
]


def render_pages(handbook: Handbook, options: RenderOptions | None = None) -> dict[str, str]:
    """Every generated page, keyed by its path under the docs folder (sorted, so the result
    does not depend on how many processes rendered it)."""
    options = options or RenderOptions()
    entries = len(handbook.techniques) + len(handbook.situations) + len(handbook.stories)
    count = workers() if entries >= MIN_ITEMS else 1
    parallel.shared["render"] = (handbook, options)
    pages: dict[str, str] = {}
    for part in parallel_map(_render_part, [(i, count) for i in range(count)], min_items=2):
        pages.update(part)
    return dict(sorted(pages.items()))


def _render_part(part: tuple[int, int]) -> dict[str, str]:
    handbook, options = parallel.shared["render"]
    renderer = PageRenderer(handbook, options, part=part)
    pages: dict[str, str] = {}
    for build in PAGE_BUILDERS:
        pages.update({path: text for path, text in build(renderer).items() if renderer.mine(path)})
    return pages


def asset_files() -> dict[str, bytes]:
    """Stylesheets, scripts and fonts the generated pages need, keyed by their path under docs."""
    found: dict[str, bytes] = {}
    pending = [(resources.files("kbgen") / "assets", urls.ASSETS_DIR)]
    while pending:
        folder, prefix = pending.pop()
        for item in folder.iterdir():
            if item.is_dir():
                pending.append((item, f"{prefix}/{item.name}"))
            elif item.is_file():
                found[f"{prefix}/{item.name}"] = item.read_bytes()
    found[urls.CARD_STYLESHEET] = stylesheet().encode()
    return dict(sorted(found.items()))
