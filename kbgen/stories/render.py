"""A story's text as HTML that cannot run anything: masked, escaped, then sanitised by nh3."""

from __future__ import annotations

import html
from functools import cache

import markdown
import nh3

from kbgen.stories.checks import mask_profanity

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "blockquote", "br", "code"}


@cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(output_format="html")


def story_body_html(body: str) -> str:
    """Markdown emphasis and lists work; raw HTML shows as text; links and scripts never
    survive (nh3 keeps only the tags above, with no attributes at all)."""
    escaped = html.escape(mask_profanity(body, star="\\*"), quote=False)
    rendered = _markdown().reset().convert(escaped)
    return nh3.clean(rendered, tags=ALLOWED_TAGS, attributes={}, url_schemes=set())


def safe_line(text: str) -> str:
    """A one-line field (title, lesson, outcome, author) with profanity masked."""
    return mask_profanity(text)
