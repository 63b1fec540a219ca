"""A content-addressed cache of card PDFs and print sheets, shared by every command.

A card's key is a digest of everything its PDF is made from: the card's own markup with its
type sizes left out (which holds its title, blocks and the words of every entry it refers to,
exactly as printed), the sizes it may be set at, the page address its QR code holds, the
stylesheet, the font files, the code that lays cards out and the versions of kbgen and
WeasyPrint. A card whose key is in the cache is never laid out again; any change to what it
prints gives a new key. `mkdocs build`, `mkdocs serve` and `kbgen cards` share the folder
(~/.cache/kbgen/cards by default), so a card is rendered once whichever runs first.

Entries are written to a temporary file and renamed, so two builds at once never read half a
file; entries unused for PRUNE_AFTER_DAYS are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.cards import faces, fonts
from kbgen.cards.fit import CardFit
from kbgen.cards.problems import DeckProblem

if TYPE_CHECKING:
    from kbgen.model.cards import Card
    from kbgen.model.handbook import Handbook

FORMAT = "kbgen-cards-1"
"""Bump to set aside every cached entry at once."""

PRUNE_AFTER_DAYS = 30


def default_folder() -> Path:
    """The user's cache folder, beside the compiled templates (see kbgen/templating.py)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kbgen" / "cards"


@cache
def _code_digest() -> str:
    """The code and templates that decide what a card looks like, and the libraries' versions:
    a change to any of them must not serve a card laid out the old way."""
    digest = hashlib.blake2b(digest_size=16)
    package = resources.files("kbgen")
    sources = [package / "cards" / name for name in sorted(os.listdir(str(package / "cards")))]
    sources += [
        package / "model" / "cards.py",
        package / "templates" / "card.html.j2",
        package / "templates" / "print_document.html.j2",
        package / "templates" / "sheet.html.j2",
    ]
    for source in sources:
        if str(source).endswith((".py", ".j2")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for library in ("kbgen", "weasyprint", "pydyf", "pikepdf", "segno"):
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none\0".encode())
    return digest.hexdigest()


def engine_digest() -> str:
    """Everything shared by all cards: code, stylesheet, fonts."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (FORMAT, _code_digest(), faces.stylesheet(), fonts.fonts_digest()):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def content_digest(card: Card, handbook: Handbook) -> str:
    """What a card prints, its sizes left out: its title, blocks and every referenced word."""
    markup = faces.face_markup(card, handbook, dict.fromkeys(faces.FACES, 0.0), None)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{card.title}\0{card.body_sizes()}\0".encode())
    digest.update(markup.encode())
    return digest.hexdigest()


def card_key(content: str, page_url: str | None, engine: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{content}\0{page_url or ''}\0{engine}".encode())
    return digest.hexdigest()


def derived_key(*parts: str) -> str:
    """A key for something made from other cached things (a sheet from card PDFs)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update("\0".join((FORMAT, *parts)).encode())
    return digest.hexdigest()


_fits: dict[str, CardFit] = {}
"""The fit of each card content this process rendered or read: the site's preview asks."""


def remember_fit(content: str, fit: CardFit) -> None:
    _fits[content] = fit


def remembered_fit(card: Card, handbook: Handbook) -> CardFit | None:
    """The fit the last deck render in this process chose for this card as it is now."""
    if not _fits:
        return None
    return _fits.get(content_digest(card, handbook))


class Cache:
    """Card outcomes (fit, problems, PDF) and sheets by key, in `folder`; a folder that cannot
    be written makes a cache that keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder if folder is not None else default_folder()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.usable = os.access(self.folder, os.W_OK)
        except OSError:
            self.usable = False

    def _path(self, key: str, suffix: str) -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def read(self, key: str, suffix: str) -> bytes | None:
        if not self.usable:
            return None
        path = self._path(key, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by prune()
        return data

    def write(self, key: str, suffix: str, data: bytes) -> None:
        if not self.usable:
            return
        path = self._path(key, suffix)
        try:
            path.parent.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(temporary)

    def read_card(self, key: str) -> tuple[CardFit | None, list[DeckProblem], bytes | None] | None:
        """A card's cached outcome, or None when it was never rendered with this key."""
        raw = self.read(key, ".json")
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            fit = CardFit.from_json(data["fit"]) if data["fit"] else None
            found = [DeckProblem.from_json(p) for p in data["problems"]]
        except (ValueError, KeyError, TypeError):
            return None
        pdf = self.read(key, ".pdf") if fit is not None else None
        if fit is not None and pdf is None:
            return None
        return fit, found, pdf

    def write_card(
        self, key: str, fit: CardFit | None, found: list[DeckProblem], pdf: bytes | None
    ) -> None:
        if pdf is not None:
            self.write(key, ".pdf", pdf)  # first: the record below promises it is there
        record = {"fit": fit.as_json() if fit else None, "problems": [p.as_json() for p in found]}
        self.write(key, ".json", json.dumps(record, sort_keys=True).encode())

    def prune(self, days: float = PRUNE_AFTER_DAYS) -> None:
        """Remove entries not used for `days` (at most once a day)."""
        if not self.usable:
            return
        stamp = self.folder / ".pruned"
        now = time.time()
        try:
            if now - stamp.stat().st_mtime < 86400:
                return
        except OSError:
            pass
        with contextlib.suppress(OSError):
            stamp.touch()
            for path in self.folder.glob("*/*"):
                if now - path.stat().st_mtime > days * 86400:
                    path.unlink()
