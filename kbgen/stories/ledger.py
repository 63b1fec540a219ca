"""Which version of each story a trainer approved or rejected: `moderation.yml` beside them.

A story file never publishes itself: whatever its own text says, it is published only while
`moderation.yml` records an approval of exactly its current content (a SHA-256 of the file).
Editing an approved story sends it back to the queue. The ledger is written only by
`kbgen stories approve/reject`, through a round-trip YAML parser (ruamel.yaml), so comments and
other entries a trainer wrote by hand stay as they were; builds only read it (libyaml).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import yaml as pyyaml

from kbgen.fast_yaml import safe_load

if TYPE_CHECKING:
    from pathlib import Path

    from ruamel.yaml import YAML

LEDGER = "moderation.yml"

HEADER = (
    "Written by `kbgen stories approve` and `kbgen stories reject`: the version of each story a\n"
    "trainer approved or rejected (its file's SHA-256). A story is published only while its\n"
    "file is exactly the version approved here; an edited story goes back to the queue."
)


@dataclass(frozen=True)
class Decision:
    state: Literal["approved", "rejected"]
    sha256: str
    date: str
    reason: str | None = None
    accepted: tuple[str, ...] = ()  # keys of the findings the approval overrides


def content_hash(raw: bytes) -> str:
    """The SHA-256 of a story file, line endings read as the loader reads them (a checkout
    that writes CRLF does not unpublish every story)."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def _yaml() -> YAML:
    from ruamel.yaml import YAML  # only writing needs the round trip (and its import time)

    yaml = YAML()  # round trip: comments and order survive
    yaml.preserve_quotes = True
    yaml.width = 100
    return yaml


def read_ledger(folder: Path) -> dict[str, Decision]:
    """{story id: decision}; empty when there is no ledger. Entries that make no sense are
    skipped (they approve nothing)."""
    path = folder / LEDGER
    if not path.is_file():
        return {}
    try:
        data = safe_load(path.read_text(encoding="utf-8")) or {}
    except (pyyaml.YAMLError, UnicodeDecodeError, ValueError):  # ValueError: date: 2026-02-30
        return {}
    if not isinstance(data, dict):
        return {}
    decisions = {}
    for story_id, entry in dict(data).items():
        if not isinstance(entry, dict):
            continue
        state, digest = entry.get("state"), entry.get("sha256")
        if state in ("approved", "rejected") and isinstance(digest, str):
            reason = entry.get("reason")
            accepted = entry.get("accepted") or []
            decisions[str(story_id)] = Decision(
                state,
                digest,
                str(entry.get("date", "")),
                str(reason) if reason else None,
                tuple(str(a) for a in accepted) if isinstance(accepted, list) else (),
            )
    return decisions


def record(folder: Path, story_id: str, decision: Decision) -> None:
    """Write one decision into the ledger, leaving everything else in it as it was."""
    from ruamel.yaml.comments import CommentedMap

    path = folder / LEDGER
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    if data is None:
        data = CommentedMap()
        data.yaml_set_start_comment(HEADER)
    entry = CommentedMap(state=decision.state, sha256=decision.sha256, date=decision.date)
    if decision.reason:
        entry["reason"] = decision.reason
    if decision.accepted:
        entry["accepted"] = list(decision.accepted)
    data[story_id] = entry
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def today() -> str:
    from kbgen.freshness import reference_date

    return reference_date().isoformat()


def approved(decision: Decision | None, raw: bytes) -> bool:
    return (
        decision is not None
        and decision.state == "approved"
        and (decision.sha256 == content_hash(raw))
    )
