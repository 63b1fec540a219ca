"""The story fixture table (tests/stories/fixtures.yml): stories with personal data, spam and
markup in every field and every disguise, and genuine stories that must stay publishable."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from kbgen.loading.frontmatter import parse_entry
from kbgen.model.stories import Story

TABLE = Path(__file__).parent / "stories" / "fixtures.yml"
CATEGORIES = ("personal data", "spam", "markup", "genuine")


@dataclass(frozen=True)
class Row:
    id: str
    category: str
    disguise: str
    secrets: tuple[tuple[str, str], ...]  # (kind, value)
    file: str

    @property
    def attack(self) -> bool:
        return self.category != "genuine"

    def story(self) -> Story:
        parsed = parse_entry(self.file.encode())
        return Story.model_validate({**parsed.data, "id": self.id, "body": parsed.body})


@cache
def rows() -> tuple[Row, ...]:
    table = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    return tuple(
        Row(
            r["id"],
            r["category"],
            r["disguise"],
            tuple((s["kind"], s["value"]) for s in r["secrets"]),
            r["file"],
        )
        for r in table
    )


def visible_text(markup: str) -> str:
    """A page's text as a reader sees it, in the canonical form secrets are compared in."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return canonical(text)


def canonical(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in {"Cf", "Cc"} or c in "\n\t")
    return text.replace("\\", "").casefold()


def digit_runs(text: str) -> list[str]:
    return [
        "".join(c for c in run if c.isdigit()) for run in re.findall(r"\d[\d\s.\-–—/()]*", text)
    ]


def leaks(row: Row, page_text: str, page_markup: str) -> list[str]:
    """The row's secrets a page shows: in its text, or (markup rows) as live markup."""
    found = []
    runs = digit_runs(page_text) if any(k == "digits" for k, _ in row.secrets) else []
    for kind, value in row.secrets:
        if kind == "digits":
            shown = any(value in run for run in runs)
        elif row.category == "markup":  # live markup, not the words of escaped text
            shown = value.lower() in page_markup.lower()
        else:
            shown = canonical(value) in page_text
        if shown:
            found.append(value)
    return found


def table_counts(verdicts: dict[str, bool]) -> dict[str, Counter]:
    """{category: Counter(tried, caught, false positive)} from {row id: blocked?}."""
    counts: dict[str, Counter] = {c: Counter() for c in CATEGORIES}
    for row in rows():
        counts[row.category]["tried"] += 1
        if verdicts[row.id] and row.attack:
            counts[row.category]["caught"] += 1
        if verdicts[row.id] and not row.attack:
            counts[row.category]["false positive"] += 1
    return counts
