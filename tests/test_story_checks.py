"""What a story may publish: the checks read each field as a reader would see it, through every
disguise of the fixture table, in time linear in the text."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from conftest import copy_of_the_repository, mkdocs_build
from factory import write
from story_fixtures import CATEGORIES, leaks, rows, table_counts, visible_text

from kbgen.stories.ledger import Decision, content_hash, record
from kbgen.stories.moderation import check_story

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

MAX_FALSE_POSITIVES = 2


def verdict(row) -> bool:
    return any(f.blocking for f in check_story(row.story()))


def test_every_disguise_is_caught_and_genuine_stories_pass(
    capsys: pytest.CaptureFixture[str],
) -> None:
    verdicts = {row.id: verdict(row) for row in rows()}
    counts = table_counts(verdicts)
    with capsys.disabled():
        print("\nstory fixture table: category, tried, caught, false positives")
        for category in CATEGORIES:
            c = counts[category]
            print(f"  {category:14} {c['tried']:4} {c['caught']:4} {c['false positive']:4}")
    missed = [r.id for r in rows() if r.attack and not verdicts[r.id]]
    refused = [r.id for r in rows() if not r.attack and verdicts[r.id]]
    assert sum(counts[c]["tried"] for c in CATEGORIES if c != "genuine") >= 80
    assert counts["genuine"]["tried"] >= 40
    assert missed == []
    assert len(refused) <= MAX_FALSE_POSITIVES, refused


def test_no_payload_of_the_table_reaches_the_built_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every row approved by a trainer: only the checks stand between a story and the site.
    Every built page and the search index are then searched for every row's secrets."""
    project = tmp_path / "handbook"
    copy_of_the_repository(project)
    folder = project / "snippets/stories"
    shutil.rmtree(folder)
    for row in rows():
        raw = row.file.encode()
        write(folder / f"{row.id}.md", row.file)
        record(folder, row.id, Decision("approved", content_hash(raw), "2026-11-26"))
    built = mkdocs_build(project, strict=False)
    assert built.returncode == 0, built.stderr
    site = project / "site"
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    pages.append((site / "search/search_index.json").read_text(encoding="utf-8"))
    markup = "\n".join(pages)
    text = visible_text(markup)
    reached = {row.id: leaks(row, text, markup) for row in rows() if row.attack}
    published = {row.id for row in rows() if (site / "stories" / row.id / "index.html").exists()}
    counts = table_counts({row.id: row.id not in published for row in rows()})
    with capsys.disabled():
        print("\nbuilt site: category, tried, held back, false positives, reached the site")
        for category in CATEGORIES:
            c = counts[category]
            hits = sum(1 for r in rows() if r.category == category and reached.get(r.id))
            print(
                f"  {category:14} {c['tried']:4} {c['caught']:4} {c['false positive']:4} {hits:4}"
            )
    assert {k: v for k, v in reached.items() if v} == {}
    refused = [r.id for r in rows() if not r.attack and r.id not in published]
    assert len(refused) <= MAX_FALSE_POSITIVES, refused
