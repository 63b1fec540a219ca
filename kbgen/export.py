"""Writes generated pages into a folder as plain Markdown, never over a file kbgen did not create.

A manifest in the folder records what kbgen wrote (and each file's hash), so a later export
may replace or remove exactly those files and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kbgen.problems import plural

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

MANIFEST = ".kbgen-export.json"


@dataclass
class ExportResult:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


class ExportRefused(Exception):
    """The export would overwrite files kbgen did not create (or that were edited since), or
    write through a symbolic link."""

    def __init__(self, out_dir: Path, paths: list[str], why: str = "") -> None:
        self.paths = paths
        listing = "\n".join(f"  {out_dir / p}" for p in paths)
        reason = why or "were not created by kbgen or were edited since"
        super().__init__(
            f"kbgen: nothing written; {plural(len(paths), 'path')} in the way {reason}:\n"
            f"{listing}\n"
            "  fix: write into an empty folder, or move those files away first"
        )


def refuse_target(out_dir: Path, protected: Iterable[Path | None]) -> str | None:
    """Why kbgen may not write into `out_dir`, or None: never into the hand-written pages or
    the entries (or a folder holding them), never through a symbolic link."""
    for folder in (out_dir, *out_dir.parents):
        if folder.is_symlink():
            return f"{folder} is a symbolic link; name the real folder instead"
    target = out_dir.resolve()
    for folder in protected:
        if folder is None:
            continue
        mine = folder.resolve()
        if target.is_relative_to(mine) or mine.is_relative_to(target):
            where = "holds" if target != mine and mine.is_relative_to(target) else "is inside"
            if target == mine:
                where = "is"
            return (
                f"{out_dir} {where} {folder}, which kbgen never writes into; "
                "name a folder outside it"
            )
    return None


def export_pages(contents: dict[str, str | bytes], out_dir: Path) -> ExportResult:
    """Write `contents` ({relative path: text}) under `out_dir`. All-or-nothing on conflicts;
    nothing is written through a symbolic link."""
    if out_dir.is_symlink():
        raise ExportRefused(out_dir, ["."], "is a symbolic link")
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out_dir)
    data = {path: _bytes(text) for path, text in contents.items()}
    linked = sorted({p for p in data if _crosses_link(out_dir, p)} | _links_in(out_dir))
    if linked:
        raise ExportRefused(out_dir, linked, "are symbolic links")
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
        _write_no_follow(target, content)
        result.written.append(path)
    for path in sorted(set(previous) - set(data)):
        stale = out_dir / path
        if _crosses_link(out_dir, path):
            continue
        if stale.exists() and _hash_file(stale) == previous[path]:
            stale.unlink()
            result.removed.append(path)
        elif stale.exists():
            result.kept.append(path)  # edited by someone since we wrote it: theirs now
    manifest = {path: hashlib.sha256(content).hexdigest() for path, content in data.items()}
    listing = json.dumps({"files": manifest}, indent=1, sort_keys=True)
    _write_no_follow(out_dir / MANIFEST, listing.encode())
    return result


def _crosses_link(out_dir: Path, relative: str) -> bool:
    """Whether writing `relative` under `out_dir` would pass through a symbolic link."""
    current = out_dir
    for part in relative.split("/"):
        current = current / part
        if current.is_symlink():
            return True
        if not current.exists():
            return False
    return False


def _links_in(out_dir: Path) -> set[str]:
    """Symbolic links among the files a previous export wrote (they could be replaced)."""
    return {path for path in _read_manifest(out_dir) if (out_dir / path).is_symlink()}


def _write_no_follow(target: Path, content: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(target, flags, 0o644)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(content)


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
