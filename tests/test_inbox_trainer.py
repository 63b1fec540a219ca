"""Trainers and the inbox: `kbgen stories pull` turns inbox stories into story files that wait
for review (never over a file, never twice, no status line), `kbgen search-gaps` and
`kbgen feedback` report what agents did not find and what did not help, from the database or
over HTTP with the token; and the site names its inbox only when `inbox_url` is set."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from conftest import cli, mkdocs_build
from factory import write, write_handbook
from inbox_tools import CLEAN_STORY, inbox_project

from kbgen.build import Settings, build
from kbgen.inbox.app import create_app
from kbgen.inbox.pull import StoryWriter
from kbgen.inbox.server import running
from kbgen.inbox.settings import InboxSettings
from kbgen.inbox.store import Store

if TYPE_CHECKING:
    from pathlib import Path

ODD_STORY = {
    **CLEAN_STORY,
    "title": 'She said: "It\'s #1 — fix it!" \\ ok',
    "author": "Zoë 🎧",
    "outcome": "key: value, [not a list], {not a map}",
    "body": "The customer was angry and shouted at me on the call.\n\n---\n\nI let her finish "
    "and said “sorry”, then fixed it.\\n stays as typed. Tab\there.\n",
}


def inbox_with(project: Path, *stories: dict) -> tuple[Path, list[str]]:
    database = project / "inbox.sqlite3"
    store = Store(database)
    receipts = [store.add_story(story) for story in stories]
    store.close()
    return database, receipts


def loaded_stories(project: Path) -> dict:
    settings = Settings(snippets_dir=project / "snippets", root=project)
    result = build(settings, "content")
    assert not result.errors, result.errors
    return result.handbook.stories


def test_pull_writes_each_new_story_once_without_a_status_line(project: Path) -> None:
    database, receipts = inbox_with(project, CLEAN_STORY, ODD_STORY)
    pulled = cli(project, "stories", "pull", "--db", str(database))
    assert pulled.returncode == 0, pulled.stderr
    assert "2 stories written; they wait for review" in pulled.stdout
    files = sorted((project / "snippets/stories").glob("*.md"))
    assert [f.name for f in files] == ["he-wanted-it-fixed-today.md", "she-said-its-1-fix-it-ok.md"]
    for path, receipt in zip(files, receipts, strict=True):
        text = path.read_text(encoding="utf-8")
        assert f"# inbox receipt: {receipt}" in text
        assert not re.search(r"^status:", text, re.M)
    stories = loaded_stories(project)
    odd = stories["she-said-its-1-fix-it-ok"]
    for field in ("title", "author", "outcome"):
        assert getattr(odd, field) == ODD_STORY[field]
    assert odd.body == ODD_STORY["body"].strip()
    assert odd.status == "submitted" and odd.techniques == ["let-them-vent"]
    listing = cli(project, "stories")
    assert "submitted (2)" in listing.stdout
    again = cli(project, "stories", "pull", "--db", str(database))
    assert "No new stories in the inbox." in again.stdout
    assert len(list((project / "snippets/stories").glob("*.md"))) == 2
    store = Store(database, create=False)
    assert {s.pulled_as for s in store.stories(waiting_only=False)} == {
        "he-wanted-it-fixed-today",
        "she-said-its-1-fix-it-ok",
    }


def test_pull_never_writes_over_a_story_and_never_reuses_a_rejected_id(project: Path) -> None:
    mine = write(project / "snippets/stories/he-wanted-it-fixed-today.md", "a trainer's file\n")
    write(
        project / "snippets/stories/moderation.yml",
        "he-wanted-it-fixed-today-2:\n  state: rejected\n  sha256: abc\n  date: 2026-01-01\n",
    )
    database, _ = inbox_with(project, CLEAN_STORY)
    assert cli(project, "stories", "pull", "--db", str(database)).returncode == 0
    assert mine.read_text() == "a trainer's file\n"
    assert (project / "snippets/stories/he-wanted-it-fixed-today-3.md").is_file()


def test_a_story_written_but_not_marked_is_marked_by_the_next_pull(project: Path) -> None:
    database, (receipt,) = inbox_with(project, CLEAN_STORY)
    store = Store(database, create=False)
    StoryWriter(project / "snippets/stories").write(store.stories()[0])  # the mark was lost
    pulled = cli(project, "stories", "pull", "--db", str(database))
    assert f"already written for receipt {receipt}; marked pulled" in pulled.stdout
    assert len(list((project / "snippets/stories").glob("*.md"))) == 1
    assert store.stories() == []


def test_pull_reads_a_running_inbox_with_the_token(project: Path, monkeypatch) -> None:
    token = "a-trainer-token-for-this-test"
    settings = InboxSettings(project / "inbox.sqlite3", token=token)
    Store(settings.database).add_story(CLEAN_STORY)
    with running(create_app(settings)) as base:
        monkeypatch.delenv("KBGEN_INBOX_TOKEN", raising=False)
        refused = cli(project, "stories", "pull", "--inbox", base + "inbox/")
        assert refused.returncode == 2 and "KBGEN_INBOX_TOKEN" in refused.stderr
        monkeypatch.setenv("KBGEN_INBOX_TOKEN", "wrong-token-of-some-length")
        wrong = cli(project, "stories", "pull", "--inbox", base + "inbox/")
        assert wrong.returncode == 2 and "403: wrong trainer token" in wrong.stderr
        monkeypatch.setenv("KBGEN_INBOX_TOKEN", token)
        pulled = cli(project, "stories", "pull", "--inbox", base + "inbox/")
        assert pulled.returncode == 0, pulled.stderr
        assert token not in pulled.stdout + pulled.stderr
        assert (project / "snippets/stories/he-wanted-it-fixed-today.md").is_file()
        gaps = cli(project, "search-gaps", "--inbox", base + "inbox/")
        assert gaps.returncode == 0 and "No searches recorded yet." in gaps.stdout


def test_a_missing_database_is_named_not_created(project: Path) -> None:
    result = cli(project, "search-gaps", "--db", "nowhere.sqlite3")
    assert result.returncode == 2 and "no inbox database at nowhere.sqlite3" in result.stderr
    assert not (project / "nowhere.sqlite3").exists()


def test_search_gaps_lists_queries_that_found_nothing_with_the_nearest_entry(project: Path) -> None:
    store = Store(project / "inbox.sqlite3")
    for query, found in [
        ("screeming customer", 0),
        ("screeming customer", 0),
        ("screeming customer", 0),
        ("refund to paypal", 0),
        ("vent", 2),
        ("vent", 2),
        ("calm", 2),
    ]:
        store.add_search(query, found, False)
    store.add_open("calm", "/techniques/stay-calm/", 1)
    result = cli(project, "search-gaps")
    assert result.returncode == 0, result.stderr
    today = store.search_days()[0]
    assert f"Searches from {today} to {today}: 7 searches, 4 different queries." in result.stdout
    nothing, unopened = result.stdout.split("Found something nobody opened")
    lines = [line.split() for line in nothing.splitlines() if line.startswith("  ")]
    assert lines[1][:3] == ["3", "screeming", "customer"]
    assert "situation/customer-is-yelling" in " ".join(lines[1])  # an alias, misspelt
    assert lines[2][:4] == ["1", "refund", "to", "paypal"]
    assert "vent" in unopened and "technique/let-them-vent" in unopened
    assert "calm" not in unopened  # its result was opened


def test_feedback_lists_pages_by_did_not_help_votes_with_comments(project: Path) -> None:
    store = Store(project / "inbox.sqlite3")
    store.add_vote("technique/stay-calm", False, "Too long to read on a call.")
    store.add_vote("technique/stay-calm", False)
    store.add_vote("technique/stay-calm", True)
    store.add_vote("situation/customer-is-yelling", True, "Spot on.")
    result = cli(project, "feedback")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith("  ")]
    assert rows[1][:3] == ["2", "1", "technique/stay-calm"] and "(Stay calm)" in " ".join(rows[1])
    assert "'Too long to read on a call.'" in result.stdout
    assert result.stdout.index("stay-calm") < result.stdout.index("customer-is-yelling")
    assert "4 votes on 2 pages" in result.stdout


def page_heads(site: Path) -> list[str]:
    return [p.read_text(encoding="utf-8").split("</head>")[0] for p in site.rglob("*.html")]


def test_pages_name_the_inbox_only_when_inbox_url_is_set(tmp_path: Path) -> None:
    plain = write_handbook(tmp_path / "plain")
    assert mkdocs_build(plain).returncode == 0
    for head in page_heads(plain / "site"):
        assert "kbgen-inbox" not in head
    page = (plain / "site/techniques/stay-calm/index.html").read_text()
    assert "kbgen-inbox.js" not in page and re.search(
        r'<form class="kb-feedback"[^>]* hidden', page
    )
    served = inbox_project(tmp_path / "served", inbox_url="/handbook/inbox")
    assert mkdocs_build(served).returncode == 0
    heads = page_heads(served / "site")
    assert heads and all(
        head.count('<meta name="kbgen-inbox" content="/handbook/inbox/">') == 1 for head in heads
    )
    assert "assets/kbgen/kbgen-inbox.js" in (served / "site/index.html").read_text()


@pytest.mark.parametrize("value", ["inbox/", "javascript:alert(1)", "/in box/", '/"x'])
def test_an_inbox_url_pages_cannot_use_stops_the_build(tmp_path: Path, value: str) -> None:
    project = inbox_project(tmp_path / "project", inbox_url=f"'{value}'")
    result = mkdocs_build(project)
    assert result.returncode == 1 and "is not an address the pages can use" in result.stderr
