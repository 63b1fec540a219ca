"""The `kbgen` command as a trainer expects it: a version, help that says what each command
does, quiet pipes, right plurals, placeholders no sentence holds, safe file names."""

from __future__ import annotations

import contextlib
import io
import os
from typing import TYPE_CHECKING

import pytest
from conftest import cli
from factory import write

import kbgen
from kbgen.cli import COMMANDS, main
from kbgen.loading.loader import PLACEHOLDER

if TYPE_CHECKING:
    from pathlib import Path


def test_version(project: Path) -> None:
    result = cli(project, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kbgen {kbgen.__version__}"
    assert kbgen.__version__[0].isdigit()


@pytest.mark.parametrize(
    "command", [c.__name__.rsplit(".", 1)[1].replace("_", "-") for c in COMMANDS]
)
def test_every_command_says_what_it_does(project: Path, command: str) -> None:
    listing = cli(project, "--help").stdout
    line = next(line for line in listing.splitlines() if line.strip().startswith(command + " "))
    assert len(line.split(None, 1)[1]) > 15, line  # a one-line description in `kbgen --help`
    own = cli(project, command, "--help")
    assert own.returncode == 0
    description = own.stdout.split("\n\n")[1]
    assert description[0].isupper() and description.rstrip().endswith("."), description


def test_output_cut_short_by_a_pipe_ends_quietly(project: Path) -> None:
    """`kbgen stories | head -1`: head stops reading; kbgen says nothing and exits 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    saved = os.dup(1)
    stream = open(write_end, "w", buffering=1)  # noqa: SIM115 - closed below
    errors = io.StringIO()
    previous = os.getcwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(errors):
            code = main(["stories"])
    finally:
        os.chdir(previous)
        os.dup2(saved, 1)
        os.close(saved)
        with contextlib.suppress(OSError):
            stream.close()
    assert code == 0
    assert "BrokenPipe" not in errors.getvalue()


@pytest.mark.build  # kbgen check's trial build
def test_counts_read_as_english(project: Path) -> None:
    path = project / "snippets/techniques/stay-calm.md"
    path.write_text(path.read_text().replace("reviewed: 2026-11-01", "reviewed: 2025-05-28"))
    result = cli(project, "check")
    assert "1 problem in 1 file:" in result.stderr
    assert "1 day overdue (reviews last 180 days)" in result.stderr
    assert "0 errors and 1 warning;" in result.stderr
    assert "OK:" not in result.stdout


@pytest.mark.build  # kbgen check's trial build
def test_only_the_placeholder_token_is_a_placeholder(project: Path) -> None:
    story = """\
---
title: The TODO pad
author: anonymous
date: 2025-10-01
channel: phone
techniques: [let-them-vent]
outcome: Resolved on the call.
lesson: Write it on your TODO pad, not in the ticket.
status: submitted
---
The customer shouted about the bill. I let him finish, wrote it on my TODO pad, apologised
and sorted out the refund on the call.
"""
    write(project / "snippets/stories/todo-pad.md", story)
    assert cli(project, "check").returncode == 0
    write(project / "snippets/stories/todo-pad.md", story.replace("TODO pad", PLACEHOLDER, 1))
    result = cli(project, "check")
    assert "snippets/stories/todo-pad.md:2: story left out: a placeholder is still here" in (
        result.stderr
    )
    path = project / "snippets/techniques/stay-calm.md"
    path.write_text(path.read_text().replace("Keep your voice low.", f"{PLACEHOLDER}: summary"))
    result = cli(project, "check")
    assert result.returncode == 1
    assert "snippets/techniques/stay-calm.md:3: a placeholder is still here" in result.stderr


@pytest.mark.parametrize("bad_id", ["../../x", "Stay-Calm", "stay calm", "a/b", ""])
def test_new_accepts_only_a_valid_id(project: Path, bad_id: str) -> None:
    before = sorted(project.parent.rglob("*"))
    result = cli(project, "new", "technique", "Stay calm", "--id", bad_id)
    assert result.returncode == 2
    assert "nothing written" in result.stderr or "give --id" in result.stderr
    assert sorted(project.parent.rglob("*")) == before


def test_new_writes_the_title_as_typed(project: Path) -> None:
    result = cli(project, "new", "technique", "Use the customer's name")
    assert result.returncode == 0, result.stderr
    text = (project / "snippets/techniques/use-the-customers-name.md").read_text()
    assert 'title: "Use the customer\'s name"' in text
    assert "\\u0027" not in text


def test_new_follows_the_snippets_dir_of_mkdocs_yml(project: Path) -> None:
    (project / "snippets").rename(project / "content")
    yml = project / "mkdocs.yml"
    yml.write_text(
        yml.read_text().replace("  - kbgen\n", "  - kbgen:\n      snippets_dir: content\n")
    )
    assert cli(project, "new", "situation", "Line keeps dropping").returncode == 0
    assert (project / "content/situations/line-keeps-dropping.md").exists()
    assert not (project / "snippets").exists()


def test_an_entry_linked_from_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text((project / "snippets/techniques/stay-calm.md").read_text())
    (project / "snippets/techniques/borrowed.md").symlink_to(outside)
    result = cli(project, "check")
    assert result.returncode == 1
    assert "snippets/techniques/borrowed.md: the file is a link to" in result.stderr
    assert "outside the project; it is not published" in result.stderr


def test_a_missing_pdf_library_is_named_with_its_package(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kbgen.build

    def no_pango() -> None:
        raise kbgen.build.MissingTool(
            "card PDFs need the Pango library", "install it: apt-get install libpango-1.0-0"
        )

    write(
        project / "snippets/cards/desk.md",
        "---\ntitle: Desk\nfront:\n  - heading: Calm\nback:\n  - text: Breathe.\n"
        "reviewed: 2025-11-01\nowner: t\n---\n",
    )
    monkeypatch.setattr(kbgen.build, "card_deck", no_pango)
    kbgen.build._memo.clear()
    result = cli(project, "check")
    assert result.returncode == 1
    assert "card PDFs need the Pango library" in result.stderr
    assert "apt-get install libpango-1.0-0" in result.stderr
    assert "Traceback" not in result.stderr
