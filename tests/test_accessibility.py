"""Agents under stress, some with screen readers or only a keyboard: axe-core finds no serious
or critical problem on any kind of page, and everything works from the keyboard alone."""

from __future__ import annotations

import pytest
from node_tools import axe_source
from search_box import SearchBox

PAGES = {
    "home": "",
    "technique": "techniques/stay-calm/",
    "situation": "situations/customer-is-yelling/",
    "situation with a hand-over alert": "situations/caller-is-abusive/",
    "phrasebook": "phrases/",
    "sources": "sources/",
    "card": "cards/irate-caller-flow/",
    "cards index": "cards/",
    "stories index": "stories/",
    "story": "stories/abusive-caller-warned-twice/",
    "share your story": "stories/share/",
    "what's new": "whats-new/",
    "needs review": "trainers/needs-review/",
    "hand-written guide": "guide/first-week/",
}

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ` +
      v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(", "));
}"""


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=axe_source())
    return page.evaluate(AXE_RUN)


WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_serious_accessibility_problem(site_url: str, browser, kind: str, width: str) -> None:
    viewport_width, viewport_height = WIDTHS[width]
    page = browser.new_page(viewport={"width": viewport_width, "height": viewport_height})
    page.goto(site_url + PAGES[kind])
    assert axe_violations(page) == []
    page.close()


def test_no_serious_accessibility_problem_with_search_results_open(site_url: str, browser) -> None:
    page = browser.new_page()
    box = SearchBox(page, site_url)
    box.open(site_url)
    assert box.search("customer yelling")
    assert axe_violations(page) == []
    page.close()


def test_search_and_copy_work_from_the_keyboard_alone(site_url: str, browser) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    box = SearchBox(page, site_url)
    box.open(site_url)  # the "/" key opens search
    results = box.search("customer screaming")
    assert results[0].location == "situations/customer-is-yelling/"
    page.keyboard.press("ArrowDown")  # the first result
    page.keyboard.press("Enter")
    page.wait_for_url("**/situations/customer-is-yelling/**")

    for _ in range(200):  # Tab through the page to the first copy button
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        if "kb-copy" in focused:
            break
    else:
        pytest.fail("no copy button can be reached with the Tab key")
    phrase = page.evaluate("document.activeElement.dataset.clipboardText")
    page.keyboard.press("Enter")
    page.wait_for_selector(".md-dialog--active")
    assert page.evaluate("navigator.clipboard.readText()") == phrase
    context.close()
