"""Small derived tables kept in the user's cache folder (~/.cache/kbgen) between builds.

Each file is named after everything its content derives from (a "stamp": versions, sizes and
dates of the source files), so a change to any of them means a new file. A missing or
unreadable file only means computing the table again; one that cannot be written is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen import __version__

if TYPE_CHECKING:
    from collections.abc import Iterable


def cache_folder(name: str) -> Path:
    """The folder for one kind of cached table (not made until something is written)."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "kbgen" / name


def cache_file(name: str, stamp: Iterable[str]) -> Path:
    """The cache file for `name` derived from `stamp` (kbgen's version always counts)."""
    text = "\n".join([__version__, *stamp])
    digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    return cache_folder(name) / f"{name}-{digest}.json"


def file_stamp(path: Path) -> str:
    """A file's name, size and modification time (raises OSError when it is missing)."""
    info = path.stat()
    return f"{path.name}:{info.st_size}:{info.st_mtime_ns}"


def read_json(path: Path) -> object | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: object) -> bool:
    """Write `data` whole or not at all (another build may be reading the file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as stream:
            json.dump(data, stream, ensure_ascii=False)  # in order: a table may be shown as is
        os.replace(stream.name, path)
    except OSError:
        return False
    return True
