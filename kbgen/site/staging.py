"""Builds go into a staging folder; the site folder changes only when the whole build succeeded.

MkDocs writes pages into the site folder as it goes, so a build that fails half-way (an
error, a warning under `--strict`, Ctrl-C, a full disk) would publish half a handbook. kbgen
points MkDocs at a staging folder beside the target instead and, once MkDocs has written
everything without a warning that `--strict` counts, swaps it in:

- the staging folder sits beside the target (same file system), so the swap is two renames;
- where the target's parent cannot be written but the target can (a web server's folder),
  the staging folder is a temporary one and its files are moved into the target at the end;
- files and folders starting with '.' in the target are kept, as MkDocs keeps them;
- a staging folder left by a killed build carries a marker and is removed by the next build.
"""

from __future__ import annotations

import atexit
import errno
import os
import shutil
import signal
import tempfile
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

MARKER = ".kbgen-staging"
"""A file inside every staging folder: only folders holding it are ever removed by kbgen."""

_UNWRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


class TargetNotWritable(Exception):
    """The site folder cannot be written; nothing was changed."""


@dataclass
class StagedSite:
    target: Path
    staging: Path
    beside: bool  # True: staging sits beside the target and is swapped in by renames

    @classmethod
    def prepare(cls, target: Path, dirty: bool = False) -> StagedSite:
        """A fresh staging folder for a build of `target` (a copy of it for `--dirty`).
        Raises TargetNotWritable, before anything is written, when the build could not be
        published there."""
        target = target.absolute()
        check_writable(target)
        _remove_leftovers(target)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.kbgen-", dir=target.parent))
            beside = True
        except OSError as exc:
            if exc.errno not in _UNWRITABLE and exc.errno != errno.ENOENT:
                raise
            # the parent is not ours to write (a web server's folder): stage elsewhere
            staging, beside = Path(tempfile.mkdtemp(prefix="kbgen-site-")), False
        (staging / MARKER).write_text("kbgen build in progress; safe to delete\n")
        site = cls(target, staging, beside)
        atexit.register(site.discard)
        if dirty and target.is_dir():
            shutil.copytree(target, staging, dirs_exist_ok=True, symlinks=True)
        return site

    def publish(self) -> None:
        """Make the staged build the site, at once; signals wait until it is done (the marker
        goes inside that, so a staging folder without one is always published whole)."""
        with _signals_held():
            (self.staging / MARKER).unlink(missing_ok=True)
            if self.beside:
                self._swap()
            else:
                self._move_into_target()
        atexit.unregister(self.discard)

    def discard(self) -> None:
        """Forget the staged build; the site folder was never touched."""
        if self.staging.exists() and (self.staging / MARKER).exists():
            shutil.rmtree(self.staging, ignore_errors=True)

    def _swap(self) -> None:
        if not self.target.exists():
            self.target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.staging, self.target)
            return
        parent = self.target.parent
        old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.kbgen-old-", dir=parent))
        (old / MARKER).write_text("previous site, being replaced; safe to delete\n")
        try:
            os.rename(self.target, old / "site")
        except OSError as exc:
            shutil.rmtree(old, ignore_errors=True)
            if exc.errno not in {errno.EBUSY, errno.EXDEV, *_UNWRITABLE}:
                raise
            self._move_into_target()  # a mount point, or a folder that cannot be renamed
            return
        for hidden in _hidden_entries(old / "site"):
            os.rename(hidden, self.staging / hidden.name)  # MkDocs keeps them: so do we
        os.rename(self.staging, self.target)
        shutil.rmtree(old, ignore_errors=True)

    def _move_into_target(self) -> None:
        """Replace the target's content with the staging folder's, keeping hidden entries."""
        self.target.mkdir(parents=True, exist_ok=True)
        for entry in self.target.iterdir():
            if not entry.name.startswith("."):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
        for entry in self.staging.iterdir():
            if not (entry.name.startswith(".") and (self.target / entry.name).exists()):
                shutil.move(str(entry), self.target / entry.name)
        shutil.rmtree(self.staging, ignore_errors=True)


def check_writable(target: Path) -> None:
    """Raise TargetNotWritable unless a build could be published to `target`: an existing
    folder must take new files; a new one, its nearest existing parent."""
    target = target.absolute()
    if target.exists() and not target.is_dir():
        raise TargetNotWritable(f"{target} is a file, not a folder")
    folder = target if target.exists() else _existing_parent(target)
    refusal = _write_refusal(folder)
    if refusal is not None:
        raise TargetNotWritable(f"cannot write to {folder}: {refusal}")


def _write_refusal(folder: Path) -> str | None:
    """Why no file can be created in `folder`, or None (access() says yes to root even on a
    read-only file system, so this really tries)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def _existing_parent(target: Path) -> Path:
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def _hidden_entries(folder: Path) -> list[Path]:
    return [e for e in folder.iterdir() if e.name.startswith(".") and e.name != MARKER]


def _remove_leftovers(target: Path) -> None:
    """Staging folders of builds that were killed: only those with kbgen's marker."""
    parent = target.parent
    if not parent.is_dir():
        return
    with suppress(OSError):
        for entry in parent.glob(f".{target.name}.kbgen-*"):
            if entry.is_dir() and (entry / MARKER).is_file():
                shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C during the swap is delivered after it: the site is old or new, never half.

    The signals are caught and replayed rather than blocked: a blocked signal still reaches
    the build's other threads (a thread pool, a file watcher), which would then interrupt
    the swap in the main thread anyway."""
    pending: list[int] = []
    previous = {}
    try:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            previous[number] = signal.signal(number, lambda n, _frame: pending.append(n))
    except ValueError:  # not the main thread: Python delivers signals to it alone
        pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in pending:
            signal.raise_signal(number)
