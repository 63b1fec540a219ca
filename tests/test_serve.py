"""`mkdocs serve` picks up a changed or new entry within seconds, without a restart."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

import pytest
from factory import technique_text, write
from tools import free_port

pytestmark = pytest.mark.build

if TYPE_CHECKING:
    from pathlib import Path


def fetch(url: str, timeout: float = 30) -> str:
    """The page, or "" while the server cannot answer (starting, or busy rebuilding on a slow
    machine: `mkdocs serve` answers once its build is done)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, timeout: float = 30) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if text in fetch(url):
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear at {url} within {timeout} s")


@pytest.fixture
def served(project: Path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base + "techniques/stay-calm/", "Keep your voice low.", timeout=60)
        yield project, base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_reloads_an_edited_and_a_new_entry(served) -> None:
    project, base = served
    path = project / "snippets/techniques/stay-calm.md"
    path.write_text(
        path.read_text().replace("Keep your voice low.", "Lower your voice, slow down.")
    )
    wait_for(base + "techniques/stay-calm/", "Lower your voice, slow down.")

    write(project / "snippets/techniques/use-their-name.md", technique_text("Use their name"))
    wait_for(base + "techniques/use-their-name/", "Use their name")
    wait_for(base + "phrases/", "use-their-name")


def test_a_broken_entry_shows_its_problems_in_the_browser_and_the_preview_recovers(
    served,
) -> None:
    project, base = served
    path = project / "snippets/techniques/stay-calm.md"
    good = path.read_text()
    path.write_text(good.replace("stages: [venting]", "stages: [venting, lunch]"))
    problem = "stay-calm.md:4</span>: &#39;stages[2]&#39;: &#39;lunch&#39; is not allowed"
    start = time.monotonic()
    while True:  # every request is answered at once: the server never hangs on the error
        asked = time.monotonic()
        page = fetch(base + "techniques/stay-calm/", timeout=2)
        assert time.monotonic() - asked < 2, "the preview held a page request"
        if problem in page:
            break
        assert time.monotonic() - start < 30, page[:500]
        time.sleep(0.2)
    assert "The handbook has 1 problem" in page
    assert "<strong>Fix:</strong> use one of" in page
    assert "livereload" in page  # it reloads by itself once the file is saved again
    assert problem in fetch(base + "phrases/", timeout=2)  # every page says so

    path.write_text(good)
    wait_for(base + "techniques/stay-calm/", "Keep your voice low.")
    assert "The handbook has" not in fetch(base + "phrases/")
