"""Hold what cannot be ruled out: a story with a name-like span, a long number or an address
is held, its findings numbered and highlighted in `kbgen stories`, and a trainer publishes it
only by naming each finding the approval overrides (`--accept-finding N`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from conftest import cli, mkdocs_build
from factory import write
from test_stories import story

from kbgen.stories.checks import check_fields, check_text
from kbgen.stories.reading import read

if TYPE_CHECKING:
    from pathlib import Path

BODY = (
    "The customer was angry about a double charge on his bill and shouted at me. I let him "
    "finish, apologised for the mess and offered a refund or a credit, and he took the refund."
)


def test_the_normal_form_reads_every_disguise_the_same_way() -> None:
    cases = {
        "0̲7̲7̲0̲0̲": "07700",
        "٠٧٧٠٠": "07700",
        "०७७००": "07700",
        "oh double seven": "0  77",
        "Mrs O’Neill": "mrs o'neill",
        "jo&commat;example": "jo@example",
        "a%40b": "a@b",
        "Mrsㅤ Kim": "mrs  kim",
    }
    assert {k: read(k).text for k in cases} == cases
    reading = read("He typed Sm8gU21pdGg= in")
    assert "jo smith" in reading.text and reading.encoded


def test_ordinary_numbers_and_words_pass() -> None:
    ordinary = (
        "It took 2 minutes, a £20 credit fixed it, the order took 3 days, he rang on Tuesday. "
        "I used Let Them Vent and Offer Choices; the bill was £1,299.99 on 2026-11-05, "
        "10:30-11:15, a 12.5% rise since 2019-2023. Sorry sir, the sort code changed."
    )
    assert [f for f in check_text(BODY + " " + ordinary) if f.blocking] == []


def test_a_number_split_between_title_and_lesson_is_held_with_both_fields_named() -> None:
    found = check_fields(
        {"title": "Rang back on 07700", "lesson": "900 136 was the right number", "body": BODY}
    )
    split = [f for f in found if "split between the title and the lesson" in f.what]
    assert split and split[0].blocking and split[0].field == "title"


@pytest.mark.build
@pytest.mark.slow
def test_a_held_story_is_approved_only_by_naming_its_finding(project: Path) -> None:
    path = write(project / "snippets/stories/named.md", story(BODY + " Mrs O’Neill rang back."))
    listing = cli(project, "stories")
    assert listing.returncode == 0
    assert "[1] snippets/stories/named.md:" in listing.stdout
    assert "a person's name with a title" in listing.stdout
    assert "⟦Mrs O’Neill⟧" in listing.stdout
    assert "kbgen stories approve named --accept-finding 1" in listing.stdout

    refused = cli(project, "stories", "approve", "named")
    assert refused.returncode == 1
    assert "--accept-finding 1" in refused.stderr and "not approved" in refused.stderr
    wrong = cli(project, "stories", "approve", "named", "--accept-finding", "7")
    assert wrong.returncode == 2 and "no finding [7]" in wrong.stderr

    approved = cli(project, "stories", "approve", "named", "--accept-finding", "1")
    assert approved.returncode == 0, approved.stderr
    assert "finding [1] accepted" in approved.stderr
    assert "accepted:" in (project / "snippets/stories/moderation.yml").read_text()
    assert "accepted personal data" in cli(project, "stories").stdout
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert "O’Neill" in (project / "site/stories/named/index.html").read_text()

    path.write_text(story(BODY + " Mrs O’Neill rang back on 07700 900 123."))
    built = mkdocs_build(project, strict=False)
    assert not (project / "site/stories/named").exists()  # edited: back in the queue


@pytest.mark.build
def test_spam_cannot_be_accepted(project: Path) -> None:
    write(project / "snippets/stories/linked.md", story(BODY + " See https://example.org/x"))
    result = cli(project, "stories", "approve", "linked", "--accept-finding", "1")
    assert result.returncode == 2
    assert "cannot be accepted" in result.stderr
    assert not (project / "snippets/stories/moderation.yml").exists()


def test_a_code_span_is_escaped_once() -> None:
    from kbgen.stories.render import story_body_html

    rendered = story_body_html("He typed `<b>` and <i>this</i> into the chat.")
    assert "<code>&lt;b&gt;</code>" in rendered
    assert "&amp;lt;" not in rendered and "&lt;i&gt;this&lt;/i&gt;" in rendered


def test_naming_a_finding_of_a_story_with_none_says_so(project: Path) -> None:
    write(project / "snippets/stories/clean.md", story())
    result = cli(project, "stories", "approve", "clean", "--accept-finding", "2")
    assert result.returncode != 0
    assert "no finding [2]: it has none (see `kbgen stories`)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_proxy_that_is_no_address_is_refused_before_the_inbox_starts(project: Path) -> None:
    result = cli(project, "inbox", "--proxy", "proxy.example", "--port", "0")
    assert result.returncode == 2
    assert "'proxy.example' is not an IP address" in result.stderr
