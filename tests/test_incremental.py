"""`mkdocs serve --dirty`: a save rebuilds exactly the pages that show the edited entry, and
the preview then serves what a full build of the edited handbook would."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from conftest import TODAY_EPOCH, mkdocs_build
from test_serve import fetch, wait_for
from tools import free_port

from kbgen.build import build
from kbgen.site.project import load_project

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build

STAY_CALM = "snippets/techniques/stay-calm.md"
BUILT = "Documentation built in"
Preview = tuple[str, "Path", "Path"]  # base URL, the folder it builds into, its log
Shows = tuple[str, str]  # page address, text


def generated_pages(project: Path) -> dict[str, str]:
    """kbgen's generated Markdown pages of the project as it is now, by docs path."""
    return build(load_project(project / "mkdocs.yml").settings).pages


def without_per_build_lines(html: str) -> str:
    """A page's HTML without what differs between `serve` and `build` by design: the canonical
    address (serve sets site_url to its own) and the live-reload script it injects; runs of
    white space count as one."""
    html = re.sub(r'<link rel="canonical"[^>]*>', "", html)
    html = re.sub(r"<script>[^<]*livereload[^<]*</script>", "", html)
    return " ".join(html.split())


def page_times(site: Path) -> dict[str, int]:
    """When each page of the served site was last written, by page address."""
    return {
        path.parent.relative_to(site).as_posix(): path.stat().st_mtime_ns
        for path in site.rglob("index.html")
    }


@pytest.fixture
def preview(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`mkdocs serve --dirty` on the project: (base URL, the folder it builds into, its log)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)  # the server's "today" is the tests'
    log = tmp_path / "serve.log"
    temp = tmp_path / "temp"  # `mkdocs serve` builds into a folder it makes here
    temp.mkdir()
    port = free_port()
    with log.open("w") as stream:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=stream, stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(temp)},
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base + "techniques/stay-calm/", "Keep your voice low.", timeout=60)
        (site,) = temp.glob("mkdocs_*")
        yield base, site, log
    finally:
        server.terminate()
        server.wait(timeout=10)


def save_and_wait(project: Path, preview: Preview, file: str, text: str, shows: Shows) -> None:
    """Save `text` as an entry file and wait until the preview has built it and `shows` (page
    address, text) is served."""
    base, _, log = preview
    builds = log.read_text().count(BUILT)
    (project / file).write_text(text)
    wait_for(base + shows[0], shows[1])
    deadline = time.monotonic() + 30
    while log.read_text().count(BUILT) <= builds and time.monotonic() < deadline:
        time.sleep(0.1)


def replaced(project: Path, file: str, old: str, new: str) -> str:
    text = (project / file).read_text()
    assert old in text
    return text.replace(old, new)


def assert_preview_equals_a_full_build(project: Path, base: str, pages: dict[str, str]) -> None:
    """Every generated page, and the search index, as `mkdocs build` makes them now."""
    served = {page: fetch(base + _address(page)) for page in pages}
    index = json.loads(fetch(base + "search/search_index.json"))
    shutil.rmtree(project / "full", ignore_errors=True)
    full = mkdocs_build(project, project / "full")
    assert full.returncode == 0, full.stderr
    for page, html in served.items():
        expected = (project / "full" / _address(page) / "index.html").read_text()
        assert without_per_build_lines(html) == without_per_build_lines(expected), page
    # search still finds every page, not only the rebuilt ones
    full_index = json.loads((project / "full" / "search" / "search_index.json").read_text())
    assert index["docs"] and sorted(index["docs"], key=str) == sorted(full_index["docs"], key=str)


def test_a_save_rebuilds_exactly_the_pages_that_show_the_entry(
    project: Path, preview: Preview
) -> None:
    base, site, _ = preview
    before = generated_pages(project)
    written = page_times(site)
    edited = replaced(project, STAY_CALM, "Keep your voice low.", "Lower your voice.")
    shows = ("techniques/stay-calm/", "Lower your voice.")
    save_and_wait(project, preview, STAY_CALM, edited, shows)
    rewritten = page_times(site)
    after = generated_pages(project)

    changed = {_address(page) for page in after if before.get(page) != after[page]}
    rebuilt = {
        page + "/" if page != "." else ""
        for page in rewritten
        if rewritten[page] != written.get(page)
    }
    assert "techniques/stay-calm/" in changed
    assert len(changed) < len(after) / 2  # the test means something: most pages stay
    assert rebuilt == changed
    assert_preview_equals_a_full_build(project, base, after)


def test_the_preview_follows_edits_to_what_a_page_shows_from_other_entries(
    project: Path, preview: Preview
) -> None:
    """Pages kept from the last build are rebuilt when an entry they show changes: a source
    (named by phrases on technique and situation pages), or a new entry that names them."""
    base, _, _ = preview
    source = "snippets/sources/test-article.md"
    renamed = replaced(project, source, "A test article", "A tested article")
    save_and_wait(project, preview, source, renamed, ("sources/", "A tested article"))
    assert_preview_equals_a_full_build(project, base, generated_pages(project))

    # a new technique naming stay-calm as related: stay-calm's page now links to it
    vent = (project / "snippets/techniques/let-them-vent.md").read_text()
    new = vent.replace("title: Let them vent", "title: Thank them").replace(
        "related: []", "related: [stay-calm]"
    )
    thank = "snippets/techniques/thank-them.md"
    save_and_wait(project, preview, thank, new, ("techniques/stay-calm/", "thank-them"))
    assert_preview_equals_a_full_build(project, base, generated_pages(project))


def _address(page: str) -> str:
    """The served address of a generated Markdown page (directory URLs)."""
    stem = page.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"
