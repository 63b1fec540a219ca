"""What went wrong in which file, worded for the trainer who has to fix it.

Every stage of a build (loading, story checks, freshness, card fit, hand-written pages)
reports `Problem`s; the build, `kbgen check` and `mkdocs serve` all show the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

Severity = Literal["error", "warning", "info"]
"""error: nothing is built. warning: `mkdocs build --strict` and `kbgen check` fail.
info: shown, never fails anything."""


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in one file. `file` is shown as given (usually relative to the project)."""

    file: str
    line: int | None
    message: str
    fix: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = "" if self.severity == "error" else f"{self.severity}: "
        text = f"{where}: {label}{self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.message)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, by file and line: the order a trainer works through them."""
    return sorted(set(problems), key=Problem.sort_key)


class HandbookError(Exception):
    """The snippets tree has problems; carries all of them, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted_problems(problems)
        super().__init__(format_report(self.problems))


def shown_path(path: Path, root: Path) -> str:
    """A file as messages show it: relative to the project folder when it is inside it."""
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 entry', '2 entries': the number and the right form of the word."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def format_report(problems: list[Problem]) -> str:
    """'2 problems in 1 file:' and then each problem, sorted by file and line."""
    problems = sorted_problems(problems)
    files = len({p.file for p in problems})
    head = f"{plural(len(problems), 'problem')} in {plural(files, 'file')}:"
    return "\n".join([head, *(str(p) for p in problems)])
