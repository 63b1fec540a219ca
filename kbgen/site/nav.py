"""The site navigation, generated from the model: situations first, then techniques by stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.model.entries import Stage
from kbgen.render import urls

if TYPE_CHECKING:
    from mkdocs.structure.files import Files

    from kbgen.model.handbook import Handbook

NavItem = str | dict[str, "str | list[NavItem]"]


def build_nav(handbook: Handbook, files: Files, max_entries: int = 60) -> list[NavItem]:
    """Navigation in MkDocs' `nav` format. Hand-written pages follow, nested by their folders.
    A section with more than `max_entries` entries lists only its index page."""
    generated = {f.src_uri for f in files if f.generated_by}
    techniques: list[NavItem] = [urls.TECHNIQUES]
    if len(handbook.techniques) <= max_entries:
        for stage in Stage:
            in_stage = handbook.techniques_filed_under(stage)
            if in_stage:
                techniques.append({stage.label: [_page(t) for t in in_stage]})
    situations = handbook.ordered_situations()
    cards = handbook.ordered_cards()
    # Top-level items are few and short: with Material's navigation.tabs they are the tabs an
    # agent sees on a desktop screen without scrolling the sidebar
    nav: list[NavItem] = [
        {"Home": [urls.HOME, urls.WHATS_NEW]},
        {"Situations": [urls.SITUATIONS, *_capped(situations, max_entries)]},
        {"Techniques": techniques},
        {"Phrasebook": urls.PHRASEBOOK},
        *([{"Cards": [urls.CARDS, *_capped(cards, max_entries)]}] if cards else []),
        {"Stories": [urls.STORIES, urls.STORY_FORM]},
        {"Sources": urls.SOURCES},
        {"For trainers": [urls.NEEDS_REVIEW]},
    ]
    return nav + _hand_written(files, generated)


def listed_pages(nav: list[NavItem]) -> set[str]:
    """Every page path a nav lists."""
    found: set[str] = set()
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, str):
                found.add(value)
            else:
                found |= listed_pages(value)
    return found


def _capped(entries: list, max_entries: int) -> list[str]:
    return [_page(e) for e in entries] if len(entries) <= max_entries else []


def _page(entry: object) -> str:
    return urls.entry_page(entry.kind, entry.id)  # type: ignore[attr-defined]


def _hand_written(files: Files, generated: set[str]) -> list[NavItem]:
    """Hand-written Markdown pages grouped by top folder ('guide/x.md' → section 'Guide')."""
    sections: dict[str, list[NavItem]] = {}
    top: list[NavItem] = []
    for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        if file.src_uri in generated:
            continue
        folder, _, _rest = file.src_uri.rpartition("/")
        if folder:
            title = folder.split("/")[0].replace("-", " ").capitalize()
            sections.setdefault(title, []).append(file.src_uri)
        else:
            top.append(file.src_uri)
    return top + [{title: pages} for title, pages in sections.items()]
