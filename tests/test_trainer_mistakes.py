"""A trainer's day with no traceback: the mistakes a new user makes on the first day (dates that
cannot exist, tabs, a `.markdown` file, a misremembered field, `--config` after the command)
each get a problem with file, line and a fix, and every `kbgen new` scaffold holds every field
the contributing guide documents and passes `kbgen check` once filled in."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
from conftest import REPO, cli, in_project, mkdocs_build
from factory import replace_in, write

from kbgen.loading.loader import PLACEHOLDER

if TYPE_CHECKING:
    from pathlib import Path

STAY_CALM = "snippets/techniques/stay-calm.md"
YELLING = "snippets/situations/customer-is-yelling.md"

CARD = """\
---
title: Desk card
size: a6
front:
  - heading: Stay calm
  - steps: [stay-calm, let-them-vent]
back:
  - say:
      - {technique: stay-calm, phrase: 1}
reviewed: 2026-11-01
owner: test trainer
---
"""

STORY = """\
---
title: "{title}"
author: anonymous
date: {date}
channel: phone
techniques: [let-them-vent]
outcome: Resolved on the call.
lesson: Let them finish first.
---
The customer shouted about the bill. I let him finish, apologised and sorted out the refund.
"""


def check(project: Path):
    result = cli(project, "check")
    assert "Traceback" not in result.stderr and "this is a bug in kbgen" not in result.stderr
    return result


# 1, 2: dates that cannot exist, everywhere a date is written; dates in the future


def test_a_date_that_cannot_exist_is_a_problem_with_line_and_fix(project: Path) -> None:
    replace_in(project, STAY_CALM, "reviewed: 2026-11-01", "reviewed: 2026-02-30")
    replace_in(project, STAY_CALM, "summary:", "sumary:")  # a second mistake in the same file
    replace_in(
        project,
        YELLING,
        "reviewed: 2026-11-01",
        "reviewed: 2026-13-02\nhistory:\n  - date: 2025-04-31\n    what: New steps.",
    )
    write(project / "snippets/cards/desk.md", CARD.replace("2026-11-01", "2026-02-29"))
    result = check(project)
    assert result.returncode == 1
    report = result.stderr
    for expected in [
        f"{STAY_CALM}:15: 'reviewed': 2026-02-30 is not a date: February 2026 has 28 days",
        "fix: write YYYY-MM-DD (year, month, day) with a day that exists, like 2026-02-28",
        f"{STAY_CALM}:3: 'sumary': unknown field",
        f"{YELLING}:13: 'reviewed': 2026-13-02 is not a date: there is no month 13",
        "the month comes before the day; for 13 February write 2026-02-13",
        f"{YELLING}:15: 'history[1].date': 2025-04-31 is not a date: April 2025 has 30 days",
        "snippets/cards/desk.md:10: 'reviewed': 2026-02-29 is not a date: February 2026 has 28",
        "5 problems in 3 files",
    ]:
        assert expected in report, f"{expected!r} not in:\n{report}"


def test_a_garbled_date_gets_a_fix_that_reads(project: Path) -> None:
    replace_in(project, STAY_CALM, "reviewed: 2026-11-01", "reviewed: 2026-1-02x")
    report = check(project).stderr
    assert f"{STAY_CALM}:15: 'reviewed': '2026-1-02x' is not a date written YYYY-MM-DD" in report
    assert "fix: write YYYY-MM-DD (year, month, day), like 2026-03-14" in report
    assert "as a date written" not in report  # the old fix said the format twice


def test_mkdocs_build_reports_an_impossible_date(project: Path) -> None:
    replace_in(project, STAY_CALM, "reviewed: 2026-11-01", "reviewed: 2026-02-30")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert f"{STAY_CALM}:15: 'reviewed': 2026-02-30 is not a date" in result.stderr
    assert "Traceback" not in result.stderr and "ValueError" not in result.stderr


@pytest.mark.build  # kbgen check's trial build
def test_a_story_with_an_impossible_date_is_left_out_and_can_be_rejected(project: Path) -> None:
    write(project / "snippets/stories/bad-date.md", STORY.format(title="Bad", date="2026-02-30"))
    write(project / "snippets/stories/fine.md", STORY.format(title="Fine", date="2026-02-28"))
    result = check(project)
    assert result.returncode == 0, result.stderr  # a story never stops the handbook
    assert (
        "snippets/stories/bad-date.md:4: story left out: 'date': 2026-02-30 is not a date: "
        "February 2026 has 28 days" in result.stderr
    )
    listing = cli(project, "stories")
    assert listing.returncode == 0, listing.stderr
    assert "submitted (1)" in listing.stdout and "  fine  2026-02-28" in listing.stdout
    assert "left out, cannot be read or checked (1)" in listing.stdout
    assert "bad-date.md:4: info: story left out: 'date': 2026-02-30 is not a" in listing.stdout
    rejected = cli(project, "stories", "reject", "bad-date", "--reason", "no such day")
    assert rejected.returncode == 0, rejected.stderr
    assert "snippets/stories/bad-date.md: rejected" in rejected.stdout
    assert "bad-date" in (project / "snippets/stories/moderation.yml").read_text()


def test_a_review_date_in_the_future_is_a_problem(project: Path) -> None:
    later = dt.date.today() + dt.timedelta(days=400)  # after today and after the tests' day
    replace_in(project, STAY_CALM, "reviewed: 2026-11-01", f"reviewed: {later.isoformat()}")
    result = check(project)
    assert result.returncode == 1
    assert f"{STAY_CALM}:15: reviewed {later.isoformat()} is in the future" in result.stderr
    assert "fix: write the day you checked it (YYYY-MM-DD)" in result.stderr


@pytest.mark.build  # kbgen check's trial build
def test_a_review_done_today_is_not_in_the_future(project: Path) -> None:
    today = dt.date.today().isoformat()
    replace_in(project, STAY_CALM, "reviewed: 2026-11-01", f"reviewed: {today}")
    result = check(project)
    assert result.returncode == 0, result.stderr


# 3: a card phrase number out of range


def test_a_card_phrase_number_out_of_range_gives_one_message(project: Path) -> None:
    write(project / "snippets/cards/desk.md", CARD.replace("phrase: 1", "phrase: 5"))
    write(
        project / "snippets/cards/other.md",
        CARD.replace("{technique: stay-calm, phrase: 1}", "Take your time."),
    )
    result = check(project)
    assert result.returncode == 1
    assert (
        "snippets/cards/desk.md:9: technique 'stay-calm' has 1 'say' phrase, not 5\n"
        "    fix: use 1 (the only one), or write the phrase out" in result.stderr
    )
    assert "IndexError" not in result.stderr
    assert result.stderr.count("snippets/cards/desk.md") == 1
    assert "card 'other', front: the front of 'Desk card' is only" in result.stderr  # measured


# 4: "did you mean" prefers the field the typed word starts


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("say", "say_now"), ("avoid", "dont_say"), ("recognize", "recognise"), ("sumary", "summary")],
)
def test_did_you_mean_suggests_the_field_meant(project: Path, typed: str, meant: str) -> None:
    replace_in(project, YELLING, "handover:", f'{typed}: ["x"]\nhandover:')
    report = check(project).stderr
    assert f"'{typed}': unknown field" in report
    assert f"did you mean '{meant}'?" in report, report


# 5: tabs


def test_a_tab_indented_block_gets_a_fix(project: Path) -> None:
    replace_in(project, YELLING, "recognise:\n  - They shout.", "recognise:\n\t- They shout.")
    report = check(project).stderr
    assert (
        f"{YELLING}:6: the front matter is not valid YAML: YAML does not allow tabs for "
        "indentation\n    fix: use spaces:" in report
    ), report


# 6: .markdown files


def test_a_markdown_file_is_reported_with_its_new_name(project: Path) -> None:
    (project / "snippets/techniques/stay-calm.md").rename(
        project / "snippets/techniques/use-their-name.markdown"
    )
    replace_in(project, "snippets/techniques/let-them-vent.md", "related: []", "related: []")
    result = check(project)
    assert result.returncode == 1  # a warning: `mkdocs build --strict` fails on it
    assert (
        "snippets/techniques/use-their-name.markdown: warning: 'use-their-name.markdown' is not "
        "read: kbgen reads entries only from files ending .md\n"
        "    fix: rename it to use-their-name.md" in result.stderr
    ), result.stderr


def test_a_markdown_file_does_not_stop_a_relaxed_build(project: Path) -> None:
    write(project / "snippets/techniques/notes.markdown", "# Notes\n")
    from kbgen.loading.loader import load_handbook

    handbook = load_handbook(project / "snippets", project)  # warnings do not raise
    assert set(handbook.techniques) == {"stay-calm", "let-them-vent"}


# 7: --config anywhere, bare kbgen


@pytest.mark.build  # kbgen check's trial build
def test_config_after_the_subcommand(project: Path) -> None:
    (project / "mkdocs.yml").rename(project / "handbook.yml")
    replace_in(project, "handbook.yml", "  - kbgen\n", "  - kbgen:\n      snippets_dir: content\n")
    (project / "snippets").rename(project / "content")
    for args in (
        ["check", "--config", "handbook.yml"],
        ["--config", "handbook.yml", "check"],
        ["stats", "--config", "handbook.yml"],
    ):
        result = cli(project, *args)
        assert result.returncode == 0, (args, result.stderr)
    listing = cli(project, "stories", "list", "--config", "handbook.yml")
    assert listing.returncode == 0 and "submitted (0)" in listing.stdout
    made = cli(project, "new", "source", "An article", "--config", "handbook.yml")
    assert made.returncode == 0, made.stderr
    assert (project / "content/sources/an-article.md").exists()


def test_bare_kbgen_shows_the_help(project: Path) -> None:
    result = cli(project)
    assert result.returncode == 0
    assert "usage: kbgen" in result.stdout and "check" in result.stdout
    assert result.stderr == ""


# 8: scaffolds


GUIDE = (REPO / "docs/guide/contributing.md").read_text(encoding="utf-8")
REVIEW_FIELDS = ["reviewed", "owner", "added", "history"]
PHRASE_FIELDS = ["text", "source", "quoted", "note"]
CARD_FIELDS = ["size", "orientation", "text_size", "front", "back"]
FOLDERS = {
    "source": "sources",
    "technique": "techniques",
    "situation": "situations",
    "card": "cards",
    "story": "stories",
}


def guide_section(heading: str) -> str:
    return GUIDE.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]


def guide_fields(kind: str) -> list[str]:
    """The fields the contributing guide documents for a kind: its table's first column, and
    the review fields and phrase fields where the guide says they apply."""
    if kind == "card":
        section = guide_section("Cards")
        assert all(f"`{name}`" in section for name in CARD_FIELDS)
        fields = list(CARD_FIELDS)
    else:
        section = guide_section(FOLDERS[kind].capitalize())
        rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
        fields = [name for row in rows for name in re.findall(r"`(\w+)`", row)]
    review = guide_section("Review dates and owners")
    if kind in ("technique", "situation", "card"):
        assert all(f"`{name}" in review for name in REVIEW_FIELDS)
        fields += REVIEW_FIELDS
    if kind == "technique":
        assert all(f"{name}:" in guide_section("Techniques") for name in PHRASE_FIELDS)
        fields += PHRASE_FIELDS
    return fields


FILL = {
    "summary": "Say their name once they give it; it shows you are listening.",
    "stages": "solving",
    "aliases": "personal touch",
    "text": "Thanks, I have that noted, and I will stay with you until it is sorted.",
    "note": "It sounds scripted and makes the customer feel handled.",
    "source": "test-article",
    "paraphrase": "The article recommends it.",
    "owner": "test trainer",
    "technique": "stay-calm",
    "handover": "If they insult you twice, bring in your manager.",
    "heading": "When the caller is angry",
    "techniques": "let-them-vent",
    "outcome": "Resolved on the call.",
    "lesson": "Let them finish first.",
}
STEPS = ["stay-calm", "let-them-vent"]
QUOTED_PLACEHOLDER = re.compile(rf'"{re.escape(PLACEHOLDER)}:[^"]*"')


def fill(text: str) -> str:
    """Each placeholder replaced as a trainer would: the field's real value, the next
    technique id in a list of steps, a sentence in a list or in the body."""
    lines = []
    steps = iter(STEPS * 2)
    for line in text.splitlines():
        if PLACEHOLDER in line and not line.lstrip().startswith("#"):
            key = re.match(r"^\s*(?:- )?(\w+):", line)
            name = key.group(1) if key else None
            if name == "steps":
                line = QUOTED_PLACEHOLDER.sub(lambda _: next(steps), line)
            elif name in FILL:
                line = QUOTED_PLACEHOLDER.sub(f'"{FILL[name]}"', line)
            elif QUOTED_PLACEHOLDER.search(line):
                line = QUOTED_PLACEHOLDER.sub('"Take your time, I am listening to you."', line)
            else:  # body text
                line = line.replace(f"{PLACEHOLDER}: ", "")
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("kind", sorted(FOLDERS))
@pytest.mark.build  # kbgen check's trial build
def test_a_scaffold_holds_every_documented_field_and_passes_once_filled(
    project: Path, kind: str
) -> None:
    made = cli(project, "new", kind, "Use the customer's name")
    assert made.returncode == 0, made.stderr
    path = project / "snippets" / FOLDERS[kind] / "use-the-customers-name.md"
    text = path.read_text()
    front = text.split("\n---\n", 1)[0]
    missing = [
        name
        for name in guide_fields(kind)
        if not re.search(rf"^\s*(?:#\s*)?(?:- )?{name}:", front, re.M)
    ]
    assert missing == [], f"the {kind} scaffold lacks {missing}:\n{front}"
    assert PLACEHOLDER in text

    path.write_text(fill(text))
    result = check(project)
    assert result.returncode == 0, result.stderr + path.read_text()
    assert "use-the-customers-name" not in result.stderr  # no note, no story left out


def test_a_new_card_is_the_documented_a6_and_fits(project: Path) -> None:
    assert "`a6` (the default" in guide_section("Cards")
    assert cli(project, "new", "card", "Angry caller").returncode == 0
    path = project / "snippets/cards/angry-caller.md"
    assert re.search(r"^size: a6\b", path.read_text(), re.M)
    path.write_text(fill(path.read_text()))
    with in_project(project):
        from kbgen.build import build
        from kbgen.site.project import load_project

        result = build(load_project().settings)
    assert not result.problems or all(p.severity == "info" for p in result.problems), [
        str(p) for p in result.problems
    ]
    assert result.deck is not None and "angry-caller" in result.deck.fits  # measured: it fits


# 9: print files named the same on the site and by `kbgen cards`


def test_kbgen_cards_writes_the_files_the_site_publishes(project: Path, tmp_path: Path) -> None:
    write(project / "snippets/cards/desk.md", CARD)
    printed = tmp_path / "print"
    result = cli(project, "cards", "--out", str(printed), "--quiet")
    assert result.returncode == 0, result.stderr
    with in_project(project):
        from kbgen.build import build
        from kbgen.site.project import load_project

        site = build(load_project().settings)
    published = {name.split("/", 1)[1] for name in site.files if name.endswith(".pdf")}
    assert published == {p.name for p in printed.iterdir() if not p.name.startswith(".")}
    assert {"desk.pdf", "desk-sheet-a4.pdf", "all-cards-sheet-letter.pdf"} <= published


def test_an_impossible_date_in_the_moderation_ledger_stops_nothing(project: Path) -> None:
    write(project / "snippets/stories/fine.md", STORY.format(title="Fine", date="2026-02-28"))
    write(
        project / "snippets/stories/moderation.yml",
        "fine:\n  state: approved\n  sha256: '0'\n  date: 2026-02-30\n",
    )
    listing = cli(project, "stories")
    assert listing.returncode == 0, listing.stderr
    assert "submitted (1)" in listing.stdout
