"""One set of checks: the "Share your story" page's JavaScript finds what the Python checks
find, row by row over the fixture table, in real Chromium."""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING

from browser import serve_folder
from story_fixtures import rows

from kbgen.stories.checks import check_fields, rules_for_browser
from kbgen.stories.render import written_fields

if TYPE_CHECKING:
    from pathlib import Path

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>checks</title>
<script src="story-checks.js"></script></head><body>
<script type="application/json" id="rules">{rules}</script></body></html>"""

RUN = """(rows) => {
  const rules = JSON.parse(document.getElementById("rules").textContent);
  return rows.map(([id, fields]) => {
    const found = window.kbStoryChecks.checkFields(fields, rules)
      .filter(window.kbStoryChecks.blocking).map(f => f.category);
    return [id, [...new Set(found)].sort()];
  });
}"""


def test_the_share_form_and_the_build_agree_on_every_row(browser, tmp_path: Path) -> None:
    script = resources.files("kbgen") / "assets" / "story-checks.js"
    (tmp_path / "story-checks.js").write_text(script.read_text(encoding="utf-8"), "utf-8")
    rules = json.dumps(rules_for_browser(), ensure_ascii=False).replace("</", "<\\/")
    (tmp_path / "index.html").write_text(PAGE.format(rules=rules), "utf-8")
    table = [(row.id, written_fields(row.story())) for row in rows()]
    assert len(table) >= 100
    with serve_folder(tmp_path) as url:
        page = browser.new_page()
        page.goto(url)
        in_browser = dict(page.evaluate(RUN, [[i, f] for i, f in table]))
        page.close()
    disagree = []
    for story_id, fields in table:
        in_python = sorted({f.category for f in check_fields(fields) if f.blocking})
        if in_browser[story_id] != in_python:
            disagree.append(f"{story_id}: browser {in_browser[story_id]}, build {in_python}")
    assert disagree == []
