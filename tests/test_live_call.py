"""The live call: an agent with an angry customer in their ear, in a side panel beside the CRM
or on a phone, reads what to say now on the first screen of every situation page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from browser import layout_page

if TYPE_CHECKING:
    from pathlib import Path

# (width, height, where the first phrase to say must start at the latest, in CSS pixels)
SCREENS = {"desktop": (1366, 768, 400), "side panel": (420, 900, 600), "phone": (390, 844, 600)}
SAFETY_PAGES = ["caller-is-abusive", "customer-threatens"]

FIRST_SCREEN = """() => {
  const article = document.querySelector("article");
  const top = el => el ? el.getBoundingClientRect().top + window.scrollY : null;
  const say = article.querySelector(".kb-say .kb-phrase");
  const link = article.querySelector("a.kb-handover-link");
  return {
    say: top(say),
    handover: link ? link.getBoundingClientRect().bottom + window.scrollY : null,
    target: link ? document.getElementById(new URL(link.href).hash.slice(1)) !== null : null,
  };
}"""


def situation_pages(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "situations").glob("*/index.html"))


@dataclass
class Visit:
    """What the probes read on one page at one screen size."""

    wide: bool  # scrolls sideways
    first: dict | None = None  # FIRST_SCREEN, on situation pages
    phrases: list | None = None  # PHRASES, on entry pages at the desktop size


@pytest.fixture(scope="module")
def visits(bundled_site: Path, site_url: str, browser) -> dict[str, dict[str, Visit]]:
    """Each page loaded once per screen size that a test below reads it at: every page on
    the phone, the entry pages on the desktop, the situations in the side panel."""
    situations = [f"situations/{name}/" for name in situation_pages(bundled_site)]
    every_page = sorted(
        "" if p.parent == bundled_site else p.parent.relative_to(bundled_site).as_posix() + "/"
        for p in bundled_site.rglob("index.html")
    )
    wanted = {"phone": every_page, "desktop": entry_pages(bundled_site), "side panel": situations}
    found: dict[str, dict[str, Visit]] = {}
    for screen, paths in wanted.items():
        width, height, _ = SCREENS[screen]
        page = layout_page(browser, width, height)
        found[screen] = {}
        for path in paths:
            page.goto(site_url + path)
            found[screen][path] = Visit(
                wide=page.evaluate("document.documentElement.scrollWidth > window.innerWidth"),
                first=page.evaluate(FIRST_SCREEN) if path in situations else None,
                phrases=page.evaluate(PHRASES) if screen == "desktop" else None,
            )
        page.close()
    return found


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_the_first_phrase_to_say_is_on_the_first_screen(
    visits: dict[str, dict[str, Visit]], screen: str
) -> None:
    _, height, limit = SCREENS[screen]
    shown = {path: v.first for path, v in visits[screen].items() if v.first is not None}
    assert len(shown) >= 16
    late = []
    for path, found in shown.items():
        name = path.split("/")[1]
        if found["say"] is None or found["say"] > limit:
            late.append(f"{name}: first phrase at {found['say']} px")
        if screen == "desktop" and name in SAFETY_PAGES:
            if found["handover"] is None or found["handover"] > height:
                late.append(f"{name}: hand-over link ends at {found['handover']} px")
            assert found["target"], f"{name}: the hand-over link points nowhere"
    assert late == []


PHRASES = """() => [...document.querySelectorAll("article .kb-phrases > li")].map(li => {
  const phrase = li.querySelector(".kb-phrase");
  const style = getComputedStyle(phrase);
  const button = li.querySelector("button.kb-copy");
  return {
    say: li.classList.contains("kb-say"),
    text: phrase.textContent,
    copy: button ? button.dataset.clipboardText : null,
    mark: li.querySelector(".kb-mark").textContent,
    compact: li.parentElement.classList.contains("kb-phrases--compact"),
    tag: li.querySelector(".kb-tag").textContent,
    struck: style.textDecorationLine.includes("line-through"),
    rule: getComputedStyle(li).borderLeftStyle,
    colour: style.color,
    size: parseFloat(style.fontSize),
    body: parseFloat(getComputedStyle(document.querySelector("article")).fontSize),
  };
})"""


def entry_pages(site: Path) -> list[str]:
    pages = [f"situations/{name}/" for name in situation_pages(site)]
    pages += sorted(
        f"techniques/{p.parent.name}/" for p in (site / "techniques").glob("*/index.html")
    )
    return [*pages, "phrases/"]


def test_say_and_dont_say_differ_in_shape_label_and_style_and_only_say_copies(
    visits: dict[str, dict[str, Visit]],
) -> None:
    problems, seen = [], {"say": 0, "dont": 0}
    for path, visit in visits["desktop"].items():
        for item in visit.phrases or []:
            where = f"{path} {item['text']!r}"
            if item["say"]:
                seen["say"] += 1
                if item["copy"] != item["text"]:
                    problems.append(f"{where}: copies {item['copy']!r}")
                if (item["mark"], item["tag"], item["struck"], item["rule"]) != (
                    "✓",
                    "Say",
                    False,
                    "solid",
                ):
                    problems.append(f"{where}: does not look like a phrase to say")
            else:
                seen["dont"] += 1
                if item["copy"] is not None:
                    problems.append(f"{where}: a phrase not to say has a copy button")
                if (item["mark"], item["tag"], item["struck"], item["rule"]) != (
                    "✗",
                    "Don’t say",
                    True,
                    "dashed",
                ):
                    problems.append(f"{where}: does not look like a phrase not to say")
            if contrast(item["colour"], "rgb(255, 255, 255)") < 7:
                problems.append(f"{where}: contrast below 7:1 ({item['colour']})")
            if item["size"] < item["body"] * (1.1 if item["compact"] else 1.15) - 0.1:
                problems.append(f"{where}: {item['size']} px, body text {item['body']} px")
    assert seen["say"] > 100 and seen["dont"] > 50
    assert problems == []


def test_greyscale_print_still_tells_say_from_dont_say(site_url: str, browser, tmp_path) -> None:
    """Printed on an office laser printer: no colour, yet every difference but the colour
    remains (the cross and tick, the words, the struck-through text, solid or dashed rule)."""
    from PIL import Image, ImageChops

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(site_url + "situations/customer-is-yelling/")
    page.emulate_media(media="print")
    page.add_style_tag(content="html { filter: grayscale(1) !important; }")
    say = page.locator(".kb-now .kb-say").first
    dont = page.locator(".kb-now .kb-dont").first
    say.screenshot(path=tmp_path / "say.png")
    dont.screenshot(path=tmp_path / "dont.png")
    say_image = Image.open(tmp_path / "say.png").convert("RGB")
    dont_image = Image.open(tmp_path / "dont.png").convert("RGB")
    for image in (say_image, dont_image):  # really grey: no channel differs from the others
        grey = image.convert("L").convert("RGB")
        assert max(high for _, high in ImageChops.difference(image, grey).getextrema()) <= 3
    assert "Don’t say" in dont.text_content() and "✗" in dont.text_content()
    assert "✓" in say.text_content()
    # the dashed rule of "don't say" breaks the left edge; the solid rule of "say" does not
    assert edge_gaps(dont_image) > 2 and edge_gaps(say_image) == 0
    assert ImageChops.difference(say_image.resize((50, 20)), dont_image.resize((50, 20))).getbbox()
    page.close()


def edge_gaps(image) -> int:
    """White runs down the darkest column near the left edge: the gaps of a dashed rule."""
    grey = image.convert("L")
    width, height = grey.size
    column = min(
        range(min(12, width)), key=lambda x: sum(grey.getpixel((x, y)) for y in range(height))
    )
    values = [grey.getpixel((column, y)) > 200 for y in range(2, height - 2)]
    return sum(1 for a, b in zip(values, values[1:], strict=False) if b and not a)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        parts = [float(x) for x in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        linear = [
            (c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
            for c in parts
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_no_page_scrolls_sideways_on_a_phone(visits: dict[str, dict[str, Visit]]) -> None:
    assert len(visits["phone"]) > 60
    assert [path for path, visit in visits["phone"].items() if visit.wide] == []


def test_the_home_page_shows_six_situations_on_a_phone(site_url: str, browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url)
    shown = page.evaluate(
        """() => [...document.querySelectorAll("article a[href*='situations/']")]
            .filter(a => a.getBoundingClientRect().bottom <= window.innerHeight).length"""
    )
    assert shown >= 6
    assert not page.locator("figure.kb-stages").is_visible()  # the picture gives way to lists
    page.close()


def test_pages_load_only_the_assets_they_use(site_url: str, browser) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "situations/customer-is-yelling/")
    assert not any("story-form.js" in url or "cards.css" in url for url in requested)
    requested.clear()
    page.goto(site_url + "cards/irate-caller-flow/")
    assert any(url.endswith("cards.css") for url in requested)
    requested.clear()
    page.goto(site_url + "stories/share/")
    assert any(url.endswith("story-form.js") for url in requested)
    page.close()


def order_of(html: str, markers: list[str]) -> list[int]:
    return [html.index(marker) for marker in markers]


def test_pages_put_what_to_say_first(bundled_site: Path) -> None:
    """Situations: say now, don't say, then the steps, hand-over, signs and stories.
    Techniques: what to say, then how, then why, then sources and today's practice."""
    situation = (bundled_site / "situations/caller-is-abusive/index.html").read_text()
    steps = order_of(
        situation,
        [
            'id="say-now"',
            'class="kb-alert"',
            'id="dont-say"',
            'id="steps"',
            'id="hand-over"',
            'id="recognise"',
        ],
    )
    assert steps == sorted(steps)
    assert "Also called" not in situation  # aliases are for search
    technique = (bundled_site / "techniques/dont-argue/index.html").read_text()
    sections = order_of(
        technique,
        [
            'id="what-to-say"',
            'id="how-to-do-it"',
            'id="why-it-works"',
            'id="sources"',
            "admonition warning",
        ],
    )
    assert sections == sorted(sections)


def test_the_share_form_works_when_reached_by_instant_navigation(site_url: str, browser) -> None:
    """Its script is linked from its own page only, so it must run when Material swaps the page
    in without a reload."""
    page = browser.new_page()
    page.goto(site_url)
    page.click("a.md-tabs__link:has-text('Stories')")
    page.wait_for_url("**/stories/")
    page.click("nav a:has-text('Share your story')")
    page.wait_for_url("**/stories/share/")
    page.fill("#kb-share-body", "The customer shouted. Call him back on 415 555 2671.")
    page.wait_for_function(
        "() => document.getElementById('kb-share-checks').textContent.includes('personal data')"
    )
    assert page.evaluate("document.getElementById('kb-share').dataset.kbReady") == "1"
    page.close()
