"""A story's text as the site shows it: masked, escaped, sanitised by nh3, and with invisible
characters dropped; and the same text as plain words, for the checks."""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING

import markdown
import nh3

from kbgen.stories.checks import mask_profanity
from kbgen.stories.normalise import without_invisible

if TYPE_CHECKING:
    from kbgen.model.stories import Story

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "blockquote", "br", "code"}


@cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(output_format="html")


def story_body_html(body: str, mask: bool = True) -> str:
    """Markdown emphasis and lists work; raw HTML shows as text; links and scripts never
    survive (nh3 keeps only the tags above, with no attributes at all)."""
    text = without_invisible(body)
    if mask:
        text = mask_profanity(text, star="\\*")
    escaped = html.escape(text, quote=False)
    rendered = _CODE.sub(_escaped_once, _markdown().reset().convert(escaped))
    return nh3.clean(rendered, tags=ALLOWED_TAGS, attributes={}, url_schemes=set())


_CODE = re.compile(r"(<code>)(.*?)(</code>)", re.DOTALL)


def _escaped_once(match: re.Match[str]) -> str:
    """Markdown escapes a code span's text itself: what was escaped above is escaped twice
    there (`&amp;lt;b&amp;gt;` showing as `&lt;b&gt;`), so one level is undone."""
    return match.group(1) + html.unescape(match.group(2)) + match.group(3)


def safe_line(text: str) -> str:
    """A one-line field (title, lesson, outcome, author) as shown: profanity masked."""
    return mask_profanity(without_invisible(text))


def plain_text(rendered: str) -> str:
    """What a reader of the HTML sees: its text, tags dropped, entities decoded."""
    return html.unescape(nh3.clean(rendered, tags=set()))


def written_fields(story: Story) -> dict[str, str]:
    """Every text field of a story as its file gives it (after YAML): what the share form
    checks, and what a trainer reads."""
    fields = {
        "title": story.title,
        "author": story.author,
        "outcome": story.outcome,
        "lesson": story.lesson,
        "body": story.body,
    }
    if story.source is not None:
        fields["commenter"] = story.source.commenter
    return fields


def published_fields(story: Story) -> dict[str, str]:
    """Every piece of a story's text that reaches a page, as a reader sees it (before
    masking, which hides nothing the checks need to see)."""
    fields = {
        "title": story.title,
        "author": story.author,
        "outcome": story.outcome,
        "lesson": story.lesson,
        "body": plain_text(story_body_html(story.body, mask=False)),
    }
    if story.source is not None:
        fields["commenter"] = story.source.commenter
    return fields
