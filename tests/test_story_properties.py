"""Property: a phone number, e-mail address or card number put anywhere in a story, in any
disguise, never reaches the story's page (hypothesis)."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kbgen.model.stories import Story
from kbgen.stories.moderation import check_story
from kbgen.stories.render import safe_line, story_body_html

SECRETS = {
    "phone": ["4155552671", "07700900123", "02079460958"],
    "card": ["4111111111111111", "5500000000000004"],
    "email": ["maria.lopez@example.com", "bob_j@example.org"],
}
FIELDS = ["title", "author", "outcome", "lesson", "body"]
SEPARATORS = [" ", ".", "-", "–", "/", "\u2009", "\u00a0", "", "\u200b", "\\.", "**"]
FULLWIDTH = str.maketrans("0123456789@.", "０１２３４５６７８９＠．")

BASE = {
    "title": "A long call about the bill",
    "author": "anonymous",
    "outcome": "Resolved on the call.",
    "lesson": "Let them finish first.",
    "body": "The customer shouted about a double charge on his bill. I let him finish, "
    "apologised and refunded it, and he thanked me.",
}


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from(sorted(SECRETS)))
    secret = draw(st.sampled_from(SECRETS[kind]))
    if kind == "email":
        local, domain = secret.split("@")
        at = draw(st.sampled_from(["@", "＠", " at ", " [at] ", "@\u200b"]))
        dot = draw(st.sampled_from([".", " dot ", "[.]", "\\."]))
        text = local + at + domain.replace(".", dot)
    else:
        groups, cursor = [], 0
        while cursor < len(secret):
            size = draw(st.integers(2, 4))
            groups.append(secret[cursor : cursor + size])
            cursor += size
        separator = draw(st.sampled_from(SEPARATORS))
        text = separator.join(groups)
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    return secret, text


@settings(max_examples=300, deadline=None)
@given(disguised(), st.sampled_from(FIELDS), st.sampled_from(["", "Call ", "it was "]))
def test_a_disguised_number_never_reaches_the_page(
    secret_and_text: tuple[str, str], field: str, lead: str
) -> None:
    secret, text = secret_and_text
    fields = dict(BASE)
    fields[field] = f"{fields[field]} {lead}{text}".strip()
    story = Story.model_validate(
        {
            **fields,
            "id": "s",
            "date": "2026-10-01",
            "channel": "phone",
            "techniques": ["let-them-vent"],
        }
    )
    if any(f.blocking for f in check_story(story)):
        return  # held back: nothing of it is published
    page = " ".join(safe_line(fields[f]) for f in FIELDS if f != "body")
    page += " " + html.unescape(re.sub(r"<[^>]+>", "", story_body_html(story.body)))
    shown = "".join(c for c in page if c.isalnum() or c in "@.").lower()
    assert secret.lower().replace("_", "") not in shown.replace("_", ""), (field, text)
