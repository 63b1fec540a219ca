"""Shared fixtures: a small handbook project in tmp_path, and the bundled handbook built once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import chromium, serve_folder
from factory import write_handbook

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
TODAY_EPOCH = "1764028800"
"""2025-11-25, as SOURCE_DATE_EPOCH: builds judge freshness on a fixed day, so a test does
not start failing when the entries' review dates age."""


def run(
    args: list[str], cwd: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command the way a trainer would, from the project folder."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONWARNINGS": "ignore",
        "SOURCE_DATE_EPOCH": TODAY_EPOCH,
        **(env or {}),
    }
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def mkdocs_build(
    project: Path, site: Path | None = None, strict: bool = True
) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site or project / "site")]
    return run([*args, "--strict"] if strict else args, project)


def kbgen(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "kbgen.cli", *args], project)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid little handbook project a test may change."""
    return write_handbook(tmp_path / "project")


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own handbook, built once with `mkdocs build --strict`."""
    copy = tmp_path_factory.mktemp("bundled") / "handbook"
    shutil.copytree(
        REPO, copy, ignore=shutil.ignore_patterns("site", ".git", "*.egg-info", "__pycache__")
    )
    result = mkdocs_build(copy)
    assert result.returncode == 0, result.stderr
    return copy / "site"


@pytest.fixture(scope="session")
def site_url(bundled_site: Path):
    """The bundled handbook served on loopback, as on an intranet web server."""
    with serve_folder(bundled_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    with chromium() as instance:
        yield instance
