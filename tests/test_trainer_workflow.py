"""Trainers keep the handbook alive: scaffolding, review dates, what's new, coverage, embedded
entries in hand-written pages, and builds that are identical when the input is."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

import pytest
from conftest import REPO, cli, kbgen, mkdocs_build, run
from factory import write

from kbgen.loading.loader import PLACEHOLDER

if TYPE_CHECKING:
    from pathlib import Path

FILLED = {
    # what a trainer writes in place of each placeholder, by field
    "summary": '"Say their name once they give it; it shows you are listening."',
    "stages": "[solving]",
    "aliases": "[name, personal touch]",
    "text": '"Thanks, I have that noted."',
    "note": '"It sounds scripted."',
    "source": "test-article",
    "paraphrase": '"The article recommends it."',
    "owner": "test trainer",
    "recognise": None,
    "technique": "stay-calm",
    "handover": '"If they insult you, bring in your manager."',
    "heading": '"Remember"',
    "steps": "[stay-calm]",
    "techniques": "[let-them-vent]",
    "outcome": '"Resolved on the call."',
    "lesson": '"Let them finish first."',
}


def fill_placeholders(text: str) -> str:
    """Replace each placeholder the way a trainer would: the field's real value."""
    lines = []
    for line in text.splitlines():
        if PLACEHOLDER in line and not line.lstrip().startswith("#"):
            match = re.match(r"^(\s*(?:- )?)([a-z_]+):\s", line)
            if match and FILLED.get(match.group(2)):
                line = f"{match.group(1)}{match.group(2)}: {FILLED[match.group(2)]}"
            elif line.lstrip().startswith("- "):  # a list item that is a value
                indent = line[: len(line) - len(line.lstrip())]
                line = f'{indent}- "They repeat the same complaint louder."'
            else:  # body text
                line = line.replace(f"{PLACEHOLDER}: ", "")
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("kind", ["technique", "situation", "card", "story"])
@pytest.mark.build  # kbgen check's trial build
def test_new_entry_loads_once_its_placeholders_are_filled(project: Path, kind: str) -> None:
    result = cli(project, "new", kind, "Use the customer's name")
    assert result.returncode == 0, result.stderr
    folder = {
        "technique": "techniques",
        "situation": "situations",
        "card": "cards",
        "story": "stories",
    }
    path = project / "snippets" / folder[kind] / "use-the-customers-name.md"
    assert path.exists()

    check = cli(project, "check")
    # a story is left out (a note) rather than stopping the build; other entries fail the check
    assert check.returncode == (0 if kind == "story" else 1)
    assert "a placeholder is still here" in check.stderr
    assert re.search(
        rf"{re.escape(str(path.relative_to(project)))}:\d+: (story left out: )?a placeholder",
        check.stderr,
    )

    path.write_text(fill_placeholders(path.read_text()))
    filled = cli(project, "check")
    assert filled.returncode == 0, filled.stderr + path.read_text()

    before = path.read_bytes()
    again = cli(project, "new", kind, "Use the customer's name")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_bytes() == before


def main_content(html: str) -> str:
    """The page's own text, without the navigation around it."""
    return html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]


def set_reviewed(project: Path, entry: str, date: str, owner: str = "Priya") -> None:
    path = project / "snippets" / entry
    text = path.read_text()
    text = re.sub(r"^reviewed: .*$", f"reviewed: {date}", text, flags=re.M)
    text = re.sub(r"^owner: .*$", f"owner: {owner}", text, flags=re.M)
    path.write_text(text)


def test_an_entry_past_review_is_flagged_and_listed_by_owner(project: Path) -> None:
    set_reviewed(project, "techniques/stay-calm.md", "2025-01-10", owner="Priya")
    set_reviewed(project, "techniques/let-them-vent.md", "2026-11-20", owner="Sam")

    flagged = (
        "snippets/techniques/stay-calm.md:15: warning: technique 'stay-calm' is past its review "
        "date: reviewed 2025-01-10 by Priya, 139 days overdue (reviews last 180 days)"
    )
    check = kbgen(project, "check")
    assert check.returncode == 1  # what fails a strict build fails the check
    assert flagged in check.stderr
    assert "let-them-vent" not in check.stderr

    strict = mkdocs_build(project)
    assert strict.returncode == 1
    assert flagged in strict.stderr

    relaxed = mkdocs_build(project, strict=False)
    assert relaxed.returncode == 0
    review = main_content((project / "site/trainers/needs-review/index.html").read_text())
    assert "Priya (1)" in review and "Stay calm" in review and "2025-01-10" in review
    assert "Let them vent" not in review and "Sam" not in review
    page = (project / "site/techniques/let-them-vent/index.html").read_text()
    assert "Reviewed on 2026-11-20 by Sam." in page


def test_whats_new_lists_changes_newest_first(project: Path) -> None:
    set_reviewed(project, "techniques/stay-calm.md", "2026-10-01")
    set_reviewed(project, "techniques/let-them-vent.md", "2026-11-20")
    assert mkdocs_build(project).returncode == 0
    page = main_content((project / "site/whats-new/index.html").read_text())
    assert page.index("Let them vent") < page.index("Stay calm")
    assert "20 November 2026" in page and "1 October 2026" in page


def test_building_twice_gives_byte_identical_output(tmp_path: Path) -> None:
    sites = []
    for name in ("one", "two"):
        site = tmp_path / name
        result = run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
            REPO,
            env={"PYTHONHASHSEED": "random"},
        )
        assert result.returncode == 0, result.stderr
        sites.append({p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    assert sites[0].keys() == sites[1].keys()
    differing = [str(path) for path in sites[0] if sites[0][path] != sites[1][path]]
    assert differing == []


def test_stats_reports_coverage(project: Path) -> None:
    result = cli(project, "stats")
    assert result.returncode == 0, result.stderr
    assert "2 techniques, 1 situations" in result.stdout
    assert "Techniques on no card: 2" in result.stdout
    assert "Stories per technique:" in result.stdout


GUIDE = """\
# Onboarding

Remember: <!-- kbgen:summary technique/stay-calm -->

<!-- kbgen:phrases technique/let-them-vent -->

Read <!-- kbgen:link situation/customer-is-yelling --> first.
"""


def test_hand_written_page_embeds_entries_and_follows_their_changes(project: Path) -> None:
    write(project / "docs/guide/onboarding.md", GUIDE)
    assert mkdocs_build(project).returncode == 0
    page = (project / "site/guide/onboarding/index.html").read_text()
    assert "Remember: Keep your voice low." in page
    assert 'data-clipboard-text="Go on, I’m listening."' in page
    assert 'href="../../situations/customer-is-yelling/"' in page

    path = project / "snippets/techniques/stay-calm.md"
    path.write_text(path.read_text().replace("Keep your voice low.", "Lower your voice."))
    assert mkdocs_build(project).returncode == 0
    assert (
        "Remember: Lower your voice." in (project / "site/guide/onboarding/index.html").read_text()
    )


def test_an_unknown_entry_in_a_hand_written_page_fails_naming_the_page(project: Path) -> None:
    assert mkdocs_build(project).returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    write(project / "docs/guide/onboarding.md", GUIDE.replace("stay-calm", "stay-cool"))
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "docs/guide/onboarding.md:3: unknown technique 'stay-cool'" in result.stderr
    assert {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == before


def test_checking_thousands_of_stories_shows_progress(project: Path) -> None:
    body = (
        "The customer was angry about a double charge on the bill and shouted at me. I let "
        "him finish, apologised and offered a refund, and he took it."
    )
    for number in range(600):
        write(
            project / f"snippets/stories/story-{number}.md",
            f"""\
---
title: "Story {number}"
author: anonymous
date: 2026-10-01
channel: phone
techniques: [let-them-vent]
outcome: Resolved.
lesson: Let them finish first.
---
{body}
""",
        )
    result = cli(project, "stories")
    assert result.returncode == 0, result.stderr
    assert "checking stories: 600/600" in result.stderr
    assert "submitted (600)" in result.stdout


def test_directives_shown_as_code_are_left_alone(project: Path) -> None:
    write(
        project / "docs/guide/syntax.md",
        "Write `<!-- kbgen:summary technique/nope -->`.\n\n```\n<!-- kbgen:card nope -->\n```\n",
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site/guide/syntax/index.html").read_text()
    assert "&lt;!-- kbgen:summary technique/nope --&gt;" in page
