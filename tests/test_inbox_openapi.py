"""The inbox's API description (GET /inbox/openapi.json) is valid OpenAPI 3, covers every
address the inbox answers, and tells the truth: each example request, sent to a running inbox,
gets the status the description gives it and an answer its schema accepts. A resent story is
kept once however the client keys it, and a refused submission has all its problems in one
answer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from inbox_tools import CLEAN_STORY, from_page, request, send_story
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from kbgen.inbox import PREFIX
from kbgen.inbox.app import create_app, inbox_app
from kbgen.inbox.examples import RECEIPT, VOTE
from kbgen.inbox.server import running
from kbgen.inbox.settings import InboxSettings
from kbgen.inbox.store import Store
from kbgen.inbox.submissions import KnownIds

if TYPE_CHECKING:
    from collections.abc import Iterator

TOKEN = "trainer-token-for-tests-0123456789"
KNOWN = KnownIds(frozenset({"stay-calm", "let-them-vent"}), frozenset({"customer-is-yelling"}))
AUTH = {"Authorization": f"Bearer {TOKEN}"}
README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running inbox on 127.0.0.1 and its database file."""
    database = tmp_path / "inbox.sqlite3"
    settings = InboxSettings(database, token=TOKEN, known=KNOWN, rate_per_minute=1000)
    with running(create_app(settings)) as base:
        yield base, database


def description(base: str) -> dict[str, Any]:
    answer = request(base, "GET", f"{PREFIX}/openapi.json")
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    return answer.body


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method.upper(), path, operation


def schema_of(doc: dict[str, Any], schema: dict[str, Any]) -> OAS31Validator:
    """A validator for a schema of the description, its $refs resolved in the description."""
    return OAS31Validator({**schema, "components": doc["components"]})


def api_base(base: str, doc: dict[str, Any]) -> str:
    """Where the description's paths are: its server, variables at their defaults."""
    (server,) = doc["servers"]
    url = server["url"]
    for name, variable in server.get("variables", {}).items():
        url = url.replace("{" + name + "}", variable["default"])
    return url


def stored_stories(database: Path) -> int:
    store = Store(database, create=False)
    try:
        return len(store.receipts())
    finally:
        store.close()


# --- the description ------------------------------------------------------------------------


def test_the_description_is_valid_openapi_3(inbox) -> None:
    base, _ = inbox
    doc = description(base)
    assert doc["openapi"].startswith("3.")
    validate(doc)  # raises with the first structural error


def test_every_address_the_inbox_answers_is_described(tmp_path: Path) -> None:
    settings = InboxSettings(tmp_path / "inbox.sqlite3")
    store = Store(settings.database)
    try:
        app = inbox_app(settings, store)
        routes = {(m, r.path) for r in app.routes for m in r.methods or () if m != "HEAD"}
    finally:
        store.close()
    with running(create_app(settings)) as base:
        doc = description(base)
    described = {(method, path) for method, path, _ in operations(doc)}
    assert described == routes
    assert api_base(base, doc) == PREFIX
    assert {"/api/stories", "/api/searches", "/api/opens", "/api/feedback"} <= set(doc["paths"])
    assert {p for p in doc["paths"] if p.startswith("/api/trainer/")} == {
        "/api/trainer/stories",
        "/api/trainer/pulled",
        "/api/trainer/searches",
        "/api/trainer/votes",
    }


def test_every_operation_has_its_schemas_responses_and_examples(inbox) -> None:
    base, _ = inbox
    doc = description(base)
    checked = 0
    for method, path, operation in operations(doc):
        where = f"{method} {path}"
        assert operation["summary"] and operation["operationId"], where
        assert operation["responses"], where
        assert any(code.startswith("2") for code in operation["responses"]), where
        if method == "POST":
            body = operation["requestBody"]["content"]["application/json"]
            assert body["schema"] and body["examples"], where
            for name, example in body["examples"].items():
                errors = list(schema_of(doc, body["schema"]).iter_errors(example["value"]))
                refused = name == "refused"  # made to break the schema or the story checks
                assert refused or not errors, (where, name, errors)
        for code, response in operation["responses"].items():
            content = response["content"]["application/json"]
            assert response["description"] and content["examples"], (where, code)
            for example in content["examples"].values():
                schema_of(doc, content["schema"]).validate(example["value"])
                checked += 1
        trainer = path.startswith("/api/trainer/")
        assert ("security" in operation) == trainer, where
        if trainer:
            assert {"401", "403"} <= set(operation["responses"]), where
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("Origin" in headers) == (method == "POST" and not trainer), where
    assert checked >= 40
    schemes = doc["components"]["securitySchemes"]
    assert schemes["trainerToken"] == {
        **schemes["trainerToken"],
        "type": "http",
        "scheme": "bearer",
    }


def test_the_schemas_carry_the_limits_the_inbox_enforces(inbox) -> None:
    base, _ = inbox
    story = description(base)["components"]["schemas"]["StoryIn"]
    assert story["additionalProperties"] is False
    assert set(story["required"]) == {"title", "channel", "techniques", "outcome", "lesson", "body"}
    assert story["properties"]["lesson"]["maxLength"] == 140
    assert story["properties"]["title"]["maxLength"] == 100
    too_long = send_story(base, title="x" * 101)
    assert too_long.status == 422 and too_long.body["problems"][0]["field"] == "title"
    assert send_story(base, title="x" * 100).status == 201


def test_each_example_gets_the_status_the_description_gives_it(inbox) -> None:
    base, database = inbox
    send_examples(base)
    assert stored_stories(database) == 2  # the two stories sent; none refused, none twice


def test_a_handbook_with_one_technique_and_no_situation_has_examples_that_work(
    tmp_path: Path,
) -> None:
    known = KnownIds(frozenset({"zz-top"}), frozenset())
    settings = InboxSettings(tmp_path / "inbox.sqlite3", token=TOKEN, known=known)
    with running(create_app(settings)) as base:
        send_examples(base)
    assert stored_stories(settings.database) == 2


def send_examples(base: str) -> None:
    """Each example request of the description, sent: the status it documents, and an answer
    its schema accepts. An example's stand-in receipt or vote key is replaced by one this
    inbox answered with (a comment needs a real vote)."""
    doc = description(base)
    prefix = api_base(base, doc)
    real: dict[str, str] = {}  # an example's stand-in key or receipt: the one really answered
    sent = 0
    for method, path, operation in operations(doc):
        headers = {**AUTH} if path.startswith("/api/trainer/") else {}
        if method == "POST":
            headers |= {"Content-Type": "application/json", "Origin": base.rstrip("/")}
        expected = {
            name: (int(code), example["value"])
            for code, response in operation["responses"].items()
            for name, example in response["content"]["application/json"]["examples"].items()
        }
        bodies = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        requests = {n: e["value"] for n, e in bodies.get("examples", {}).items()} or {"": None}
        for name, body in requests.items():
            if body is not None:
                body = json.loads(_replace(json.dumps(body), real))
            answer = request(base, method, prefix + path, body, headers)
            if body is None:  # a GET: its answer when all is well
                status = next(int(c) for c in operation["responses"] if c < "3")
            else:  # every request example has its answer, under the status it gets
                status, documented = expected[name]
                if documented.keys() & {"kept", "marked"}:
                    assert answer.body == documented, (path, name)
            assert answer.status == status, (method, path, name, answer.body)
            response = operation["responses"][str(status)]["content"]["application/json"]
            schema_of(doc, response["schema"]).validate(answer.body)
            if isinstance(answer.body, dict):
                if "receipt" in answer.body:
                    real.setdefault(RECEIPT, answer.body["receipt"])
                if "vote" in answer.body:
                    real.setdefault(VOTE, answer.body["vote"])
            sent += 1
    assert sent >= 15


def _replace(text: str, real: dict[str, str]) -> str:
    for stand_in, value in real.items():
        text = text.replace(stand_in, value)
    return text


def test_the_refusals_say_what_the_description_says(inbox) -> None:
    base, _ = inbox
    doc = description(base)
    stories = doc["paths"]["/api/stories"]["post"]["responses"]
    trainer = doc["paths"]["/api/trainer/stories"]["get"]["responses"]

    def documented(responses: dict[str, Any], code: int) -> str:
        return responses[str(code)]["content"]["application/json"]["examples"]["refusal"]["value"][
            "error"
        ]

    page = from_page(base)
    story = json.dumps(CLEAN_STORY)
    cases = [
        (stories, 415, "POST", story, {**page, "Content-Type": "text/plain"}),
        (stories, 403, "POST", story, {**page, "Origin": "http://evil.example"}),
        (stories, 400, "POST", '{"title": ', page),
        (stories, 413, "POST", json.dumps({**CLEAN_STORY, "body": "word " * 8000}), page),
        (trainer, 401, "GET", None, {}),
        (trainer, 403, "GET", None, {"Authorization": "Bearer wrong-token-1"}),
    ]
    path = {id(stories): "/inbox/api/stories", id(trainer): "/inbox/api/trainer/stories"}
    for responses, code, method, body, headers in cases:
        answer = request(base, method, path[id(responses)], body, headers)
        assert answer.status == code
        assert answer.body["error"] == documented(responses, code)


def test_readme_links_the_description_and_its_curl_examples_work(inbox) -> None:
    base, database = inbox
    section = README.split("### Inbox API", 1)[1].split("\n## ", 1)[0]
    assert "/inbox/openapi.json" in section and "Authorization: Bearer" in section
    doc = description(base)
    for address in re.findall(r"https://handbook\.example/inbox(/[\w/.]+)", section):
        assert address == "/openapi.json" or address in doc["paths"], address
    (post,) = re.findall(r"curl -s \S+/inbox/api/stories.*?-d '(.*?)'", section, re.S)
    (key,) = re.findall(r"-H 'Idempotency-Key: ([^']+)'", section)
    headers = {**from_page(base), "Idempotency-Key": key}
    first = request(base, "POST", "/inbox/api/stories", post, headers)
    again = request(base, "POST", "/inbox/api/stories", post, headers)
    assert first.status == again.status == 201, first.body
    assert first.body == again.body and stored_stories(database) == 1


# --- a resent story is kept once ----------------------------------------------------------


def test_a_story_sent_again_without_a_key_is_kept_once(inbox) -> None:
    base, database = inbox
    assert "submission" not in CLEAN_STORY
    first, again = send_story(base), send_story(base)
    assert first.status == again.status == 201
    assert first.body["receipt"] == again.body["receipt"]
    assert stored_stories(database) == 1
    spaced = send_story(base, title=f"  {CLEAN_STORY['title']} ")  # the same story once checked
    assert spaced.body["receipt"] == first.body["receipt"]
    other = send_story(base, title="He wanted it fixed by Friday")
    assert other.status == 201 and other.body["receipt"] != first.body["receipt"]
    assert stored_stories(database) == 2


def test_a_story_keyed_by_a_header_is_kept_once(inbox) -> None:
    base, database = inbox
    headers = {**from_page(base), "Idempotency-Key": "crm-ticket-48213-story-1"}
    first = request(base, "POST", "/inbox/api/stories", CLEAN_STORY, headers)
    again = request(base, "POST", "/inbox/api/stories", CLEAN_STORY, headers)
    both = request(
        base,
        "POST",
        "/inbox/api/stories",
        {**CLEAN_STORY, "submission": "crm-ticket-48213-story-1"},
        from_page(base),
    )
    assert first.status == again.status == both.status == 201
    assert first.body == again.body == both.body
    assert stored_stories(database) == 1
    differ = request(
        base, "POST", "/inbox/api/stories", {**CLEAN_STORY, "submission": "b" * 20}, headers
    )
    assert differ.status == 422 and differ.body["problems"][0]["field"] == "submission"
    malformed = {**from_page(base), "Idempotency-Key": "short"}
    bad = request(base, "POST", "/inbox/api/stories", CLEAN_STORY, malformed)
    assert bad.status == 422 and "Idempotency-Key" in bad.body["problems"][0]["what"]
    assert stored_stories(database) == 1


def test_a_key_sent_again_with_another_story_is_refused_not_kept(inbox) -> None:
    base, database = inbox
    key = "c" * 32
    assert send_story(base, submission=key).status == 201
    other = send_story(base, submission=key, title="Another call altogether")
    assert other.status == 409 and "new key" in other.body["error"]
    assert stored_stories(database) == 1


def test_the_store_keeps_a_story_with_no_key_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "inbox.sqlite3")
    try:
        fields = {**CLEAN_STORY, "author": "anonymous"}
        assert store.add_story(fields) == store.add_story(dict(fields))
        assert len(store.receipts()) == 1
    finally:
        store.close()


# --- every problem at once -------------------------------------------------------------------


def test_a_refused_story_has_every_fields_problem_in_one_answer(inbox) -> None:
    base, database = inbox
    broken = {
        "title": "   ",
        "author": "Mrs Jane Doe",
        "channel": "fax",
        "situations": ["Not An Id"],
        "techniques": ["make-them-wait"],
        "outcome": "See https://refunds.example.com for more.",
        "lesson": "x" * 141,
        "body": CLEAN_STORY["body"] + " Ring me on 07700 900123.",
        "submission": "x",
        "status": "approved",
    }
    answer = send_story(base, broken)
    assert answer.status == 422
    problems = {p["field"]: p for p in answer.body["problems"]}
    assert set(problems) == set(broken), answer.body
    assert problems["body"]["category"] == "personal data"
    assert problems["author"]["category"] == "personal data"
    assert problems["outcome"]["category"] == "spam"
    assert problems["techniques"]["what"] == "the handbook has no make-them-wait"
    assert "140" in problems["lesson"]["fix"]
    assert all(p["what"] and p["fix"] for p in problems.values())
    assert stored_stories(database) == 0


def test_the_other_submissions_have_every_problem_in_one_answer(inbox) -> None:
    base, _ = inbox

    def fields(path: str, body: dict[str, Any]) -> set[str | None]:
        answer = request(base, "POST", path, body, from_page(base))
        assert answer.status == 422, answer.body
        return {p["field"] for p in answer.body["problems"]}

    search = {"query": " ", "found": -1, "retried": "no", "page": 2}
    assert fields("/inbox/api/searches", search) == {"query", "found", "retried", "page"}
    opened = {"query": "a" * 201, "location": "javascript:alert(1)", "rank": 0}
    assert fields("/inbox/api/opens", opened) == {"query", "location", "rank"}
    vote = {"page": "technique/nope", "helped": "yes", "comment": "call me on 07700 900123"}
    assert fields("/inbox/api/feedback", vote) == {"page", "helped", "comment"}
    assert fields("/inbox/api/feedback", {"vote": "!", "comment": ""}) == {"vote", "comment"}
    pulled = request(
        base,
        "POST",
        "/inbox/api/trainer/pulled",
        {"receipt": "nope", "story_id": "Not An Id"},
        {**AUTH, "Content-Type": "application/json"},
    )
    assert pulled.status == 422
    assert {p["field"] for p in pulled.body["problems"]} == {"receipt", "story_id"}


@pytest.mark.parametrize("channel", ["e-mail", "E-mail", "Email", "e mail"])
def test_an_e_mail_channel_written_another_way_is_told_the_value_to_send(
    inbox, channel: str
) -> None:
    base, _ = inbox
    answer = send_story(base, channel=channel)
    assert answer.status == 422
    (problem,) = answer.body["problems"]
    assert problem["field"] == "channel" and f'"{channel}"' in problem["what"]
    assert problem["fix"].startswith('did you mean "email"?')
    assert '"phone", "chat" or "email"' in problem["fix"]
    assert send_story(base, channel="email").status == 201


def test_a_channel_the_form_does_not_offer_is_told_the_ones_it_does(inbox) -> None:
    base, _ = inbox
    (problem,) = send_story(base, channel="fax").body["problems"]
    assert problem["fix"] == 'send "phone", "chat" or "email"'
    assert "e-mail" not in problem["fix"]
