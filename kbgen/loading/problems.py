"""What went wrong in which entry file, worded for the trainer who has to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in one file. `file` is shown as given (usually relative to the project)."""

    file: str
    line: int | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


class HandbookError(Exception):
    """The snippets tree has problems; carries all of them, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__(format_report(self.problems))


def format_report(problems: list[Problem]) -> str:
    count = len(problems)
    files = len({p.file for p in problems})
    head = f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}:"
    return "\n".join([head, *(str(p) for p in problems)])
