"""The inbox against requests made to abuse it, in a real server on 127.0.0.1: a field name
that forges a log line, a request of thousands of fields, a rotated X-Forwarded-For, and
stories whose personal data only the new recognisers find."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from inbox_tools import CLEAN_STORY, from_page, request

from kbgen.inbox.app import MAX_PROBLEMS, create_app
from kbgen.inbox.server import running
from kbgen.inbox.settings import InboxSettings

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

STORIES = "/inbox/api/stories"
SEARCHES = "/inbox/api/searches"


def test_a_field_name_cannot_write_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "kbgen.inbox")
    forged = "x\n2026-12-04 10:00:00,000 kbgen.inbox: story kept: receipt KB-FAKE-0000" + "y" * 500
    with running(create_app(InboxSettings(tmp_path / "inbox.sqlite3"))) as base:
        answer = request(base, "POST", STORIES, {**CLEAN_STORY, forged: "1"}, from_page(base))
    assert answer.status == 422
    lines = [r.getMessage() for r in caplog.records]
    assert lines and all("\n" not in line for line in lines if line.startswith("refused"))
    assert not any(line.startswith("story kept") for line in lines)
    assert max(len(line) for line in lines) < 400


def test_thousands_of_fields_get_a_short_answer(tmp_path: Path) -> None:
    fields = {f"f{i:04}": 1 for i in range(2500)}
    body = json.dumps({**CLEAN_STORY, **fields})
    assert len(body) < 32_768
    with running(create_app(InboxSettings(tmp_path / "inbox.sqlite3"))) as base:
        answer = request(base, "POST", STORIES, body, from_page(base))
    assert answer.status == 422
    assert len(answer.body["problems"]) == MAX_PROBLEMS + 1
    assert "2480 more problems" in answer.body["problems"][-1]["what"]
    assert len(json.dumps(answer.body)) < 8_000


def test_a_rotated_forwarded_header_is_still_limited(tmp_path: Path) -> None:
    settings = InboxSettings(tmp_path / "inbox.sqlite3", rate_per_minute=3)
    with running(create_app(settings)) as base:
        statuses = [
            request(
                base,
                "POST",
                SEARCHES,
                {"query": "angry", "found": 1},
                {**from_page(base), "X-Forwarded-For": f"203.0.113.{i}"},
            ).status
            for i in range(5)
        ]
    assert statuses == [202, 202, 202, 429, 429]


def test_stories_the_recognisers_hold_are_refused_and_not_kept(tmp_path: Path) -> None:
    disguised = {
        "body": CLEAN_STORY["body"] + " call me 07700📞900📞123",
        "lesson": "Mrs O’Neill was right about the engineer.",
        "title": "Ring oh seven seven oh oh nine oh oh one two three",
    }
    with running(create_app(InboxSettings(tmp_path / "inbox.sqlite3"))) as base:
        answers = {
            field: request(base, "POST", STORIES, {**CLEAN_STORY, field: text}, from_page(base))
            for field, text in disguised.items()
        }
    assert {f: a.status for f, a in answers.items()} == dict.fromkeys(disguised, 422)
    assert all(
        any(p["field"] == f and p["category"] == "personal data" for p in a.body["problems"])
        for f, a in answers.items()
    )


def test_comments_and_searches_with_disguised_personal_data_are_not_stored(
    tmp_path: Path,
) -> None:
    from kbgen.inbox.store import Store

    database = tmp_path / "inbox.sqlite3"
    with running(create_app(InboxSettings(database))) as base:
        vote = request(
            base,
            "POST",
            "/inbox/api/feedback",
            {"page": "technique/stay-calm", "helped": False},
            from_page(base),
        )
        comment = {"vote": vote.body["vote"], "comment": "call me 07700📞900📞123"}
        refused = request(base, "POST", "/inbox/api/feedback", comment, from_page(base))
        queries = ["call me 07700📞900📞123", "mrs o’neill refund", "jo dot smith at gmail"]
        searches = [
            request(base, "POST", SEARCHES, {"query": q, "found": 0}, from_page(base)).body
            for q in queries
        ]
    assert refused.status == 422 and refused.body["problems"][0]["field"] == "comment"
    assert searches == [{"kept": False}] * len(queries)
    store = Store(database, create=False)
    assert store.query_counts() == [] and [v.comment for v in store.votes()] == [None]
