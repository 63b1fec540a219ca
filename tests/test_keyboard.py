"""An agent in a narrow window beside the CRM, by keyboard: Tab goes to what is on screen (the
side menu slid off screen is not in the way), form fields show where focus is, the "Copied"
notice is announced, and no page throws a script error."""

from __future__ import annotations

import pytest
from test_live_call import contrast

NARROW = {"width": 360, "height": 800}
FOCUSED = """() => {
  const e = document.activeElement;
  const r = e.getBoundingClientRect();
  return {
    copy: e.classList.contains("kb-copy") && e.closest(".kb-say") !== null,
    onScreen: r.width > 0 && r.right > 0 && r.left < innerWidth && r.bottom > 0
      && r.top < innerHeight,
    what: `${e.tagName} ${(e.textContent || "").trim().slice(0, 40)}`,
  };
}"""


@pytest.mark.parametrize(
    "situation", ["customer-is-yelling", "caller-is-abusive", "customer-wants-a-manager"]
)
def test_tab_reaches_the_first_say_now_copy_button_through_what_is_on_screen(
    site_url: str, browser, situation: str
) -> None:
    page = browser.new_page(viewport=NARROW)
    page.goto(f"{site_url}situations/{situation}/")
    path = []
    for _ in range(12):
        page.keyboard.press("Tab")
        path.append(page.evaluate(FOCUSED))
        if path[-1]["copy"]:
            break
    page.close()
    assert path[-1]["copy"], f"no say-now copy button in 12 Tabs: {[p['what'] for p in path]}"
    assert [p["what"] for p in path if not p["onScreen"]] == []


def test_the_side_menu_opened_on_a_phone_takes_the_keyboard(site_url: str, browser) -> None:
    page = browser.new_page(viewport=NARROW)
    page.goto(f"{site_url}situations/customer-is-yelling/")
    page.locator("label.md-header__button[for='__drawer']").click()
    link = page.locator(".md-sidebar--primary a.md-nav__link").first
    link.wait_for(state="visible")
    link.focus()
    focused = page.evaluate(FOCUSED)
    page.close()
    assert focused["onScreen"], focused


def test_form_fields_show_a_focus_ring(site_url: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}stories/share/")
    field = page.locator(".kb-share input[type=text]").first
    assert field.count() == 1
    page.keyboard.press("Tab")  # the keyboard is in use: :focus-visible applies
    field.focus()
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"""
    )
    page.close()
    ring, width, colour = style
    assert ring != "none" and width >= 2, style
    assert contrast(colour.replace("rgba", "rgb"), "rgb(255, 255, 255)") >= 3, colour


def test_the_copied_notice_is_a_live_region(site_url: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}situations/customer-is-yelling/")
    notice = page.locator(".md-dialog__inner")
    live = (notice.get_attribute("aria-live"), notice.get_attribute("role"))
    page.close()
    assert live == ("polite", "status")


PAGE_KINDS = [
    "",
    "techniques/stay-calm/",
    "situations/customer-is-yelling/",
    "phrases/",
    "cards/",
    "cards/irate-caller-flow/",
    "stories/",
    "stories/share/",
]


def test_no_page_throws_a_script_error(site_url: str, browser) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    for path in PAGE_KINDS:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    page.close()
    assert len(PAGE_KINDS) == 8
    assert errors == []
