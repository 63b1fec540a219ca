"""Stories from the floor are moderated: personal data, spam and unsafe markup never reach the
site, profanity is masked, and only approved stories are published."""

from __future__ import annotations

import difflib
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
        "16 digits that fail Luhn",
        CLEAN + " The parcel code was 4111 1111 1111 1112.",
        False,
        set(),
        "",
    ),
    (
        "labelled order number",
        CLEAN + " It was order number 4471-2290.",
        True,
        {"personal data"},
        "an account, order or ticket number",
    ),
    (
        "labelled ticket number",
        CLEAN + " See ticket #A12345 for details.",
        True,
        {"personal data"},
        "an account, order or ticket number",
    ),
    (
        "labelled account number",
        CLEAN + " Account no. 99812345 was the one.",
        True,
        {"personal data"},
        "an account, order or ticket number",
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
        "a link to an outside site",
    ),
    (
        "script tag",
        CLEAN + " <script>alert('x')</script>",
        False,
        {"unsafe content"},
        "HTML markup",
    ),
    (
        "onerror attribute",
        CLEAN + ' <img src="x" onerror="alert(1)">',
        False,
        {"unsafe content"},
        "an HTML event handler",
    ),
    (
        "javascript: link",
        CLEAN + " [click me](javascript:alert(1))",
        False,
        {"unsafe content"},
        "a javascript: link",
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


def story(status: str, body: str = CLEAN, title: str = "Let him finish") -> str:
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
        status: {status}
        ---
        """)
        + body
        + "\n"
    )


def test_only_approved_clean_stories_reach_pages_and_search(project: Path) -> None:
    write(project / "snippets/stories/approved-one.md", story("approved", title="Approved story"))
    write(project / "snippets/stories/waiting-one.md", story("submitted", title="Waiting story"))
    write(
        project / "snippets/stories/rejected-one.md",
        story('{rejected: "off topic"}', title="Rejected story"),
    )
    write(
        project / "snippets/stories/leaky-one.md",
        story("approved", CLEAN + " Call him on 07700 900123.", title="Leaky story"),
    )

    strict = mkdocs_build(project)
    assert strict.returncode == 1
    assert (
        "snippets/stories/leaky-one.md:12: warning: story 'leaky-one' is approved but not "
        "published: a phone number" in strict.stderr
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

    handbook = load_handbook(REPO / "snippets", REPO)
    index = json.loads((bundled_site / "search/search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    for item in handbook.stories.values():
        page = bundled_site / "stories" / item.id / "index.html"
        assert page.exists() == (item.state == "approved"), item.id
        assert f"stories/{item.id}/" not in locations


def test_approve_and_reject_change_only_the_status_line(project: Path) -> None:
    path = write(project / "snippets/stories/waiting-one.md", story("submitted"))
    before = path.read_text()
    assert cli(project, "stories", "approve", "waiting-one").returncode == 0
    assert changed_lines(before, path.read_text()) == [("status: submitted", "status: approved")]
    result = cli(project, "stories", "reject", "waiting-one", "--reason", 'Too "vague"')
    assert result.returncode == 0
    assert changed_lines(before, path.read_text()) == [
        ("status: submitted", 'status: {rejected: "Too \\"vague\\""}')
    ]
    listing = cli(project, "stories")
    assert "rejected (1)" in listing.stdout and 'reason: Too "vague"' in listing.stdout


def test_approving_a_story_with_personal_data_is_refused(project: Path) -> None:
    path = write(
        project / "snippets/stories/leaky.md",
        story("submitted", CLEAN + " Mail bob.jones@example.com."),
    )
    before = path.read_bytes()
    result = cli(project, "stories", "approve", "leaky")
    assert result.returncode == 1
    assert "snippets/stories/leaky.md:12: an e-mail address" in result.stderr
    assert path.read_bytes() == before
    listing = cli(project, "stories")
    assert "snippets/stories/leaky.md:12: personal data: an e-mail address" in listing.stdout


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:1] in "+-"]
    removed = [d[2:] for d in diff if d.startswith("-")]
    added = [d[2:] for d in diff if d.startswith("+")]
    return list(zip(removed, added, strict=True))
