"""Checkers from the npm registry (axe-core, the Nu HTML Checker), installed once per machine."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tools import require

PACKAGES = {"axe-core": "4.14.1", "vnu-jar": "26.9.27"}
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kbgen-tests" / "node"


def node_package(name: str) -> Path:
    """The folder of an npm package, installing the pinned versions on first use."""
    folder = CACHE / "node_modules" / name
    if not folder.exists():
        npm = require("npm")  # installs axe-core and the Nu HTML Checker
        CACHE.mkdir(parents=True, exist_ok=True)
        specs = [f"{package}@{version}" for package, version in PACKAGES.items()]
        subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(CACHE),
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
