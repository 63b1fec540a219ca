"""A failed build publishes nothing: whatever stops it (a content error, a warning under
`--strict`, an exception, Ctrl-C, a read-only or full disk), the site folder a team serves
stays byte-for-byte as it was. A build that succeeds replaces it whole."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from conftest import TODAY_EPOCH, cli, copy_of_the_repository, mkdocs_build
from factory import write
from mounts import read_only, small_disk

from kbgen.site.staging import MARKER

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build


def digest(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (hidden ones too), with each file's hash."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
        for path in sorted(folder.rglob("*"))
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if ".kbgen-" in p.name)


@pytest.fixture
def published(project: Path, small_site: Path) -> Path:
    """The project with its site published to `public/` (a copy of the run's one build of
    it), plus a hidden file there."""
    site = project / "public"
    shutil.copytree(small_site, site)
    write(site / ".htaccess", "Options -Indexes\n")
    return site


def content_error(project: Path) -> None:
    write(project / "snippets/techniques/broken.md", "---\ntitle: [unclosed\n---\n")


def stale_entry(project: Path) -> None:
    path = project / "snippets/techniques/stay-calm.md"
    path.write_text(path.read_text().replace("reviewed: 2026-11-01", "reviewed: 2020-01-01"))


def held_back_story(project: Path) -> None:
    write(
        project / "snippets/stories/leaky.md",
        "---\ntitle: Leaky\nauthor: anonymous\ndate: 2025-10-01\nchannel: phone\n"
        "techniques: [stay-calm]\noutcome: Resolved.\nlesson: Stay calm.\n---\n"
        "The customer shouted about the bill and I stayed calm on the call. "
        "Call him back on 07700 900123.\n",
    )
    assert cli(project, "stories", "approve", "leaky", "--force").returncode == 0


def broken_link_in_a_page(project: Path) -> None:
    """A warning of MkDocs itself, raised while pages are written, after kbgen's checks."""
    write(project / "docs/guide/about.md", "# About\n\nSee [the missing page](missing.md).\n")


FAILURES = [content_error, stale_entry, held_back_story, broken_link_in_a_page]


@pytest.mark.parametrize("defect", FAILURES, ids=[f.__name__ for f in FAILURES])
def test_a_failed_strict_build_leaves_the_site_folder_as_it_was(
    project: Path, published: Path, defect
) -> None:
    before = digest(published)
    defect(project)
    result = mkdocs_build(project, published)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert digest(published) == before
    assert leftovers(published) == []


def build_in_process(project: Path, site: Path) -> None:
    """`mkdocs build --strict -d site` in this process, so a test can break a step of it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import kbgen.build

    kbgen.build._memo.clear()
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True))


# (what breaks, where, what MkDocs raises): a bug after every page is written, and one
# inside kbgen's own rendering (reported as a problem, so MkDocs aborts)
BUGS = [
    ("kbgen.site.plugin", "one_document_per_page", RuntimeError),
    ("kbgen.build", "render_pages", "Abort"),
]


@pytest.mark.parametrize(("module", "name", "raised"), BUGS, ids=[b[1] for b in BUGS])
def test_an_exception_inside_a_build_leaves_the_site_folder_as_it_was(
    project: Path, published: Path, monkeypatch: pytest.MonkeyPatch, module: str, name: str, raised
) -> None:
    import importlib

    from mkdocs.exceptions import Abort

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in a step of the build")

    monkeypatch.setattr(importlib.import_module(module), name, broken)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    before = digest(published)
    with pytest.raises(Abort if raised == "Abort" else raised):
        build_in_process(project, published)
    assert digest(published) == before
    assert leftovers(published) == []


@pytest.fixture(scope="module")
def bundled_before_and_after(
    bundled_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, Path]:
    """The bundled handbook (a build of seconds, so Ctrl-C can land inside it): the site
    published before an edit, and a reference build after the edit."""
    project = copy_of_the_repository(tmp_path_factory.mktemp("ctrl-c") / "handbook")
    before = project.parent / "before"
    shutil.copytree(bundled_site, before)
    write(before / ".htaccess", "Options -Indexes\n")
    stay_calm = project / "snippets/techniques/stay-calm.md"
    stay_calm.write_text(stay_calm.read_text().replace("Stay calm", "Stay very calm", 1))
    after = project.parent / "after"
    assert mkdocs_build(project, after).returncode == 0
    write(after / ".htaccess", "Options -Indexes\n")
    return project, before, after


def unpublished(published: Path) -> bool:
    """A staging folder beside the site still holds its marker: the build has not begun to
    publish (kbgen removes the marker only once signals are held for the swap)."""
    return any((published.parent / name / MARKER).exists() for name in leftovers(published))


def interrupted_build(project: Path, published: Path, when: str) -> subprocess.Popen[bytes]:
    """`mkdocs build --strict` into `published`, sent Ctrl-C at a moment made certain:
    "writing" stops the process while its staging folder is unpublished, so the signal lands
    inside the build however slow the machine; "publishing" sends it as soon as the marker
    is gone (during the swap or after it)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(published)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": TODAY_EPOCH},
    )
    deadline = time.monotonic() + 120
    while not unpublished(published):
        assert process.poll() is None, "the build ended before it staged anything"
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.005)
    if when == "writing":
        process.send_signal(signal.SIGSTOP)
        assert unpublished(published), "stopped too late: the build was already publishing"
        process.send_signal(signal.SIGINT)
        process.send_signal(signal.SIGCONT)
    else:
        while unpublished(published) and process.poll() is None:
            assert time.monotonic() < deadline, "the build never published"
            time.sleep(0.001)
        process.send_signal(signal.SIGINT)
    process.wait(timeout=120)
    return process


@pytest.mark.parametrize(("when", "expected"), [("writing", "old"), ("publishing", "new")])
def test_ctrl_c_leaves_the_old_site_or_all_of_the_new_one(
    bundled_before_and_after: tuple[Path, Path, Path], when: str, expected: str
) -> None:
    project, before, after = bundled_before_and_after
    published = project.parent / f"public-{when}"
    shutil.copytree(before, published)
    process = interrupted_build(project, published, when)
    state = digest(published)
    assert state == digest(before if expected == "old" else after), f"Ctrl-C while {when}"
    assert leftovers(published) == []
    if when == "writing":
        assert process.returncode != 0, "the build did not stop at Ctrl-C"


def test_a_read_only_site_folder_gets_a_clear_message_and_stays_as_it_was(
    project: Path, published: Path
) -> None:
    before = digest(published)
    with read_only(published):
        result = mkdocs_build(project, published)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"kbgen: cannot write to {published}" in result.stderr
    assert "nothing was built and the folder is unchanged" in result.stderr
    assert digest(published) == before


def test_a_full_disk_leaves_the_site_folder_as_it_was(project: Path, tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", size_kb=5000) as disk:
        site = disk / "handbook"
        assert mkdocs_build(project, site).returncode == 0  # 3.2 MB: a second copy won't fit
        before = digest(site)
        stay_calm = project / "snippets/techniques/stay-calm.md"
        stay_calm.write_text(stay_calm.read_text().replace("Keep your voice low.", "Slow down."))
        result = mkdocs_build(project, site)
        assert result.returncode != 0
        assert "No space left on device" in result.stderr
        assert "was not changed" in result.stderr
        assert digest(site) == before
        assert leftovers(site) == []


def test_a_successful_build_replaces_the_site_and_keeps_hidden_files(
    project: Path, published: Path
) -> None:
    write(published / "stale.html", "<p>from an older build</p>")
    stay_calm = project / "snippets/techniques/stay-calm.md"
    stay_calm.write_text(stay_calm.read_text().replace("Keep your voice low.", "Breathe out."))
    result = mkdocs_build(project, published)
    assert result.returncode == 0, result.stderr
    assert "Breathe out." in (published / "techniques/stay-calm/index.html").read_text()
    assert (published / ".htaccess").read_text() == "Options -Indexes\n"  # as MkDocs keeps it
    assert not (published / "stale.html").exists()  # as MkDocs' own clean-up removes it
    assert leftovers(published) == []


def test_a_site_folder_that_is_a_mount_point_is_updated_in_place(
    project: Path, tmp_path: Path
) -> None:
    """A web server's folder may be its own file system: it cannot be renamed, only filled."""
    with small_disk(tmp_path / "www", size_kb=20000) as site:
        assert mkdocs_build(project, site).returncode == 0
        stay_calm = project / "snippets/techniques/stay-calm.md"
        stay_calm.write_text(stay_calm.read_text().replace("Keep your voice low.", "Breathe."))
        result = mkdocs_build(project, site)
        assert result.returncode == 0, result.stderr
        assert "Breathe." in (site / "techniques/stay-calm/index.html").read_text()
        assert os.path.ismount(site)
