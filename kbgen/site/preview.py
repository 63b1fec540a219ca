"""`mkdocs serve` with a content error: every page shows the problems instead of hanging.

MkDocs' preview server holds every page request while a rebuild that raised an error is
outstanding ("the server will appear stuck"), so kbgen does not raise while serving: it
builds a site whose every page is the list of problems (file, line, fix), and the next
save that fixes them rebuilds the real pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.problems import plural
from kbgen.templating import make_environment

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from kbgen.problems import Problem


def problem_page(problems: list[Problem]) -> str:
    """A self-contained HTML page listing the problems, errors first."""
    shown = sorted(problems, key=lambda p: (p.severity != "error", *p.sort_key()))
    shown = [p for p in shown if p.severity != "info"]
    errors = sum(1 for p in shown if p.severity == "error")
    return (
        make_environment()
        .get_template("problems.html.j2")
        .render(problems=shown, count=plural(errors, "problem"), errors=errors)
    )


def show_problems(site_dir: Path, pages: Iterable[str], html: str) -> None:
    """Write the problem page at every page address the preview had, and as its 404 page."""
    for relative in {*pages, "index.html", "404.html"}:
        path = site_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
