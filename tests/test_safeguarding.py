"""A situation where the caller may be at risk shows the centre's own safeguarding procedure
and phone (plugin options), and without them the words alone, never an empty link."""

from __future__ import annotations

from html import unescape
from typing import TYPE_CHECKING

from conftest import mkdocs_build
from factory import replace_in, write

if TYPE_CHECKING:
    from pathlib import Path

AT_RISK = """\
---
title: Caller talks about harming themselves
summary: They mention self-harm. Take it seriously, stay on the line, bring in your manager.
safety: true
safeguarding: true
recognise:
  - They say they want to hurt themselves.
steps:
  - technique: let-them-vent
handover: Bring in your manager now and follow your centre's procedure.
reviewed: 2026-11-01
owner: test trainer
---
"""

URL = "https://intranet.example/policies/callers-at-risk?team=a&v=2"
PHONE = "+44 20 7946 0000 ext 4321"
FALLBACK = "Follow your centre’s procedure for callers at risk and bring in your manager now."


def page(site: Path, situation: str) -> str:
    return unescape((site / "situations" / situation / "index.html").read_text(encoding="utf-8"))


def test_safeguarding_link_and_phone_or_the_fallback_sentence(project: Path) -> None:
    write(project / "snippets/situations/caller-talks-about-harming-themselves.md", AT_RISK)

    unset = mkdocs_build(project, project / "plain")
    assert unset.returncode == 0, unset.stderr
    plain = page(project / "plain", "caller-talks-about-harming-themselves")
    assert FALLBACK in plain
    assert "kb-safeguarding-link" not in plain and "tel:" not in plain

    replace_in(
        project,
        "mkdocs.yml",
        "  - kbgen\n",
        f'  - kbgen:\n      safeguarding_url: "{URL}"\n      safeguarding_phone: "{PHONE}"\n',
    )
    result = mkdocs_build(project, project / "set")
    assert result.returncode == 0, result.stderr
    shown = page(project / "set", "caller-talks-about-harming-themselves")
    first_screen = shown.split('id="steps"', 1)[0]  # on the first screen, before the steps
    assert f'href="{URL}"' in first_screen
    assert "your centre’s procedure for callers at risk</a>" in first_screen
    assert 'href="tel:+442079460000;ext=4321"' in first_screen
    assert f">{PHONE}</a>" in first_screen
    assert FALLBACK not in shown
    # only situations marked `safeguarding: true` carry it
    other = page(project / "set", "customer-is-yelling")
    assert URL not in other and PHONE not in other and FALLBACK not in other
