"""The one place that decides where every generated page lives; all links are built from here."""

from __future__ import annotations

import posixpath
from functools import lru_cache

from kbgen.model.kinds import BY_NAME

HOME = "index.md"
SITUATIONS = "situations/index.md"
TECHNIQUES = "techniques/index.md"
PHRASEBOOK = "phrases/index.md"
CARDS = "cards/index.md"
STORIES = "stories/index.md"
STORY_FORM = "stories/share.md"
WHATS_NEW = "whats-new.md"
NEEDS_REVIEW = "trainers/needs-review.md"
SOURCES = "sources/index.md"
ASSETS_DIR = "assets/kbgen"
STYLESHEET = f"{ASSETS_DIR}/kbgen.css"
IFRAME_WORKER_SHIM = f"{ASSETS_DIR}/iframe-worker-shim.js"
CARD_STYLESHEET = f"{ASSETS_DIR}/cards.css"
SCRIPT = f"{ASSETS_DIR}/kbgen.js"
STORY_FORM_SCRIPT = f"{ASSETS_DIR}/story-form.js"
STORY_CHECKS_SCRIPT = f"{ASSETS_DIR}/story-checks.js"
SEARCH_SCRIPT = f"{ASSETS_DIR}/kbgen-search.js"


def card_pdf(card_id: str) -> str:
    """Where a card's duplex PDF is published, next to its page."""
    return f"cards/{card_id}.pdf"


def card_sheet_pdf(card_id: str, paper: str) -> str:
    """Where a card's imposed print sheet on `paper` ("a4", "letter") is published."""
    return f"cards/{card_id}-sheet-{paper}.pdf"


def deck_sheet_pdf(paper: str) -> str:
    """Where the print sheets of every card on `paper` are published, as one PDF."""
    return f"cards/all-cards-sheet-{paper}.pdf"


def entry_page(kind: str, entry_id: str) -> str:
    """Source path (relative to docs) of the page of one entry."""
    registered = BY_NAME[kind]
    if not registered.own_pages:
        return f"{registered.folder}/index.md"  # one shared page, an anchor per entry
    return f"{registered.folder}/{entry_id}.md"


def entry_anchor(kind: str, entry_id: str) -> str:
    """Anchor of an entry on a shared page (sources all live on one page)."""
    return "" if BY_NAME[kind].own_pages else entry_id


@lru_cache(maxsize=65536)
def relative(from_page: str, to_page: str, anchor: str = "") -> str:
    """A Markdown link target from one generated page to another: MkDocs checks and rewrites it."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    if from_page == to_page:
        target = ""
    return f"{target}#{anchor}" if anchor else target


def site_url(page: str, use_directory_urls: bool = True) -> str:
    """The URL path MkDocs gives a page's HTML, relative to the site root ('' for the home page)."""
    stem = page.removesuffix(".md")
    if not use_directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


@lru_cache(maxsize=65536)
def relative_site_url(from_page: str, to_page: str, use_directory_urls: bool = True) -> str:
    """A final URL for raw HTML (inline SVG), which MkDocs does not rewrite: relative, so the
    site works from any folder or sub-path."""
    here = site_url(from_page, use_directory_urls)
    there = site_url(to_page, use_directory_urls)
    base = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    target = posixpath.relpath(there.rstrip("/") or ".", base or ".")
    return f"{target}/" if there.endswith("/") or not there else target


def relative_file_url(from_page: str, file_path: str, use_directory_urls: bool = True) -> str:
    """A final URL from a page to a file that is published as it is (a stylesheet, a PDF)."""
    here = site_url(from_page, use_directory_urls)
    base = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    return posixpath.relpath(file_path, base or ".")
