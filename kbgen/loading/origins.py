"""Where each entry came from: its file, as shown in messages, and its parsed text for finding
lines. Kept beside the Handbook, not on the entries, so the model knows nothing of files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from kbgen.loading.frontmatter import ParsedEntry
    from kbgen.model.entries import Entry


@dataclass(frozen=True)
class Origin:
    file: str  # as shown in messages: relative to the project, like snippets/techniques/x.md
    path: Path
    parsed: ParsedEntry | None  # None when the file could not be parsed at all
    text: str = ""  # the file's text, as decoded

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        return self.parsed.line_of(loc) if self.parsed is not None else None


@dataclass
class Origins:
    """{(kind, id): origins}: more than one origin means a duplicate id."""

    by_entry: dict[tuple[str, str], list[Origin]] = field(default_factory=dict)
    broken: set[tuple[str, str]] = field(default_factory=set)

    def add(self, kind: str, entry_id: str, origin: Origin) -> None:
        self.by_entry.setdefault((kind, entry_id), []).append(origin)

    def mark_broken(self, kind: str, entry_id: str) -> None:
        """The file exists but could not be read as an entry (already reported)."""
        self.broken.add((kind, entry_id))

    def of(self, entry: Entry) -> Origin:
        return self.by_entry[entry.kind, entry.id][0]

    def file_of(self, entry: Entry) -> str:
        origins = self.by_entry.get((entry.kind, entry.id))
        return origins[0].file if origins else f"{entry.kind} '{entry.id}'"

    def ids_by_kind(self) -> dict[str, set[str]]:
        """Every id that has a file, valid or not: references to it are not 'unknown'."""
        known: dict[str, set[str]] = {}
        for kind, entry_id in self.by_entry:
            known.setdefault(kind, set()).add(entry_id)
        return known

    def duplicates(self) -> dict[tuple[str, str], list[str]]:
        return {
            key: [o.file for o in origins]
            for key, origins in self.by_entry.items()
            if len(origins) > 1
        }
