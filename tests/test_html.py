"""Every page kind is valid HTML by the Nu HTML Checker, as far as kbgen's own markup goes."""

from __future__ import annotations

import json
import subprocess
from typing import TYPE_CHECKING

from node_tools import vnu_jar
from tools import require

if TYPE_CHECKING:
    from pathlib import Path

PAGES = [
    "index.html",
    "techniques/stay-calm/index.html",
    "situations/customer-is-yelling/index.html",
    "situations/index.html",
    "techniques/index.html",
    "phrases/index.html",
    "sources/index.html",
    "cards/index.html",
    "cards/irate-caller-flow/index.html",
    "stories/index.html",
    "stories/abusive-caller-warned-twice/index.html",
    "stories/share/index.html",
    "whats-new/index.html",
    "trainers/needs-review/index.html",
    "guide/first-week/index.html",
]

# Errors in Material for MkDocs' own templates (not in kbgen's markup), identical on every page:
THEME_MARKUP = (
    "Attribute “autocomplete” is only allowed when the input type is",  # base.html's toggles
    "Bad value “” for attribute “tabindex” on element “label”",  # nav-item.html
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden "
    "form control",  # toc.html's "Table of contents" label on pages without a toc toggle
)


def test_pages_pass_the_nu_html_checker(bundled_site: Path, tmp_path: Path) -> None:
    java = require("java")  # the Nu HTML Checker runs on Java
    canary = tmp_path / "canary.html"  # proves the checker really reads and reports
    canary.write_text('<!doctype html><html lang="en"><title>x</title><p id="a" id="a">x</p>')
    files = [str(bundled_site / page) for page in PAGES] + [str(canary)]
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert any(m["url"].endswith("canary.html") for m in messages)
    ours = [
        f"{m['url'].split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
        and not m["url"].endswith("canary.html")
        and not m["message"].startswith(THEME_MARKUP)
    ]
    assert ours == []
