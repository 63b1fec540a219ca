"""Draws the call's stages and their techniques as an inline SVG, at build time, from the model.

No diagram library and no script: the picture is plain SVG with real links, so it works
offline, prints, and each technique in it is keyboard-focusable.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbgen.model.entries import Stage
from kbgen.render import urls
from kbgen.templating import make_environment

if TYPE_CHECKING:
    from kbgen.model.handbook import Handbook

COLUMN_WIDTH = 152
COLUMN_GAP = 20
HEADER_HEIGHT = 44
LINE_HEIGHT = 19
ITEM_PADDING = 9
ITEM_GAP = 8
CHARS_PER_LINE = 19


@dataclass(frozen=True)
class DiagramItem:
    x: int
    y: int
    height: int
    lines: list[str]
    href: str
    title: str


@dataclass(frozen=True)
class DiagramColumn:
    x: int
    label: str
    items: list[DiagramItem]


def stage_diagram(handbook: Handbook, page: str, use_directory_urls: bool = True) -> str:
    """The SVG markup (one block, no blank lines) for the page at `page`."""
    columns: list[DiagramColumn] = []
    bottom = HEADER_HEIGHT
    for index, stage in enumerate(Stage):
        x = index * (COLUMN_WIDTH + COLUMN_GAP)
        y = HEADER_HEIGHT + 16
        items = []
        for technique in handbook.techniques_in_stage(stage):
            lines = textwrap.wrap(technique.title, CHARS_PER_LINE) or [technique.title]
            height = len(lines) * LINE_HEIGHT + 2 * ITEM_PADDING
            target = urls.entry_page("technique", technique.id)
            href = urls.relative_site_url(page, target, use_directory_urls)
            items.append(DiagramItem(x, y, height, lines, href, technique.title))
            y += height + ITEM_GAP
        bottom = max(bottom, y)
        columns.append(DiagramColumn(x, stage.label, items))
    width = len(columns) * COLUMN_WIDTH + (len(columns) - 1) * COLUMN_GAP
    svg = (
        make_environment()
        .get_template("stages.svg.j2")
        .render(
            columns=columns,
            width=width,
            height=bottom + 4,
            column_width=COLUMN_WIDTH,
            column_gap=COLUMN_GAP,
            header_height=HEADER_HEIGHT,
            line_height=LINE_HEIGHT,
            item_padding=ITEM_PADDING,
        )
    )
    return "".join(line.strip() for line in svg.splitlines() if line.strip())
