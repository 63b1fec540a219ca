"""Inbox stories into story files under snippets/stories/, where they wait for review like any
story: never over an existing file, with a new id made from the title (as `kbgen new` makes
one), and without a status line (a trainer's approval lives in moderation.yml).

Each file names its receipt in a YAML comment, so a story whose "pulled" mark was lost (the
inbox could not be reached after the file was written) is never written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from kbgen.commands.new import slug
from kbgen.stories.ledger import read_ledger

if TYPE_CHECKING:
    from pathlib import Path

    from kbgen.inbox.store import InboxStory

RECEIPT_LINE = re.compile(r"^# inbox receipt: (KB-[0-9A-Z]{4}-[0-9A-Z]{4})\b", re.MULTILINE)
MAX_ID_CHARS = 60


@dataclass(frozen=True)
class Pulled:
    receipt: str
    story_id: str
    path: Path
    written: bool  # False: the file was there already (only the mark was missing)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar: any text, line breaks and odd characters escaped."""
    dumped = yaml.safe_dump(text, allow_unicode=True, default_style='"', width=2**31)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def story_text(story: InboxStory) -> str:
    fields = story.fields
    lines = [
        "---",
        f"# inbox receipt: {story.receipt}, received {story.received}",
        f"title: {quoted(fields['title'])}",
        f"author: {quoted(fields.get('author') or 'anonymous')}",
        f"date: {story.received}",
        f"channel: {fields['channel']}",
        f"situations: [{', '.join(fields.get('situations', []))}]",
        f"techniques: [{', '.join(fields['techniques'])}]",
        f"outcome: {quoted(fields['outcome'])}",
        f"lesson: {quoted(fields['lesson'])}",
        "---",
        fields["body"].strip("\n"),
        "",
    ]
    return "\n".join(lines)


def files_by_receipt(folder: Path) -> dict[str, Path]:
    """The story files already pulled, by the receipt they name."""
    found: dict[str, Path] = {}
    for path in folder.rglob("*.md") if folder.is_dir() else ():
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        except OSError:
            continue
        match = RECEIPT_LINE.search(head)
        if match:
            found[match.group(1)] = path
    return found


class StoryWriter:
    """Writes inbox stories into one stories folder, reading what is there once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pulled = files_by_receipt(folder)
        self.taken = {p.stem for p in folder.rglob("*.md")} if folder.is_dir() else set()
        self.taken |= set(read_ledger(folder))  # a rejected story's id stays its own

    def new_id(self, title: str, receipt: str) -> str:
        """An id no story file and no moderation record uses: the title's, numbered if
        taken (a title without letters or digits gets one from the receipt)."""
        base = slug(title)[: MAX_ID_CHARS - 4].strip("-")
        base = base or f"story-{receipt.lower().removeprefix('kb-')}"
        candidate, number = base, 2
        while candidate in self.taken:
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    def write(self, story: InboxStory) -> Pulled:
        """Write one inbox story as a new file; never replaces one."""
        existing = self.pulled.get(story.receipt)
        if existing is not None:
            return Pulled(story.receipt, existing.stem, existing, written=False)
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            story_id = self.new_id(story.fields["title"], story.receipt)
            self.taken.add(story_id)
            path = self.folder / f"{story_id}.md"
            try:
                with path.open("x", encoding="utf-8", newline="\n") as stream:  # never replace
                    stream.write(story_text(story))
            except FileExistsError:  # written a moment ago by someone else: the next number
                continue
            self.pulled[story.receipt] = path
            return Pulled(story.receipt, story_id, path, written=True)
