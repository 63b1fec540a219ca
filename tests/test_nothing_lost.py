"""No kbgen command or build ever changes or deletes a file under snippets/ or docs/ (only
`kbgen stories approve/reject` rewrite one status line, tested in test_stories)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conftest import cli, copy_of_the_repository, mkdocs_build
from factory import write

if TYPE_CHECKING:
    from pathlib import Path


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(project)): path.read_bytes()
        for folder in ("snippets", "docs")
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


def test_commands_and_builds_leave_entries_and_pages_alone(tmp_path: Path) -> None:
    project = tmp_path / "handbook"
    copy_of_the_repository(project, "print")
    before = snapshot(project)

    assert mkdocs_build(project).returncode == 0
    offline = mkdocs_build(project, tmp_path / "offline", env={"KBGEN_OFFLINE": "true"})
    assert offline.returncode == 0, offline.stderr
    for command in (
        ["check"],
        ["stats"],
        ["stories"],
        ["cards", "--quiet"],
        ["export", str(tmp_path / "exported")],
    ):
        result = cli(project, *command)
        assert result.returncode == 0, (command, result.stderr)
    assert cli(project, "export", "docs").returncode == 2  # refused, nothing written
    assert snapshot(project) == before

    # failed builds and checks: a broken entry, a clash, an unknown embedded entry
    broken = write(project / "snippets/techniques/zz-broken.md", "---\ntitle: [unclosed\n---\n")
    clash = write(project / "docs/techniques/stay-calm.md", "# Mine\n")
    embed = write(project / "docs/guide/zz-embed.md", "<!-- kbgen:summary technique/nope -->\n")
    after_writes = snapshot(project)
    assert mkdocs_build(project).returncode == 1
    assert cli(project, "check").returncode == 1
    assert cli(project, "cards").returncode == 1
    broken.unlink()
    assert mkdocs_build(project).returncode == 1  # the clash
    clash.unlink()
    assert mkdocs_build(project).returncode == 1  # the unknown embedded entry
    embed.unlink()
    after_writes = {
        k: v for k, v in after_writes.items() if "zz-" not in k and "docs/techniques" not in k
    }
    assert snapshot(project) == after_writes == before
