"""QR codes for the back of a card: from the printed card to its page on the site."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup, escape


@lru_cache(maxsize=1024)
def qr_svg(url: str) -> Markup:
    """`url` as a QR code in inline SVG: black modules on white, no size of its own (the
    stylesheet sets it) and no quiet zone (the card's white margin around it is one).

    Error correction stays low so the code has as few modules as possible: each module is then
    bigger, which matters more to a phone camera than recovering a damaged quarter of a
    laminated card. segno raises the level by itself where that costs no extra module."""
    code = segno.make(url, error="l", micro=False)
    svg = code.svg_inline(
        border=0, dark="#000", light="#fff", omitsize=True, svgclass="kb-qr", lineclass=None
    )
    label = escape(f"QR code: {url}")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704
