"""Stories from the floor are moderated: personal data, spam and unsafe markup never reach the
site, profanity is masked, and only approved stories are published."""

from __future__ import annotations

import json
import re
import textwrap
from typing import TYPE_CHECKING

import pytest
from conftest import ARTICLES, REPO, cli, mkdocs_build
from factory import write

from kbgen.stories.checks import check_text, mask_profanity
from kbgen.stories.render import story_body_html

if TYPE_CHECKING:
    from pathlib import Path

CLEAN = (
    "The customer was angry about a double charge on his bill and shouted at me. I let him "
    "finish, apologised for the mess and offered a refund or a credit, and he took the refund."
)


def comment(handle: str) -> str:
    """A comment from the stored copy of article 002, exactly as its thread shows it."""
    thread = (
        (ARTICLES / "002_8a0eb76ef9f8a9db.txt")
        .read_text(encoding="utf-8")
        .split("Responses to", 1)[1]
    )
    entries = [e.strip() for e in re.split(r"\n\s*\d+\.\s+", thread)[1:]]
    entry = next(e for e in entries if e.startswith(handle))
    return " ".join(entry.split("says:", 1)[-1].split())


# (name, text, blocked?, categories that must be found, what a finding must say)
FIXTURES = [
    ("clean story", CLEAN, False, set(), ""),
    (
        "e-mail address",
        CLEAN + " He wrote to me from bob.jones@example.com later.",
        True,
        {"personal data"},
        "an e-mail address",
    ),
    (
        "international phone",
        CLEAN + " He gave +44 20 7946 0958 for a call back.",
        True,
        {"personal data"},
        "a phone number",
    ),
    (
        "UK mobile, local format",
        CLEAN + " Ring him on 07700 900123 tomorrow.",
        True,
        {"personal data"},
        "a phone number",
    ),
    (
        "UK landline, local format",
        CLEAN + " His office is 0161 496 0000.",
        True,
        {"personal data"},
        "a phone number",
    ),
    (
        "US phone, local format",
        CLEAN + " Her number is (212) 555-0187.",
        True,
        {"personal data"},
        "a phone number",
    ),
    (
        "payment card (Luhn valid)",
        CLEAN + " He read out 4111 1111 1111 1111 to me.",
        True,
        {"personal data"},
        "a payment card number",
    ),
    (
        "16 digits that fail Luhn: still a number about the customer",
        CLEAN + " The parcel code was 4111 1111 1111 1112.",
        True,
        {"personal data"},
        "a long number",
    ),
    (
        "labelled order number",
        CLEAN + " It was order number 4471-2290.",
        True,
        {"personal data"},
        "an account, order or reference number",
    ),
    (
        "labelled ticket number",
        CLEAN + " See ticket #A12345 for details.",
        True,
        {"personal data"},
        "an account, order or reference number",
    ),
    (
        "labelled account number",
        CLEAN + " Account no. 99812345 was the one.",
        True,
        {"personal data"},
        "an account, order or reference number",
    ),
    (
        "a date and a duration",
        CLEAN + " On 2026-11-05 he waited 45 minutes on hold.",
        False,
        set(),
        "",
    ),
    (
        "outside link",
        CLEAN + " More at https://example.org/tips",
        True,
        {"spam"},
        "a web address",
    ),
    (
        "script tag",
        CLEAN + " <script>alert('x')</script>",
        True,
        {"unsafe content"},
        "HTML markup",
    ),
    (
        "onerror attribute",
        CLEAN + ' <img src="x" onerror="alert(1)">',
        True,
        {"unsafe content"},
        "HTML markup",
    ),
    (
        "javascript: link",
        CLEAN + " [click me](javascript:alert(1))",
        True,
        {"unsafe content"},
        "a script link",
    ),
    ("quoted profanity", CLEAN + ' He said "this is fucking useless".', False, set(), ""),
    ("genuine tip: chairman23", comment("chairman23"), False, set(), ""),
    ("genuine tip: Savanna", comment("Savanna"), False, set(), ""),
    ("genuine tip: Chris", comment("Chris"), False, set(), ""),
    ("spam: hosting and Adwords", comment("hello there"), True, {"spam"}, "promotional text"),
    ("spam: mujeres", comment("mujeres"), True, {"spam"}, ""),
    ("spam: untue", comment("untue"), True, {"spam"}, "promotional text"),
    ("spam: Eli Alimento", comment("Eli Alimento"), True, {"spam"}, ""),
]


@pytest.mark.parametrize(
    ("name", "text", "blocked", "categories", "says"), FIXTURES, ids=[f[0] for f in FIXTURES]
)
def test_story_checks_verdicts(
    name: str, text: str, blocked: bool, categories: set[str], says: str
) -> None:
    findings = check_text(text)
    assert any(f.blocking for f in findings) == blocked, findings
    assert {f.category for f in findings} == categories, findings
    assert not says or any(says in f.what for f in findings), findings
    assert all(f.fix for f in findings)


def test_fixture_table_false_positives_and_negatives(capsys: pytest.CaptureFixture[str]) -> None:
    false_positives = sum(
        1 for _, t, b, *_ in FIXTURES if not b and any(f.blocking for f in check_text(t))
    )
    false_negatives = sum(
        1 for _, t, b, *_ in FIXTURES if b and not any(f.blocking for f in check_text(t))
    )
    with capsys.disabled():
        print(
            f"\nstory checks: {len(FIXTURES)} fixtures, {false_positives} false positives, "
            f"{false_negatives} false negatives"
        )
    assert false_positives == false_negatives == 0


def test_unsafe_markup_renders_as_harmless_text() -> None:
    rendered = story_body_html(
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) *ok*"
    )
    assert "<script" not in rendered and "<img" not in rendered and "href" not in rendered
    assert "&lt;script&gt;" in rendered and "<em>ok</em>" in rendered


def test_profanity_is_masked_not_rejected() -> None:
    assert mask_profanity("He said fucking hell, you shit") == "He said f****** hell, you s***"
    assert mask_profanity("Scunthorpe and class") == "Scunthorpe and class"
    assert "f******" in story_body_html("a *fucking* mess")


def story(body: str = CLEAN, title: str = "Let him finish", extra: str = "") -> str:
    return (
        textwrap.dedent(f"""\
        ---
        title: "{title}"
        author: anonymous
        date: 2026-10-01
        channel: phone
        situations: [customer-is-yelling]
        techniques: [let-them-vent]
        outcome: Resolved on the call.
        lesson: Let them finish before you fix it.
        """)
        + extra
        + "---\n"
        + body
        + "\n"
    )


def test_only_approved_clean_stories_reach_pages_and_search(project: Path) -> None:
    write(project / "snippets/stories/approved-one.md", story(title="Approved story"))
    write(project / "snippets/stories/waiting-one.md", story(title="Waiting story"))
    write(project / "snippets/stories/rejected-one.md", story(title="Rejected story"))
    write(
        project / "snippets/stories/leaky-one.md",
        story(CLEAN + " Call him on 07700 900123.", title="Leaky story"),
    )
    assert cli(project, "stories", "approve", "approved-one").returncode == 0
    assert (
        cli(project, "stories", "reject", "rejected-one", "--reason", "off topic").returncode == 0
    )
    assert cli(project, "stories", "approve", "leaky-one", "--force").returncode == 0

    strict = mkdocs_build(project)
    assert strict.returncode == 1
    assert (
        "snippets/stories/leaky-one.md:11: warning: story 'leaky-one' is approved but not "
        "published: a phone number (077…) in the body" in strict.stderr
    )

    relaxed = mkdocs_build(project, strict=False)
    assert relaxed.returncode == 0, relaxed.stderr
    site = project / "site"
    assert (site / "stories/approved-one/index.html").exists()
    for hidden in ("waiting-one", "rejected-one", "leaky-one"):
        assert not (site / "stories" / hidden).exists()
    everything = "\n".join(p.read_text() for p in site.rglob("*.html"))
    index = (site / "search/search_index.json").read_text()
    for hidden in ("Waiting story", "Rejected story", "Leaky story", "07700"):
        assert hidden not in everything and hidden not in index
    # published stories are reached from the story list and "From the floor", not search
    assert "Approved story" not in index
    technique = (site / "techniques/let-them-vent/index.html").read_text()
    assert "From the floor" in technique and "Approved story" in technique
    assert "Approved story" in (site / "index.html").read_text()


def test_bundled_site_publishes_approved_stories_only(bundled_site: Path) -> None:
    from kbgen.loading.loader import load_handbook
    from kbgen.stories.ledger import read_ledger
    from kbgen.stories.moderation import state_of

    handbook = load_handbook(REPO / "snippets", REPO)
    ledger = read_ledger(REPO / "snippets/stories")
    index = json.loads((bundled_site / "search/search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    for item in handbook.stories.values():
        raw = (REPO / "snippets/stories" / f"{item.id}.md").read_bytes()
        approved = state_of(ledger.get(item.id), raw)[0] == "approved"
        page = bundled_site / "stories" / item.id / "index.html"
        assert page.exists() == approved, item.id
        assert f"stories/{item.id}/" not in locations
    assert sum(1 for i in handbook.stories if (bundled_site / "stories" / i).exists()) >= 10


def test_approving_and_rejecting_never_touch_the_story_file(project: Path) -> None:
    path = write(project / "snippets/stories/waiting-one.md", story())
    before = path.read_bytes()
    assert cli(project, "stories", "approve", "waiting-one").returncode == 0
    assert path.read_bytes() == before
    assert "approved (1)" in cli(project, "stories").stdout
    result = cli(project, "stories", "reject", "waiting-one", "--reason", 'Too "vague"')
    assert result.returncode == 0
    assert path.read_bytes() == before
    listing = cli(project, "stories")
    assert "rejected (1)" in listing.stdout and 'reason: Too "vague"' in listing.stdout
    ledger = (project / "snippets/stories/moderation.yml").read_text()
    assert "waiting-one:" in ledger and "state: rejected" in ledger


def test_a_story_file_cannot_approve_itself(project: Path) -> None:
    """Whatever a submitted file says of its status, only a trainer's approval publishes it."""
    forged = story(extra="status: approved\n", title="I approved myself")
    write(project / "snippets/stories/forged.md", forged)
    assert mkdocs_build(project).returncode == 0
    assert not (project / "site/stories/forged").exists()
    assert "I approved myself" not in (project / "site/index.html").read_text()


def test_a_story_edited_after_approval_goes_back_to_the_queue(project: Path) -> None:
    path = write(project / "snippets/stories/edited.md", story(title="Approved once"))
    assert cli(project, "stories", "approve", "edited").returncode == 0
    path.write_text(story(CLEAN + " Call him on 07700 900123.", title="Approved once"))
    listing = cli(project, "stories")
    assert "submitted (1)" in listing.stdout and "changed since the last decision" in listing.stdout
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert not (project / "site/stories/edited").exists()


def test_approving_a_story_with_personal_data_is_refused(project: Path) -> None:
    path = write(
        project / "snippets/stories/leaky.md",
        story(CLEAN + " Mail bob.jones@example.com."),
    )
    before = path.read_bytes()
    result = cli(project, "stories", "approve", "leaky")
    assert result.returncode == 1
    assert "snippets/stories/leaky.md: an e-mail address (bob…) in the body" in result.stderr
    assert path.read_bytes() == before
    assert not (project / "snippets/stories/moderation.yml").exists()
    listing = cli(project, "stories")
    assert (
        "snippets/stories/leaky.md:11: personal data: an e-mail address (bob…) in the body"
        in listing.stdout
    )


UNREADABLE = {
    "a NUL byte": story().encode().replace(b"Resolved", b"Res\x00olved"),
    "invalid UTF-8": story().encode().replace(b"Resolved", b"Res\xff\xfeolved"),
    "too big": story(CLEAN + " " + "The customer waited. " * 30_000).encode(),
    "a YAML alias": story()
    .encode()
    .replace(b"techniques: [let-them-vent]", b"techniques: &t [let-them-vent]\nsituations2: *t"),
    "broken YAML": story().encode().replace(b'title: "Let him finish"', b'title: "Let him'),
    "an unknown technique": story().encode().replace(b"let-them-vent", b"let-them-vnet"),
}


@pytest.mark.parametrize("defect", sorted(UNREADABLE))
def test_a_story_that_cannot_be_read_stops_nothing_and_can_be_rejected(
    project: Path, defect: str
) -> None:
    write(project / "snippets/stories/good-one.md", story(title="A good story"))
    assert cli(project, "stories", "approve", "good-one").returncode == 0
    bad = project / "snippets/stories/bad-one.md"
    bad.write_bytes(UNREADABLE[defect])
    check = cli(project, "check")
    assert check.returncode == 0, check.stderr
    assert "snippets/stories/bad-one.md" in check.stderr and "story left out" in check.stderr
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert (project / "site/stories/good-one/index.html").exists()
    assert not (project / "site/stories/bad-one").exists()
    assert "left out, cannot be read or checked (1)" in cli(project, "stories").stdout
    rejected = cli(project, "stories", "reject", "bad-one", "--reason", "unreadable")
    assert rejected.returncode == 0, rejected.stderr
    assert bad.read_bytes() == UNREADABLE[defect]  # the file itself is never touched
    assert "bad-one:" in (project / "snippets/stories/moderation.yml").read_text()


def test_the_word_todo_in_a_story_is_just_a_word(project: Path) -> None:
    write(project / "snippets/stories/pad.md", story(CLEAN + " I wrote it on my TODO list."))
    assert cli(project, "stories", "approve", "pad").returncode == 0
    assert mkdocs_build(project).returncode == 0
    assert (project / "site/stories/pad/index.html").exists()
