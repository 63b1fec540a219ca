"""A small crawler over a built site: every internal href/src must reach a file (and anchor)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urlsplit

if TYPE_CHECKING:
    from pathlib import Path


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) and tag in {"a", "link", "script", "img", "source"}:
                self.links.append(values[name] or "")


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def _target(site: Path, page: Path, link: str) -> Path:
    resolved = (page.parent / unquote(link)).resolve()
    if resolved.is_dir() or link.endswith("/") or link == "":
        resolved = resolved / "index.html"
    return resolved


def broken_links(site: Path) -> list[str]:
    """'page -> link' for every internal link that does not resolve, anchors included."""
    site = site.resolve()
    parsed = {p: _parse(p) for p in site.rglob("*.html")}
    # MkDocs writes 404.html with root-absolute links on purpose: it is served at any URL.
    pages = {p: c for p, c in parsed.items() if p != site / "404.html"}
    broken = []
    for page, collector in pages.items():
        for link in collector.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            path, anchor = urldefrag(link)
            target = page if path == "" else _target(site, page, path)
            if not target.exists() or not target.is_relative_to(site):
                broken.append(f"{page.relative_to(site)} -> {link}")
                continue
            if anchor and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if anchor not in ids:
                    broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    return sorted(broken)
