"""The card font shipped with kbgen: where it is, what it can draw, and a digest of its files
(a new font file changes every card, so the PDF cache must see it)."""

from __future__ import annotations

import hashlib
import html
import re
from functools import cache
from importlib import resources
from pathlib import Path

ASSETS = Path(str(resources.files("kbgen") / "assets"))
"""The folder the stylesheet's font URLs are relative to."""

FONT_FILES = ("fonts/AtkinsonHyperlegible-Regular.ttf", "fonts/AtkinsonHyperlegible-Bold.ttf")


def font_paths() -> list[Path]:
    return [ASSETS / name for name in FONT_FILES]


def fonts_digest() -> str:
    """A digest of the font files' bytes (read again only when a file changes)."""
    return _digest(tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in font_paths()))


@cache
def _digest(files: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for name, _, _ in files:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()


def missing_characters(markup: str) -> list[str]:
    """Characters in the markup's visible text that the card font cannot draw: they would
    fall back to whatever font the printing machine has."""
    text = html.unescape(re.sub(r"<svg.*?</svg>|<[^>]+>", " ", markup, flags=re.S))
    known = _font_characters(tuple(str(p) for p in font_paths()))
    return sorted({c for c in text if not c.isspace() and c not in known})


@cache
def _font_characters(paths: tuple[str, ...]) -> frozenset[str]:
    from fontTools.ttLib import TTFont  # only needed when checking a card

    chars: set[str] = set()
    for path in paths:
        chars |= {chr(code) for code in TTFont(path).getBestCmap()}
    return frozenset(chars)
