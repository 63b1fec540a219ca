"""System programs the tests drive, with the package to install when one is missing, and a
free port for the servers they start."""

from __future__ import annotations

import shutil
import socket

import pytest

PACKAGES = {
    "pdftoppm": "poppler-utils",
    "pdffonts": "poppler-utils",
    "java": "default-jre-headless",
    "npm": "npm",
    "chromium": "chromium",
}


def require(program: str) -> str:
    """The path of `program`; fails (CI installs them all) naming the package when it is
    missing."""
    path = shutil.which(program)
    if path is None:
        pytest.fail(
            f"{program} is not installed: apt-get install {PACKAGES[program]} "
            "(Debian; .ci/run installs it)"
        )
    return path


def free_port() -> int:
    """A loopback port nothing listens on (for a server the test or benchmark starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
