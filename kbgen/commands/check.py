"""`kbgen check`: every problem a strict build would fail on, all at once, without publishing."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kbgen.build import build
from kbgen.commands.common import open_project
from kbgen.problems import format_report, plural
from kbgen.site.trial import trial_build

if TYPE_CHECKING:
    import argparse

DESCRIPTION = "Report every problem `mkdocs build --strict` would fail on, with file, line and fix."


def add_parser(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help=DESCRIPTION, description=DESCRIPTION)
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    if project is None:
        return 2
    result = build(project.settings)
    problems = list(result.problems)
    if not result.errors and project.config_file is not None:
        # what MkDocs itself warns about (a broken link in a hand-written page…)
        problems += trial_build(project.config_file, project.settings)
    failing = [p for p in problems if p.severity != "info"]
    for note in (p for p in problems if p.severity == "info"):
        where = f"{note.file}:{note.line}" if note.line else note.file
        print(f"note: {where}: {note.message}\n    fix: {note.fix}", file=sys.stderr)
    if failing:
        print(format_report(failing), file=sys.stderr)
        errors = sum(1 for p in failing if p.severity == "error")
        warnings = len(failing) - errors
        later = " (MkDocs' own checks of the site run once the errors are fixed)" if errors else ""
        print(
            f"FAILED: {plural(errors, 'error')} and {plural(warnings, 'warning')}; "
            f"`mkdocs build --strict` would fail on the same{later}",
            file=sys.stderr,
        )
        return 1
    handbook = result.handbook
    print(
        f"OK: {plural(len(handbook.techniques), 'technique')}, "
        f"{plural(len(handbook.situations), 'situation')}, "
        f"{plural(len(handbook.sources), 'source')}, "
        f"{plural(sum(1 for _ in handbook.phrase_uses()), 'phrase')}, "
        f"{plural(len(handbook.cards), 'card')}, "
        f"{plural(len(handbook.stories), 'story', 'stories')}"
    )
    return 0
