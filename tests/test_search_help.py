"""What the search box offers when a query finds nothing stays short on a big handbook: every
page carries it, and an agent mid-call reads a few situations, not hundreds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.build import build
from kbgen.site.plugin import HELP_SITUATIONS, search_help
from kbgen.site.project import load_project

if TYPE_CHECKING:
    from pathlib import Path

YELLING = "snippets/situations/customer-is-yelling.md"


def test_the_help_offers_the_first_situations_then_all_of_them(project: Path) -> None:
    text = (project / YELLING).read_text()
    extra = HELP_SITUATIONS + 5
    for number in range(extra):
        copy = text.replace("title: Customer is yelling", f"title: Yelling case {number}")
        (project / f"snippets/situations/yelling-{number}.md").write_text(copy)
    handbook = build(load_project(project / "mkdocs.yml").settings).published
    total = len(handbook.ordered_situations())
    assert total == extra + 1

    help_ = search_help(handbook, use_directory_urls=True)

    titles = [item["title"] for item in help_["situations"]]
    first = [situation.title for situation in handbook.ordered_situations()[:HELP_SITUATIONS]]
    assert titles == [*first, f"All {total} situations"]
    assert help_["situations"][-1]["path"] == "situations/"
    assert help_["phrasebook"]["path"] == "phrases/"


def test_a_small_handbook_offers_every_situation(project: Path) -> None:
    handbook = build(load_project(project / "mkdocs.yml").settings).published
    help_ = search_help(handbook, use_directory_urls=True)
    assert [item["title"] for item in help_["situations"]] == ["Customer is yelling"]
