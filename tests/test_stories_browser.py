"""Stories in a real browser: a story built from an XSS payload runs nothing, the "Share your
story" form flags personal data as the build would and gives a file kbgen accepts, and the
story list filters by technique."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from browser import serve_folder
from conftest import kbgen, mkdocs_build
from factory import write

from kbgen.stories.ledger import Decision, content_hash, record

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

PAYLOAD_STORY = textwrap.dedent("""\
    ---
    title: "Payload <img src=x onerror=alert('title')>"
    author: "<script>alert('author')</script>"
    date: 2026-10-01
    channel: chat
    situations: [customer-is-yelling]
    techniques: [let-them-vent]
    outcome: "<b onmouseover=alert('outcome')>Resolved</b> on the chat."
    lesson: Let them finish before you fix it, even when they type in capitals.
    ---
    The customer was angry about a double charge and typed in capitals. I let her finish
    and apologised. She pasted <script>alert('body')</script> and
    <img src="x" onerror="alert('img')"> and <a href="javascript:alert('link')">this link</a>
    and [that link](javascript:alert('md')) into the chat, and I kept calm.
    """)


def test_a_story_page_built_from_xss_payloads_runs_nothing(
    project: Path, browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: even a story the checks let through (here they are switched off, and
    a trainer approved it) cannot run anything on its page."""
    import kbgen.build
    import kbgen.stories.moderation

    path = write(project / "snippets/stories/payload.md", PAYLOAD_STORY)
    record(
        project / "snippets/stories",
        "payload",
        Decision("approved", content_hash(path.read_bytes()), "2026-11-26"),
    )
    monkeypatch.setattr(kbgen.stories.moderation, "check_story", lambda story: [])
    kbgen.build._memo.clear()
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    with serve_folder(project / "site") as url:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("stories/payload/", "stories/", "techniques/let-them-vent/", ""):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.mouse.move(200, 300)
            assert page.locator("article img, article b, article script:not([type])").count() == 0
            assert page.locator("[onerror], [onmouseover]").count() == 0
            assert page.locator("a[href^='javascript']").count() == 0
        page.goto(url + "stories/payload/")
        body = page.locator(".kb-story__body").inner_text()
        assert "<script>alert('body')</script>" in body  # shown as text, never run
        assert dialogs == []


def fill_story(page, body: str) -> None:
    page.fill("#kb-share-title", "He wanted it fixed today")
    page.fill("#kb-share-body", body)
    page.check("input[name=situations][value=customer-is-yelling]")
    page.check("input[name=techniques][value=let-them-vent]")
    page.fill("#kb-share-outcome", "Resolved on the call.")
    page.fill("#kb-share-lesson", "Let them finish, then offer the fix.")
    page.wait_for_function("document.getElementById('kb-share').dataset.kbChecked === 'yes'")


def test_share_form_flags_a_phone_number_as_the_build_does(site_url: str, browser) -> None:
    page = browser.new_page()
    page.goto(site_url + "stories/share/")
    fill_story(
        page,
        "The customer was angry about a late engineer and shouted at me on the "
        "call. He said ring me on 07700 900123 when it is fixed.",
    )
    checks = page.locator("#kb-share-checks").inner_text()
    assert "What happened: personal data: a long number (077…)" in checks
    assert page.locator("#kb-share-download").is_disabled()
    page.fill(
        "#kb-share-body",
        "The customer was angry about a late engineer and shouted at "
        "me on the call. I let him finish, then booked the next slot.",
    )
    page.wait_for_function("!document.getElementById('kb-share-download').disabled")
    assert "Ready to send" in page.locator("#kb-share-checks").inner_text()


def test_share_form_gives_a_file_kbgen_loads_as_a_submitted_story(
    site_url: str, browser, project: Path
) -> None:
    page = browser.new_page(accept_downloads=True)
    requests: list[str] = []
    page.goto(site_url + "stories/share/")
    page.on("request", lambda request: requests.append(request.url))
    fill_story(
        page,
        "The customer was angry about a late engineer and shouted at me on the "
        "call. I let him finish, apologised and booked the first slot tomorrow.",
    )
    with page.expect_download() as download_info:
        page.click("#kb-share-download")
    download = download_info.value
    name = download.suggested_filename
    assert name.endswith("-he-wanted-it-fixed-today.md")
    download.save_as(project / "snippets/stories" / name)
    assert kbgen(project, "check").returncode == 0
    listing = kbgen(project, "stories")
    assert "submitted (1)" in listing.stdout and name.removesuffix(".md") in listing.stdout
    assert all(r.startswith(site_url) or r.startswith("blob:") for r in requests)


def test_story_list_filters_by_technique_and_situation(site_url: str, browser) -> None:
    page = browser.new_page()
    page.goto(site_url + "stories/")
    items = page.locator(".kb-stories > li")
    total = items.count()
    page.select_option("select[data-kb-filter=technique]", "set-a-boundary")
    visible = page.locator(".kb-stories > li:not([hidden])")
    assert 0 < visible.count() < total
    for index in range(visible.count()):
        assert "set-a-boundary" in visible.nth(index).get_attribute("data-technique").split()
    page.goto(site_url + "stories/?situation=customer-is-yelling")
    page.wait_for_function("document.querySelector('.kb-story-filter__count').textContent !== ''")
    shown = page.locator(".kb-stories > li:not([hidden])")
    assert 0 < shown.count() < total
