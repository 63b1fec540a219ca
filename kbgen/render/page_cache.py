"""Entry pages kept between builds in one process (`mkdocs serve`), re-rendered only when
something they can show has changed.

An entry page shows its own entry and entries linked to it, in both directions: the ones it
names (a situation's techniques, a technique's sources and related techniques) and the ones
naming it (situations using a technique, stories, related techniques), and what those name in
turn (a technique's phrase on a situation page, with that phrase's source). A page's
key is a digest of all of those entries, the render options and the template; references are
the ones the checks follow (`Entry.references()`), so a new one counts as soon as it is made.
Only a preview keeps pages (`keep_pages(True)`): a build renders every page afresh.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from kbgen.model.entries import Entry
    from kbgen.model.handbook import Handbook

EntryKey = tuple[str, str]  # (kind, id)

_RENDERED: dict[tuple[str, str], tuple[bytes, str]] = {}  # (template, page) -> (key, text)
_MAX_PAGES = 50_000
_keeping = False


def keeping() -> bool:
    """Whether pages are kept between builds (a preview): else no key is worth computing."""
    return _keeping


def keep_pages(keep: bool) -> None:
    """Keep entry pages between builds in this process (the preview), or render all each time."""
    global _keeping
    _keeping = keep
    _RENDERED.clear()


class PageCache:
    """Keys for one build's entry pages, and the texts rendered for those keys before."""

    def __init__(self, handbook: Handbook, options: object) -> None:
        entries: dict[EntryKey, Entry] = {
            (entry.kind, entry.id): entry
            for kind in ("sources", "techniques", "situations", "cards", "stories")
            for entry in getattr(handbook, kind).values()
        }
        self._digests: dict[EntryKey, bytes] = {}
        self._names: dict[EntryKey, set[EntryKey]] = {}
        self._named_by: dict[EntryKey, set[EntryKey]] = defaultdict(set)
        for key, entry in entries.items():
            self._digests[key] = _digest(entry.model_dump_json().encode())
            named = {(ref.kind, ref.id) for ref in entry.references()} & entries.keys() - {key}
            self._names[key] = named
            for other in named:
                self._named_by[other].add(key)
        self._options = repr(options).encode()

    def key(self, template: str, entry: Entry) -> bytes:
        own = (entry.kind, entry.id)
        near = {own} | self._names.get(own, set()) | self._named_by.get(own, set())
        shown = set(near)
        for key in near:
            shown |= self._names.get(key, set())
        parts = [template.encode(), self._options]
        parts += [
            f"{kind}/{id_}".encode() + self._digests[(kind, id_)] for kind, id_ in sorted(shown)
        ]
        return _digest(b"\0".join(parts))

    def render(self, template: str, page: str, entry: Entry, render: Callable[[], str]) -> str:
        """The page's text: from the last build when its key is unchanged, else `render()`."""
        key = self.key(template, entry)
        kept = _RENDERED.get((template, page))
        if kept is not None and kept[0] == key:
            return kept[1]
        text = render()
        if len(_RENDERED) >= _MAX_PAGES:
            _RENDERED.clear()
        _RENDERED[(template, page)] = (key, text)
        return text


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
