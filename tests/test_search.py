"""Search an agent can trust mid-call: typed into Material's real search box in headless
Chromium, the right page is in the first three results, with its summary showing."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, run
from search_box import SearchBox

from kbgen.render.call_first import first_screen
from kbgen.templating import typeset


@pytest.fixture(scope="session")
def summaries(handbook) -> dict[str, str]:
    """{location: text} of every entry page's search result: its one-line summary and, for a
    situation, the first phrase to say."""
    found = {f"techniques/{t.id}/": typeset(t.summary) for t in handbook.techniques.values()}
    for situation in handbook.situations.values():
        say = typeset(first_screen(situation, handbook).say[0][0].text)
        found[f"situations/{situation.id}/"] = f"{typeset(situation.summary)} Say: “{say}”"
    return found


HIT_AT_3_REQUIRED = 0.90
LONG = 7  # words: a whole question rather than a query
TESTS = Path(__file__).parent
# The hand-written queries, and the real questions people asked in public kept for tuning.
# tests/search_sets/questions_heldout.txt is never run here: see benchmarks/relevance.py.
RELEVANCE_SETS = [TESTS / "search_queries.txt", TESTS / "search_sets" / "questions_dev.txt"]


def load_queries(path: Path = TESTS / "search_queries.txt") -> list[tuple[str, list[str]]]:
    """`query -> page page …  # note` lines as (query, ["page/", …])."""
    queries = []
    for line in path.read_text().splitlines():
        if "->" in line and not line.startswith("#"):
            query, pages = line.split("->", 1)
            queries.append((query.strip(), [f"{p}/" for p in pages.split("#", 1)[0].split()]))
    return queries


def is_long(query: str) -> bool:
    return len([w for w in query.split() if any(c.isalnum() for c in w)]) >= LONG


@dataclass
class Answer:
    query: str
    right: list[str]
    results: list  # search_box.Result, best first

    @property
    def rank(self) -> int | None:
        locations = [r.location for r in self.results]
        return next((i + 1 for i, loc in enumerate(locations) if loc in self.right), None)


@dataclass
class Searched:
    """Every query of every set, entered once into the real search box."""

    answers: dict[str, list[Answer]]  # by set file name
    marked: dict[str, bool]  # query: did the results say "No page on this yet"?


OUT_OF_SCOPE = TESTS / "search_sets" / "out_of_scope.txt"


def out_of_scope_queries() -> list[str]:
    lines = OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.strip() and line[0] != "#"]


@pytest.fixture(scope="module")
def searched(site_url: str, browser) -> Searched:
    page = browser.new_page()
    box = SearchBox(page, site_url)
    box.open(site_url)
    answers: dict[str, list[Answer]] = {}
    marked: dict[str, bool] = {}

    def enter(query: str) -> list:
        results = box.enter(query)
        marked[query] = bool(page.evaluate("() => Boolean(window.kbSemantic?.last?.weak)"))
        return results

    sets = [*RELEVANCE_SETS, *(TESTS / "search_sets" / name for name in HELD_OUT_GUARDS)]
    for path in sets:
        answers[path.name] = [Answer(q, right, enter(q)) for q, right in load_queries(path)]
    for query in out_of_scope_queries():
        enter(query)
    page.close()
    return Searched(answers, marked)


@pytest.fixture(scope="module")
def answers(searched: Searched) -> list[Answer]:
    """The relevance sets' answers (the held-out halves are only guarded, below)."""
    return [a for path in RELEVANCE_SETS for a in searched.answers[path.name]]


@pytest.mark.parametrize("length", ["long", "short"])
def test_relevance(answers: list[Answer], length: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Whole questions and short queries each have their own threshold."""
    chosen = [a for a in answers if is_long(a.query) == (length == "long")]
    assert len(chosen) >= 60
    ranks = [a.rank for a in chosen]
    hit1 = sum(r == 1 for r in ranks) / len(ranks)
    hit3 = sum(bool(r and r <= 3) for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    misses = [
        f"{a.query!r} (rank {a.rank}): {[r.location for r in a.results[:3]]}"
        for a in chosen
        if not a.rank or a.rank > 3
    ]
    with capsys.disabled():
        print(
            f"\nsearch relevance, {length}: {len(ranks)} queries, "
            f"hit@1 {hit1:.1%}, hit@3 {hit3:.1%}, MRR {mrr:.3f}"
        )
        for miss in misses:
            print(f"  miss: {miss}")
    assert hit3 >= HIT_AT_3_REQUIRED, "\n".join(misses)


def test_no_listing_ranks_above_the_right_entry(
    answers: list[Answer], summaries: dict[str, str]
) -> None:
    """A miss is the relevance test's to count; here, a listing must not push the right entry
    down."""
    wrong_order = []
    for answer in answers:
        locations = [r.location for r in answer.results]
        if not answer.rank or locations[answer.rank - 1] not in summaries:
            continue  # a miss, or the right page is itself a listing (the phrasebook)
        if any(loc not in summaries for loc in locations[: answer.rank - 1]):
            wrong_order.append(
                f"{answer.query!r}: a listing ranks above the right page: {locations}"
            )
    assert wrong_order == []


def test_results_show_the_entry_summary(answers: list[Answer], summaries: dict[str, str]) -> None:
    wrong_text = [
        f"{a.query!r}: {r.location} shows {r.text!r}"
        for a in answers
        for r in a.results[:3]
        if r.location in summaries and r.text.replace("\n", " ") != summaries[r.location]
    ]
    assert wrong_text == []


def test_pages_and_search_make_no_request_beyond_loopback(site_url: str, browser) -> None:
    page = browser.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    for path in [
        "",
        "techniques/stay-calm/",
        "situations/caller-is-abusive/",
        "phrases/",
        "sources/",
        "guide/how-to-use/",
        "techniques/",
    ]:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    box = SearchBox(page, site_url)
    box.open(site_url)
    assert box.search("customer yelling")
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("networkidle")
    assert hosts == {"127.0.0.1"}


@pytest.mark.parametrize(
    "path", ["techniques/empathize/", "situations/customer-is-yelling/", "phrases/"]
)
def test_copy_button_puts_exactly_the_phrase_on_the_clipboard(
    site_url: str, browser, path: str
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + path)
    phrases = page.locator(".kb-say .kb-phrase")
    buttons = page.locator(".kb-say button.kb-copy")
    assert phrases.count() == buttons.count() > 0
    assert page.locator(".kb-dont").count() > 0
    assert page.locator(".kb-dont button, .kb-dont [data-clipboard-text]").count() == 0
    for index in (0, buttons.count() - 1):
        shown = phrases.nth(index).inner_text()
        buttons.nth(index).click()
        page.wait_for_selector(".md-dialog--active")  # Material's "Copied to clipboard"
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == shown.strip("“”")
        assert copied == buttons.nth(index).get_attribute("data-clipboard-text")
    context.close()


def test_offline_build_searches_from_a_folder(
    tmp_path: Path, browser, summaries: dict[str, str]
) -> None:
    folder = tmp_path / "handbook"
    built = run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder)],
        REPO,
        env={"KBGEN_OFFLINE": "true"},
    )
    assert built.returncode == 0, built.stderr
    page = browser.new_page()
    schemes: set[str] = set()
    page.on("request", lambda request: schemes.add(urlsplit(request.url).scheme))
    box = SearchBox(page, folder.as_uri() + "/")
    box.open((folder / "index.html").as_uri())
    results = box.search("customer screaming")
    assert results[0].location == "situations/customer-is-yelling.html"
    assert results[0].text.replace("\n", " ") == summaries["situations/customer-is-yelling/"]
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state()
    assert re.search(r"situations/customer-is-yelling\.html", page.url)
    assert schemes == {"file"}


def test_a_situations_result_shows_what_to_say(
    site_url: str, browser, handbook, summaries: dict[str, str]
) -> None:
    """Typing a situation's title shows its first phrase to say in the result itself."""
    page = browser.new_page()
    box = SearchBox(page, site_url)
    box.open(site_url)
    assert len(handbook.ordered_situations()) >= 16
    for situation in handbook.ordered_situations():
        results = box.enter(situation.title.lower())
        location = f"situations/{situation.id}/"
        shown = {r.location: r.text.replace("\n", " ") for r in results[:3]}
        assert shown.get(location) == summaries[location], situation.title
        assert "Say: “" in shown[location]
    page.close()


# The halves kept aside (tests/search_sets/README.md), run here as a guard, never tuned against:
# each fails below the level measured when the semantic layer landed, less a margin (the
# issue's aim is hit@3 >= 95 % and hit@1 >= 80 %; benchmarks/relevance.py prints the figures).
HELD_OUT_GUARDS = {
    "questions_heldout.txt": 0.75,
    "agent_queries_heldout.txt": 0.65,
}


@pytest.mark.parametrize("name", sorted(HELD_OUT_GUARDS))
def test_held_out_questions_stay_found(
    searched: Searched, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ranks = [a.rank for a in searched.answers[name]]
    assert len(ranks) >= 60
    hit1 = sum(r == 1 for r in ranks) / len(ranks)
    hit3 = sum(bool(r and r <= 3) for r in ranks) / len(ranks)
    with capsys.disabled():
        print(f"\nheld out, {name}: {len(ranks)} queries, hit@1 {hit1:.1%}, hit@3 {hit3:.1%}")
    assert hit3 >= HELD_OUT_GUARDS[name]


OUT_OF_SCOPE_MARKED = 0.5  # measured 60 % (36 of 60) when the semantic layer landed
IN_SCOPE_MARKED = 0.1  # measured 4.3 % over every in-scope set


def test_questions_no_page_covers_are_marked(searched: Searched) -> None:
    """Out-of-scope questions (pay, leave, rotas, IT…) mostly say there is no page on them;
    queries with a page almost never do."""
    out = out_of_scope_queries()
    inside = [a.query for a in searched.answers["questions_dev.txt"]]
    assert len(out) >= 40
    assert len(inside) >= 40
    out_marked = sum(searched.marked[q] for q in out) / len(out)
    in_marked = sum(searched.marked[q] for q in inside) / len(inside)
    assert out_marked >= OUT_OF_SCOPE_MARKED, out_marked
    assert in_marked <= IN_SCOPE_MARKED, in_marked


KEY_BY_KEY = ["customer screaming", "how do i calm down a customer who is yelling at me", "vent"]


@pytest.mark.parametrize("query", KEY_BY_KEY)
def test_typing_key_by_key_ends_with_the_results_of_the_whole_query(
    site_url: str, browser, query: str
) -> None:
    """The relevance sets are entered whole (as a paste); an agent types key by key, and each
    key starts a search: the results left on screen are those of the whole query."""
    page = browser.new_page()
    box = SearchBox(page, site_url)
    box.open(site_url)
    typed = box.search(query)
    entered = box.enter(query)
    page.close()
    assert typed
    assert typed == entered
