"""Folders that really refuse writes: a read-only or a full file system, as a web server's
folder can be. Root ignores file permissions, so as root these are tmpfs mounts."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here ({result.stderr.strip()}): needs root with CAP_SYS_ADMIN")


@contextlib.contextmanager
def small_disk(folder: Path, size_kb: int) -> Iterator[Path]:
    """`folder` as a file system of `size_kb` KB (root only)."""
    if os.geteuid() != 0:
        pytest.skip("a small file system needs root (mount -t tmpfs)")
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """Make `folder` (already holding files) refuse every write, then restore it."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")] if p.is_dir()}
        for path in modes:
            path.chmod(stat.S_IMODE(modes[path]) & ~0o222)
        parent_mode = folder.parent.stat().st_mode
        folder.parent.chmod(stat.S_IMODE(parent_mode) & ~0o222)
        try:
            yield folder
        finally:
            folder.parent.chmod(stat.S_IMODE(parent_mode))
            for path, mode in modes.items():
                path.chmod(stat.S_IMODE(mode))
        return
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,bind,ro", str(folder))
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
