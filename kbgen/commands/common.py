"""What every subcommand shares: the project's settings and the one pipeline's result."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kbgen.build import build
from kbgen.problems import format_report
from kbgen.site.project import ProjectError, load_project

if TYPE_CHECKING:
    import argparse

    from kbgen.build import BuildResult, Stage
    from kbgen.site.project import Project


def open_project(args: argparse.Namespace) -> Project | None:
    """The project mkdocs.yml describes, or None after saying why it cannot be read."""
    try:
        return load_project(args.config)
    except ProjectError as exc:
        print(f"kbgen: {exc}", file=sys.stderr)
        return None


def run_build(args: argparse.Namespace, stage: Stage = "all") -> BuildResult | None:
    """The pipeline's result for the project; None (after printing every error) when the
    handbook has errors. Warnings are printed and do not stop a command."""
    project = open_project(args)
    if project is None:
        return None
    result = build(project.settings, stage)
    if result.errors:
        print(format_report([*result.errors, *result.warnings]), file=sys.stderr)
        return None
    if result.warnings:
        print(format_report(result.warnings), file=sys.stderr)
    return result


class Progress:
    """'checking stories: 3000/12000' on stderr, for long runs only (a few updates, no noise)."""

    def __init__(self, label: str, total: int, minimum: int = 500) -> None:
        self.label, self.total = label, total
        self.enabled = total >= minimum
        self.step = max(1, total // 10)

    def __call__(self, done: int) -> None:
        if self.enabled and (done % self.step == 0 or done == self.total):
            print(f"  {self.label}: {done}/{self.total}", file=sys.stderr, flush=True)
