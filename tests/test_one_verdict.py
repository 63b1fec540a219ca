"""One verdict: `kbgen check` fails exactly when `mkdocs build --strict` fails, and lists every
problem of a handbook in one run, sorted by file and line."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from conftest import cli, kbgen, mkdocs_build
from factory import replace_in, write

if TYPE_CHECKING:
    from pathlib import Path


STAY_CALM = "snippets/techniques/stay-calm.md"

CARD = """\
---
title: Desk card
front:
  - heading: Stay calm
  - steps: [stay-calm, let-them-vent]
back:
  - say:
      - {technique: stay-calm, phrase: 1}
  - text: Breathe out slowly before you answer, keep your voice low and even, and let them finish.
size: a7
reviewed: 2025-11-01
owner: test trainer
---
"""

STORY = """\
---
title: The double charge
author: anonymous
date: 2025-10-01
channel: phone
techniques: [let-them-vent]
outcome: Resolved on the call.
lesson: Let them finish first.
---
The customer was angry about a double charge on the bill and shouted at me. I let him
finish, apologised and offered a refund, and he took it.{extra}
"""


def nothing(project: Path) -> None:
    pass


def broken_yaml(project: Path) -> None:
    replace_in(project, STAY_CALM, "title: Stay calm", 'title: "Stay calm')


def stale_entry(project: Path) -> None:
    replace_in(project, STAY_CALM, "reviewed: 2026-11-01", "reviewed: 2024-01-01")


def stale_entry_only_informed(project: Path) -> None:
    stale_entry(project)
    replace_in(project, "mkdocs.yml", "  - kbgen\n", "  - kbgen:\n      stale_entries: info\n")


def held_back_story(project: Path) -> None:
    write(
        project / "snippets/stories/leaky.md",
        STORY.format(extra=" Call him on 07700 900123."),
    )
    assert cli(project, "stories", "approve", "leaky", "--force").returncode == 0


def story_approved_with_force(project: Path) -> None:
    write(
        project / "snippets/stories/forced.md",
        STORY.format(extra=" Mail maria@example.com."),
    )
    result = kbgen(project, "stories", "approve", "forced", "--force")
    assert result.returncode == 0, result.stderr


def submitted_story(project: Path) -> None:
    write(project / "snippets/stories/waiting.md", STORY.format(extra=""))


def unknown_embedded_entry(project: Path) -> None:
    write(project / "docs/guide/tips.md", "# Tips\n\n<!-- kbgen:summary technique/stay-cool -->\n")


def hand_written_page_at_a_generated_address(project: Path) -> None:
    write(project / "docs/phrases/index.md", "# My phrases\n")


def card_phrase_number_too_high(project: Path) -> None:
    write(project / "snippets/cards/desk.md", CARD.replace("phrase: 1", "phrase: 4"))


def card_that_overflows(project: Path) -> None:
    steps = "[" + ", ".join(["stay-calm", "let-them-vent"] * 8) + "]"
    write(project / "snippets/cards/desk.md", CARD.replace("[stay-calm, let-them-vent]", steps))


def good_card(project: Path) -> None:
    write(project / "snippets/cards/desk.md", CARD)


def broken_link_in_a_hand_written_page(project: Path) -> None:
    write(project / "docs/guide/about.md", "# About\n\nSee [the rules](rules.md).\n")


def snippets_elsewhere(project: Path) -> None:
    """`snippets_dir` applies to the CLI too: entries moved to content/ still check."""
    (project / "snippets").rename(project / "content")
    replace_in(project, "mkdocs.yml", "  - kbgen\n", "  - kbgen:\n      snippets_dir: content\n")


def snippets_elsewhere_with_a_broken_entry(project: Path) -> None:
    snippets_elsewhere(project)
    replace_in(project, "content/techniques/stay-calm.md", "stages: [venting]", "stages: [lunch]")


CASES = [
    (nothing, True),
    (broken_yaml, False),
    (stale_entry, False),
    (stale_entry_only_informed, True),
    (held_back_story, False),
    (story_approved_with_force, False),
    (submitted_story, True),
    (unknown_embedded_entry, False),
    (hand_written_page_at_a_generated_address, False),
    (good_card, True),
    (card_phrase_number_too_high, False),
    (card_that_overflows, False),
    (broken_link_in_a_hand_written_page, False),
    (snippets_elsewhere, True),
    (snippets_elsewhere_with_a_broken_entry, False),
]


@pytest.mark.parametrize(("defect", "passes"), CASES, ids=[c[0].__name__ for c in CASES])
def test_check_and_the_strict_build_fail_or_pass_together(
    project: Path, defect, passes: bool
) -> None:
    defect(project)
    check = kbgen(project, "check")
    built = mkdocs_build(project)
    assert (check.returncode == 0) == passes, check.stderr
    assert (built.returncode == 0) == passes, built.stderr
    assert "Traceback" not in check.stderr + built.stderr


def several_defects(project: Path) -> None:
    # one file, two kinds of problem: a bad stage and an unknown source
    replace_in(project, STAY_CALM, "stages: [venting]", "stages: [lunch]")
    replace_in(
        project,
        STAY_CALM,
        "  - source: test-article\n    paraphrase",
        "  - source: test-artcle\n    paraphrase",
    )
    # a card naming an unknown technique and a phrase number too high, on the same card
    write(
        project / "snippets/cards/desk.md",
        CARD.replace("[stay-calm, let-them-vent]", "[stay-calm, let-them-vnet]").replace(
            "phrase: 1", "phrase: 3"
        ),
    )
    write(project / "snippets/techniques/broken.md", "---\ntitle: [unclosed\n---\n")
    replace_in(
        project,
        "snippets/techniques/let-them-vent.md",
        "reviewed: 2026-11-01",
        "reviewed: 2024-01-01",
    )
    held_back_story(project)
    unknown_embedded_entry(project)


def test_check_lists_every_defect_of_a_handbook_in_one_run(project: Path) -> None:
    several_defects(project)
    result = cli(project, "check")
    assert result.returncode == 1
    report = result.stderr
    expected = [
        "docs/guide/tips.md:3: unknown technique 'stay-cool'",
        "snippets/cards/desk.md:5: unknown technique 'let-them-vnet'",
        "snippets/cards/desk.md:8: technique 'stay-calm' has 1 'say' phrase, not 3",
        "snippets/stories/leaky.md:11: warning: story 'leaky' is approved but not published",
        "snippets/techniques/broken.md:2: the front matter is not valid YAML",
        "snippets/techniques/let-them-vent.md:15: warning: technique 'let-them-vent' is past",
        f"{STAY_CALM}:4: 'stages[1]': 'lunch' is not allowed",
        f"{STAY_CALM}:13: unknown source 'test-artcle'",
        "did you mean 'test-article'?",
        "did you mean 'let-them-vent'?",
    ]
    for line in expected:
        assert line in report, f"{line!r} missing from:\n{report}"
    located = re.findall(r"^(\S+?):(\d+): ", report, re.M)
    assert located == sorted(located, key=lambda fl: (fl[0], int(fl[1]))), "not sorted"
    assert "8 problems in 6 files" in report
