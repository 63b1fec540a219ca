"""Checkers from the npm registry (axe-core, the Nu HTML Checker), installed once into the
suite's cache folder (conftest.py sets XDG_CACHE_HOME), by one worker at a time."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from filelock import FileLock
from tools import require

PACKAGES = {"axe-core": "4.14.1", "vnu-jar": "26.9.27"}


def node_package(name: str) -> Path:
    """The folder of an npm package, installing the pinned versions on first use."""
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "kbgen-tests" / "node"
    cache.mkdir(parents=True, exist_ok=True)
    folder = cache / "node_modules" / name
    with FileLock(cache / ".lock"):
        if folder.exists():
            return folder
        npm = require("npm")  # installs axe-core and the Nu HTML Checker
        specs = [f"{package}@{version}" for package, version in PACKAGES.items()]
        subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(cache),
                *specs,
            ],
            check=True,
            capture_output=True,
        )
    return folder


def axe_source() -> str:
    return (node_package("axe-core") / "axe.min.js").read_text(encoding="utf-8")


def vnu_jar() -> Path:
    return node_package("vnu-jar") / "build" / "dist" / "vnu.jar"
