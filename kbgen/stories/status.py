"""Approving or rejecting a story: one line of its file changes, nothing else."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_STATUS_LINE = re.compile(rb"^status[ \t]*:.*?(\r?\n|$)", re.MULTILINE)
_FENCE = re.compile(rb"^---[ \t]*(\r?\n|$)", re.MULTILINE)


def status_value(state: str, reason: str | None = None) -> str:
    """The YAML for a status: `approved`, or `{rejected: "why"}` on the same single line."""
    if state == "rejected":
        return "{rejected: " + json.dumps(reason or "no reason given", ensure_ascii=False) + "}"
    return state


def set_status(path: Path, value: str) -> None:
    """Rewrite the `status:` line of the story's front matter (or add one before its closing
    `---`), keeping every other byte of the file as it was."""
    raw = path.read_bytes()
    fences = list(_FENCE.finditer(raw))
    if len(fences) < 2:
        raise ValueError(f"{path}: no front matter to change")
    start, end = fences[0].end(), fences[1].start()
    line = f"status: {value}".encode()
    match = _STATUS_LINE.search(raw, start, end)
    if match:
        newline = match.group(1) or b"\n"
        updated = raw[: match.start()] + line + newline + raw[match.end() :]
    else:
        newline = fences[0].group(1) or b"\n"
        updated = raw[:end] + line + newline + raw[end:]
    path.write_bytes(updated)
