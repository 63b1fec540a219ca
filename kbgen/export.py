"""Writes generated pages into a folder as plain Markdown, never over a file kbgen did not create.

A manifest in the folder records what kbgen wrote (and each file's hash), so a later export
may replace or remove exactly those files and nothing else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

MANIFEST = ".kbgen-export.json"


@dataclass
class ExportResult:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


class ExportRefused(Exception):
    """The export would overwrite files kbgen did not create (or that were edited since)."""

    def __init__(self, out_dir: Path, paths: list[str]) -> None:
        self.paths = paths
        listing = "\n".join(f"  {out_dir / p}" for p in paths)
        super().__init__(
            f"kbgen export: not written, {len(paths)} file(s) in the way were not created by kbgen "
            f"or were edited since:\n{listing}\n"
            "  fix: export into an empty folder, or move those files away first"
        )


def export_pages(contents: dict[str, str | bytes], out_dir: Path) -> ExportResult:
    """Write `contents` ({relative path: text}) under `out_dir`. All-or-nothing on conflicts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out_dir)
    data = {path: _bytes(text) for path, text in contents.items()}
    blocked = [
        path
        for path in sorted(data)
        if (out_dir / path).exists() and _hash_file(out_dir / path) != previous.get(path)
    ]
    if blocked:
        raise ExportRefused(out_dir, blocked)
    result = ExportResult()
    for path, content in sorted(data.items()):
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        result.written.append(path)
    for path in sorted(set(previous) - set(data)):
        stale = out_dir / path
        if stale.exists() and _hash_file(stale) == previous[path]:
            stale.unlink()
            result.removed.append(path)
        elif stale.exists():
            result.kept.append(path)  # edited by someone since we wrote it: theirs now
    manifest = {path: hashlib.sha256(content).hexdigest() for path, content in data.items()}
    (out_dir / MANIFEST).write_text(json.dumps({"files": manifest}, indent=1, sort_keys=True))
    return result


def _bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text


def _hash_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_manifest(out_dir: Path) -> dict[str, str]:
    path = out_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        files = json.loads(path.read_text())["files"]
    except (ValueError, KeyError, TypeError):
        return {}
    return {str(k): str(v) for k, v in files.items()}
