"""What every subcommand shares: loading the handbook and reading the project's settings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.loading.loader import load_handbook
from kbgen.loading.problems import HandbookError

if TYPE_CHECKING:
    import argparse

    from kbgen.model.handbook import Handbook


def load(args: argparse.Namespace, cards: bool = True) -> Handbook | None:
    """The checked handbook (cards' fit included), or None after printing every problem."""
    try:
        handbook = load_handbook(Path(args.snippets))
        problems = []
        if cards and handbook.cards:
            from kbgen.cards.deck import deck_problems  # WeasyPrint is slow to import

            problems = deck_problems(handbook)
        if problems:
            raise HandbookError(problems)
    except HandbookError as exc:
        print(exc, file=sys.stderr)
        return None
    return handbook


def plugin_options(config_file: str) -> dict[str, object]:
    """The kbgen plugin's options from mkdocs.yml (empty when there is no such file)."""
    path = Path(config_file)
    if not path.is_file():
        return {}
    from mkdocs.utils.yaml import yaml_load  # understands mkdocs.yml's !ENV tags

    with path.open(encoding="utf-8") as stream:
        config = yaml_load(stream) or {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "kbgen" in plugin:
            return dict(plugin["kbgen"] or {})
    return {}


class Progress:
    """'checking stories: 3000/12000' on stderr, for long runs only (a few updates, no noise)."""

    def __init__(self, label: str, total: int, minimum: int = 500) -> None:
        self.label, self.total = label, total
        self.enabled = total >= minimum
        self.step = max(1, total // 10)

    def __call__(self, done: int) -> None:
        if self.enabled and (done % self.step == 0 or done == self.total):
            print(f"  {self.label}: {done}/{self.total}", file=sys.stderr, flush=True)
