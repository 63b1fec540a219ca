"""The inbox's HTTP API on a real server on loopback: a clean story is kept and answered with a
receipt, a story with personal data is refused at its field and kept nowhere, and every
malformed request gets a 4xx with a message and a log line, never a 5xx."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import pytest
from inbox_tools import CLEAN_STORY, PHONE_BODY, from_page, request, send_story

from kbgen.inbox.app import create_app
from kbgen.inbox.server import running
from kbgen.inbox.settings import InboxSettings
from kbgen.inbox.store import Store
from kbgen.inbox.submissions import KnownIds

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

TOKEN = "trainer-token-for-tests-0123456789"
KNOWN = KnownIds(frozenset({"stay-calm", "let-them-vent"}), frozenset({"customer-is-yelling"}))


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running inbox on 127.0.0.1 and its database file."""
    database = tmp_path / "inbox.sqlite3"
    settings = InboxSettings(database, token=TOKEN, known=KNOWN, rate_per_minute=1000)
    with running(create_app(settings)) as base:
        yield base, database


def stored(database: Path) -> tuple[int, int, int]:
    """(stories, searches, votes) kept in the database."""
    store = Store(database, create=False)
    try:
        counts = store.query_counts()
        return len(store.receipts()), sum(c.searches for c in counts), len(list(store.votes()))
    finally:
        store.close()


def test_a_clean_story_is_kept_and_answered_with_a_receipt(inbox) -> None:
    base, database = inbox
    answer = send_story(base)
    assert answer.status == 201
    receipt = answer.body["receipt"]
    assert receipt.startswith("KB-") and len(receipt) == 12
    store = Store(database, create=False)
    (kept,) = store.stories()
    assert kept.receipt == receipt
    assert kept.fields["author"] == "anonymous" and kept.fields["techniques"] == ["let-them-vent"]
    assert "status" not in kept.fields


def test_a_story_sent_again_with_its_key_is_kept_once(inbox) -> None:
    base, database = inbox
    first = send_story(base, submission="a" * 32)
    again = send_story(base, submission="a" * 32)
    assert first.status == again.status == 201
    assert first.body["receipt"] == again.body["receipt"]
    assert stored(database)[0] == 1


def test_a_story_with_a_phone_number_is_refused_at_its_field_and_not_kept(inbox, caplog) -> None:
    base, database = inbox
    caplog.set_level(logging.INFO, "kbgen.inbox")
    answer = send_story(base, body=PHONE_BODY)
    assert answer.status == 422
    (problem,) = answer.body["problems"]
    assert problem["field"] == "body" and problem["category"] == "personal data"
    assert "phone number" in problem["what"] and problem["fix"]
    assert stored(database) == (0, 0, 0)
    assert "900123" not in caplog.text  # the log names the field and the kind, not the text
    assert "refused POST /inbox/api/stories (422): problems at body: personal data" in caplog.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"lesson": "x" * 141}, "lesson"),
        ({"channel": "fax"}, "channel"),
        ({"techniques": []}, "techniques"),
        ({"techniques": ["make-them-wait"]}, "techniques"),  # not in the handbook
        ({"situations": ["Not An Id"]}, "situations"),
        ({"body": ""}, "body"),
        ({"outcome": "See https://refunds.example.com for more."}, "outcome"),
        ({"title": "Call <script>alert(1)</script>"}, "title"),
        ({"author": "Mrs Jane Doe"}, "author"),
    ],
)
def test_an_invalid_story_gets_its_problem_at_the_field(inbox, changes: dict, field: str) -> None:
    base, database = inbox
    answer = send_story(base, **changes)
    assert answer.status == 422, answer.body
    assert field in {p["field"] for p in answer.body["problems"]}, answer.body
    assert stored(database) == (0, 0, 0)


def test_a_story_missing_every_field_names_each(inbox) -> None:
    base, _ = inbox
    answer = request(base, "POST", "/inbox/api/stories", {}, from_page(base))
    assert answer.status == 422
    fields = {p["field"] for p in answer.body["problems"]}
    assert {"title", "channel", "techniques", "outcome", "lesson"} <= fields


def test_search_gaps_are_kept_without_personal_data(inbox, caplog) -> None:
    base, database = inbox
    caplog.set_level(logging.INFO, "kbgen.inbox")
    send = lambda path, body: request(base, "POST", path, body, from_page(base))  # noqa: E731
    assert send("/inbox/api/searches", {"query": "Refund  PayPal", "found": 0}).body == {
        "kept": True
    }
    assert send("/inbox/api/searches", {"query": "refund paypal", "found": 0}).status == 202
    assert (
        send("/inbox/api/searches", {"query": "angry", "found": 3, "retried": False}).status == 202
    )
    opened = {"query": "angry", "location": "/techniques/stay-calm/", "rank": 1}
    assert send("/inbox/api/opens", opened).body == {"kept": True}
    for personal in ("maria.lopez@example.com refund", "07700 900123", "my name is Jane Doe"):
        answer = send("/inbox/api/searches", {"query": personal, "found": 0})
        assert answer.status == 202 and answer.body == {"kept": False}
    store = Store(database, create=False)
    counts = {c.query: c for c in store.query_counts()}
    assert set(counts) == {"refund paypal", "angry"}
    assert counts["refund paypal"].empty == 2 and counts["angry"].opens == 1
    assert "maria" not in caplog.text and "900123" not in caplog.text


def test_did_this_help_keeps_votes_and_refuses_comments_with_personal_data(inbox) -> None:
    base, database = inbox
    send = lambda body: request(base, "POST", "/inbox/api/feedback", body, from_page(base))  # noqa: E731
    vote = send({"page": "technique/stay-calm", "helped": False})
    assert vote.status == 201
    refused = send({"vote": vote.body["vote"], "comment": "Call me on 07700 900123 about it"})
    assert refused.status == 422 and refused.body["problems"][0]["field"] == "comment"
    spam = send(
        {"page": "situation/customer-is-yelling", "helped": True, "comment": "see bit.ly/x"}
    )
    assert spam.status == 422 and spam.body["problems"][0]["category"] == "spam"
    markup = send({"vote": vote.body["vote"], "comment": "<b onclick=x()>bold</b>"})
    assert markup.status == 422 and markup.body["problems"][0]["category"] == "unsafe content"
    comment = send({"vote": vote.body["vote"], "comment": "The phrases sound scripted on chat."})
    assert comment.status == 201
    again = send({"vote": vote.body["vote"], "comment": "And another thing."})
    assert again.status == 422  # a comment is never replaced
    (kept,) = Store(database, create=False).votes()
    assert kept.page == "technique/stay-calm" and not kept.helped
    assert kept.comment == "The phrases sound scripted on chat."


CROSS_SITE = {"Content-Type": "application/json", "Origin": "http://evil.example"}
STORIES, SEARCHES, OPENS = "/inbox/api/stories", "/inbox/api/searches", "/inbox/api/opens"
FEEDBACK, PULLED = "/inbox/api/feedback", "/inbox/api/trainer/pulled"
TRAINER = "/inbox/api/trainer/stories"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _bad_requests(base: str) -> list[tuple[str, str, str, object, dict[str, str]]]:
    """(what, method, path, body, headers): each must get a 4xx with a message."""
    page = from_page(base)
    story = json.dumps(CLEAN_STORY)
    typed = lambda kind: {**page, "Content-Type": kind}  # noqa: E731
    changed = lambda **fields: {**CLEAN_STORY, **fields}  # noqa: E731
    hidden_phone = CLEAN_STORY["body"] + " 0\u200b7\u200b7\u200b00 900 123"
    return [
        ("wrong content type", "POST", STORIES, story, typed("text/plain")),
        ("form post", "POST", STORIES, "title=x", typed("application/x-www-form-urlencoded")),
        ("no content type", "POST", STORIES, story, {"Origin": page["Origin"]}),
        ("another charset", "POST", STORIES, story, typed("application/json; charset=latin-1")),
        ("oversize", "POST", STORIES, json.dumps(changed(body="word " * 8000)), page),
        ("bad JSON", "POST", STORIES, '{"title": ', page),
        ("empty body", "POST", STORIES, "", page),
        ("not UTF-8", "POST", STORIES, b'{"title": "\xff\xfe"}', page),
        ("NaN", "POST", SEARCHES, '{"query": "a", "found": NaN}', page),
        ("deep nesting", "POST", STORIES, "[" * 20000 + "]" * 20000, page),
        ("an array", "POST", STORIES, "[1, 2]", page),
        ("a string", "POST", STORIES, '"story"', page),
        ("title a number", "POST", STORIES, changed(title=5), page),
        ("techniques a string", "POST", STORIES, changed(techniques="let-them-vent"), page),
        ("channel a list", "POST", STORIES, changed(channel=["phone"]), page),
        ("a status of its own", "POST", STORIES, changed(status="approved"), page),
        ("a bad submission key", "POST", STORIES, changed(submission="x"), page),
        ("found a string", "POST", SEARCHES, {"query": "a", "found": "3"}, page),
        ("found negative", "POST", SEARCHES, {"query": "a", "found": -1}, page),
        ("found a boolean", "POST", SEARCHES, {"query": "a", "found": True}, page),
        ("query too long", "POST", SEARCHES, {"query": "a" * 201, "found": 0}, page),
        ("query empty", "POST", SEARCHES, {"query": "   ", "found": 0}, page),
        (
            "opened a script",
            "POST",
            OPENS,
            {"query": "a", "location": "javascript:alert(1)", "rank": 1},
            page,
        ),
        ("feedback on no page", "POST", FEEDBACK, {"page": "../etc/passwd", "helped": 1}, page),
        ("helped 'yes'", "POST", FEEDBACK, {"page": "technique/stay-calm", "helped": "yes"}, page),
        ("an unknown page", "POST", FEEDBACK, {"page": "technique/nope", "helped": True}, page),
        ("cross-origin", "POST", STORIES, story, CROSS_SITE),
        ("no origin", "POST", STORIES, story, {"Content-Type": "application/json"}),
        ("origin null", "POST", STORIES, story, {**page, "Origin": "null"}),
        ("lone surrogate", "POST", STORIES, '{"title": "\\ud800 call"}', page),
        ("NUL in the title", "POST", STORIES, changed(title="a\u0000b"), page),
        ("control characters", "POST", STORIES, changed(outcome="ok\u001b[31m"), page),
        ("zero-width phone", "POST", STORIES, changed(body=hidden_phone), page),
        (
            "fullwidth e-mail",
            "POST",
            STORIES,
            changed(lesson="ｍａｒｉａ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            page,
        ),
        ("right-to-left junk", "POST", STORIES, changed(title="\u202e\u0000"), page),
        ("wrong method", "GET", STORIES, None, {}),
        ("unknown address", "POST", "/inbox/api/nothing", "{}", page),
        ("trainer, no token", "GET", TRAINER, None, {}),
        ("trainer, wrong token", "GET", TRAINER, None, {"Authorization": "Bearer wrong-token-1"}),
        ("trainer, junk token", "GET", TRAINER, None, {"Authorization": "Bearer \u00ff\u00fe"}),
        ("trainer, basic auth", "GET", TRAINER, None, {"Authorization": "Basic dHJhaW5lcg=="}),
        ("trainer, cross-origin", "GET", TRAINER, None, {**AUTH, "Origin": "http://evil.example"}),
        (
            "trainer, bad pulled mark",
            "POST",
            PULLED,
            {"receipt": "nope", "story_id": "x"},
            {**AUTH, "Content-Type": "application/json"},
        ),
    ]


def test_every_malformed_request_gets_a_4xx_with_a_message_never_a_5xx(inbox, caplog) -> None:
    base, database = inbox
    caplog.set_level(logging.INFO, "kbgen.inbox")
    cases = _bad_requests(base)
    for what, method, path, body, headers in cases:
        answer = request(base, method, path, body, headers)
        assert 400 <= answer.status < 500, (what, answer.status, answer.body)
        assert isinstance(answer.body, dict) and answer.body.get("error"), (what, answer.body)
        assert "Traceback" not in json.dumps(answer.body)
    refusals = [r for r in caplog.records if r.getMessage().startswith("refused ")]
    assert len(refusals) == len(cases)  # one clear log line for every refused request
    assert stored(database) == (0, 0, 0)
    assert TOKEN not in caplog.text and "wrong-token" not in caplog.text


def test_an_oversize_body_is_refused_before_it_is_read_whole(inbox) -> None:
    """A chunked body (no Content-Length) is cut off at the cap, too."""
    base, _ = inbox
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    chunks = (b"x" * 4096 for _ in range(64))  # 256 KB
    connection.request("POST", STORIES, body=chunks, headers=from_page(base), encode_chunked=True)
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_trainers_read_with_the_token_only(inbox) -> None:
    base, _ = inbox
    send_story(base)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    listing = request(base, "GET", "/inbox/api/trainer/stories", headers=auth)
    assert listing.status == 200 and len(listing.body["stories"]) == 1
    receipt = listing.body["stories"][0]["receipt"]
    pulled = {"receipt": receipt, "story_id": "he-wanted-it-fixed-today"}
    mark = request(
        base,
        "POST",
        "/inbox/api/trainer/pulled",
        pulled,
        {**auth, "Content-Type": "application/json"},
    )
    assert mark.body == {"marked": True}
    assert request(base, "GET", "/inbox/api/trainer/stories", headers=auth).body == {"stories": []}
    no_token = request(base, "GET", "/inbox/api/trainer/stories")
    assert no_token.status == 401 and no_token.headers["www-authenticate"] == "Bearer"


def test_trainer_endpoints_are_off_without_a_token(tmp_path: Path) -> None:
    with running(create_app(InboxSettings(tmp_path / "inbox.sqlite3"))) as base:
        answer = request(
            base, "GET", "/inbox/api/trainer/stories", headers={"Authorization": "Bearer x"}
        )
    assert answer.status == 403 and "off" in answer.body["error"]


def test_a_client_over_its_rate_is_told_to_wait(tmp_path: Path) -> None:
    with running(create_app(InboxSettings(tmp_path / "inbox.sqlite3", rate_per_minute=3))) as base:
        answers = [
            request(
                base, "POST", "/inbox/api/searches", {"query": "angry", "found": 1}, from_page(base)
            )
            for _ in range(4)
        ]
    assert [a.status for a in answers] == [202, 202, 202, 429]
    assert int(answers[-1].headers["retry-after"]) >= 1


def test_answers_carry_security_headers_and_no_server_banner(inbox) -> None:
    base, _ = inbox
    answer = send_story(base)
    headers = answer.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
    assert headers["content-type"] == "application/json"
    assert "server" not in headers
    assert "access-control-allow-origin" not in headers  # no other site may read an answer


def test_a_bug_answers_500_without_a_stack_trace(inbox, monkeypatch, caplog) -> None:
    base, _ = inbox

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("kbgen.inbox.app.story_from", broken)
    answer = send_story(base)
    assert answer.status == 500
    assert "secret" not in json.dumps(answer.body) and "Traceback" not in json.dumps(answer.body)
    assert "secret internals" in caplog.text  # the details go to the log
