"""The inbox in real Chromium against a real server on loopback (`kbgen serve`'s app): the share
form sends a clean story and shows the receipt, a story the inbox refuses gets the problem at
its field and is kept nowhere, a stopped inbox leaves the download; searches that found
nothing reach `kbgen search-gaps` (an e-mail address never does); "Did this help?" reaches
`kbgen feedback`; and a site without an inbox sends nothing anywhere."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

import pytest
from browser import serve_folder
from conftest import cli, mkdocs_build
from factory import write_handbook
from inbox_tools import inbox_project
from search_box import SearchBox
from tools import free_port

from kbgen.inbox.app import create_app
from kbgen.inbox.server import running, site_app
from kbgen.inbox.settings import InboxSettings
from kbgen.inbox.store import Store

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

CLEAN_BODY = (
    "The customer was angry about a late engineer and shouted at me on the call. I let him "
    "finish, apologised and booked the first slot tomorrow."
)
PHONE_BODY = (
    "The customer was angry about a late engineer and shouted at me on the call. He said ring "
    "me on 07700 900123 when it is fixed."
)


PORT = free_port()
"""Where the site is served: its sitemap names it, so Material's instant navigation works."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small handbook built with `inbox_url: /inbox/`."""
    project = inbox_project(tmp_path_factory.mktemp("inbox") / "project", port=PORT)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project


@contextlib.contextmanager
def serving(project: Path, database: Path) -> Iterator[str]:
    """The site and its inbox on one origin, as `kbgen serve --site site/` runs them."""
    app = create_app(InboxSettings(database), site_app(project / "site", database))
    with running(app, port=PORT) as base:
        yield base


@pytest.fixture
def served(built: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    database = tmp_path / "inbox.sqlite3"
    with serving(built, database) as base:
        yield base, database


def fill_story(page, body: str) -> None:
    page.fill("#kb-share-title", "He wanted it fixed today")
    page.fill("#kb-share-body", body)
    page.check("input[name=situations][value=customer-is-yelling]")
    page.check("input[name=techniques][value=let-them-vent]")
    page.fill("#kb-share-outcome", "Resolved on the call.")
    page.fill("#kb-share-lesson", "Let them finish, then offer the fix.")


SEARCH_EVENTS = """
window.__kbSearches = [];
document.addEventListener("kb:search", event => window.__kbSearches.push(event.detail.query));
"""


def settled(page, query: str) -> None:
    """Wait until the search box reported `query` (it waits for the results to settle)."""
    page.wait_for_function("q => window.__kbSearches.includes(q)", arg=query)


def eventually(check: Callable[[], object], timeout: float = 10) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_the_share_form_sends_a_clean_story_and_shows_the_receipt(
    served, browser, built: Path, tmp_path: Path
) -> None:
    base, database = served
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "stories/share/")
    fill_story(page, CLEAN_BODY)
    page.wait_for_function("!document.getElementById('kb-share-send').disabled")
    page.click("#kb-share-send")
    page.wait_for_function("document.getElementById('kb-share').dataset.kbSent")
    receipt = page.get_attribute("#kb-share", "data-kb-sent")
    assert f"Your receipt is {receipt}" in page.inner_text("#kb-share-receipt")
    assert Store(database, create=False).receipts() == [receipt]
    assert all(url.startswith(base) for url in requests)
    page.close()

    # the trainer pulls it, and the next build's "Needs review" counts it
    project = tmp_path / "project"
    write_handbook(project)
    pulled = cli(project, "stories", "pull", "--db", str(database))
    assert pulled.returncode == 0, pulled.stderr
    assert (project / "snippets/stories/he-wanted-it-fixed-today.md").is_file()
    assert mkdocs_build(project).returncode == 0
    review = (project / "site/trainers/needs-review/index.html").read_text(encoding="utf-8")
    assert "1 story waits for review" in review


def test_a_story_the_inbox_refuses_shows_the_problem_at_its_field(served, browser) -> None:
    base, database = served
    page = browser.new_page()
    page.goto(base + "stories/share/")
    fill_story(page, PHONE_BODY)
    page.wait_for_function("document.getElementById('kb-share').dataset.kbChecked === 'yes'")
    assert page.is_disabled("#kb-share-send")  # the page's own checks hold it back…
    # …but they are a convenience: with them out of the way, the inbox checks it again
    page.evaluate("window.kbStoryChecks.checkFields = () => []")
    page.fill("#kb-share-lesson", "Let them finish, then offer the fix!")
    page.wait_for_function("!document.getElementById('kb-share-send').disabled")
    page.click("#kb-share-send")
    problem = page.wait_for_selector("#kb-share-problem-body")
    assert "personal data" not in problem.inner_text()  # said in words an agent reads:
    assert "What happened: a phone number" in problem.inner_text()
    assert page.get_attribute("#kb-share-body", "aria-invalid") == "true"
    assert page.get_attribute("#kb-share-body", "aria-describedby") == "kb-share-problem-body"
    assert page.evaluate("document.activeElement.id") == "kb-share-body"
    assert "Not sent" in page.inner_text("#kb-share-receipt")
    assert Store(database, create=False).receipts() == []
    page.close()


def test_with_the_inbox_stopped_the_form_falls_back_to_the_download(
    built: Path, browser, tmp_path: Path
) -> None:
    page = browser.new_page(accept_downloads=True)
    with serving(built, tmp_path / "inbox.sqlite3") as base:
        page.goto(base + "stories/share/")
        fill_story(page, CLEAN_BODY)
        page.wait_for_function("!document.getElementById('kb-share-send').disabled")
    page.click("#kb-share-send")  # the server is gone
    page.wait_for_function("document.getElementById('kb-share').dataset.kbSendFailed === 'yes'")
    assert "cannot be reached" in page.inner_text("#kb-share-receipt")
    assert page.evaluate("document.activeElement.id") == "kb-share-download"
    with page.expect_download() as download_info:
        page.click("#kb-share-download")
    project = write_handbook(tmp_path / "project")
    name = download_info.value.suggested_filename
    download_info.value.save_as(project / "snippets/stories" / name)
    assert "submitted (1)" in cli(project, "stories").stdout
    page.close()


def test_searches_that_found_nothing_reach_search_gaps_and_e_mails_never_do(
    served, browser, tmp_path: Path
) -> None:
    base, database = served
    page = browser.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.post_data or "") if "/inbox/api/" in r.url else None)
    page.add_init_script(SEARCH_EVENTS)
    box = SearchBox(page, base)
    box.open(base)
    assert box.search("refund to paypal") == []
    settled(page, "refund to paypal")
    box.search("maria.lopez@example.com refund")  # found or not, it is never sent
    settled(page, "maria.lopez@example.com refund")
    assert box.search("vent")
    settled(page, "vent")
    page.click(".md-search-result__link >> nth=0")
    store = Store(database, create=False)
    assert eventually(
        lambda: {c.query for c in store.query_counts()} >= {"refund to paypal", "vent"}
    )
    assert eventually(lambda: any(c.opens for c in store.query_counts()))
    assert not any("maria" in body for body in sent)
    project = write_handbook(tmp_path / "project")
    report = cli(project, "search-gaps", "--db", str(database))
    assert report.returncode == 0, report.stderr
    nothing = report.stdout.split("Found something nobody opened")[0]
    assert "refund to paypal" in nothing and "maria" not in report.stdout
    print(report.stdout)  # pytest -s shows the report
    page.close()


def test_did_this_help_reaches_kbgen_feedback(served, browser, tmp_path: Path) -> None:
    base, database = served
    page = browser.new_page()
    page.goto(base + "techniques/")
    page.wait_for_load_state("networkidle")  # Material reads the sitemap before it navigates
    page.evaluate("window.__sameDocument = true")
    page.click("article a[href$='stay-calm/']")  # instant navigation: no reload
    page.wait_for_url("**/techniques/stay-calm/")
    page.wait_for_selector("#kb-feedback:not([hidden])")
    assert page.evaluate("window.__sameDocument === true")
    page.click("#kb-feedback button[value=no]")
    page.wait_for_function("document.getElementById('kb-feedback').dataset.kbVoted === 'no'")
    page.fill("#kb-feedback-comment", "Call me on 07700 900123 about this")
    page.click("#kb-feedback-send")
    page.wait_for_selector("#kb-feedback-comment[aria-invalid=true]")
    assert "phone number" in page.inner_text("#kb-feedback-status")
    page.fill("#kb-feedback-comment", "Too long to read while the customer is talking.")
    page.click("#kb-feedback-send")
    page.wait_for_function("document.getElementById('kb-feedback').dataset.kbCommented === 'yes'")
    project = write_handbook(tmp_path / "project")
    report = cli(project, "feedback", "--db", str(database))
    assert "technique/stay-calm  (Stay calm)" in report.stdout
    assert "'Too long to read while the customer is talking.'" in report.stdout
    assert "900123" not in report.stdout
    page.close()


def test_without_an_inbox_pages_send_nothing_and_work_as_before(
    built: Path, browser, tmp_path: Path
) -> None:
    plain = write_handbook(tmp_path / "plain")
    assert mkdocs_build(plain).returncode == 0
    page = browser.new_page()
    inbox_requests: list[str] = []
    page.on("request", lambda r: inbox_requests.append(r.url) if "/inbox/" in r.url else None)
    with serve_folder(plain / "site") as base:
        box = SearchBox(page, base)
        box.open(base + "techniques/stay-calm/")
        assert box.search("vent")
        assert box.search("refund to paypal") == []
        time.sleep(1.5)
        assert page.locator("#kb-feedback").is_hidden()
        page.goto(base + "stories/share/")
        assert page.locator("#kb-share-send").count() == 0
        assert page.locator("#kb-share-download").is_visible()
        # let the page's search worker finish loading before its server goes away, or its
        # failed import surfaces as an error of the next page
        page.wait_for_load_state("networkidle")
    # a site built with an inbox whose inbox is missing (no /inbox/ on its server): the
    # question is not asked, searching still works, and nothing fails on the page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve_folder(built / "site") as base:
        box = SearchBox(page, base)
        box.open(base + "techniques/stay-calm/")
        assert box.search("vent")
        page.wait_for_load_state("networkidle")
        assert page.locator("#kb-feedback").is_hidden()
    assert errors == []
    inbox_requests.clear()  # asked for /inbox/api/status, found no inbox
    # a site built with an inbox, opened from a folder: no inbox either
    page.goto((built / "site/stories/share/index.html").as_uri())
    page.wait_for_selector("#kb-share-download")
    assert page.locator("#kb-share-send").count() == 0
    page.goto((built / "site/techniques/stay-calm/index.html").as_uri())
    assert page.locator("#kb-feedback").is_hidden()
    assert inbox_requests == []
    page.close()
