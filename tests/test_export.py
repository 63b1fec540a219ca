"""`kbgen export DIR` writes the same pages as plain Markdown, buildable without the plugin,
and never writes over a file it did not create."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from conftest import cli, copy_of_the_repository, kbgen, mkdocs_build
from factory import write

if TYPE_CHECKING:
    from pathlib import Path

PLAIN_MKDOCS_YML = """\
site_name: Exported handbook
docs_dir: exported
theme:
  name: material
  font: false
extra_css: [assets/kbgen/kbgen.css, assets/kbgen/cards.css]
extra_javascript: [assets/kbgen/kbgen.js, assets/kbgen/story-form.js]
markdown_extensions: [admonition, attr_list, md_in_html, tables, toc]
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


def test_export_builds_with_plain_mkdocs_and_no_plugin(project: Path) -> None:
    result = kbgen(project, "export", "exported")
    assert result.returncode == 0, result.stderr
    assert (project / "exported/techniques/stay-calm.md").exists()
    assert (project / "exported/phrases/index.md").exists()
    write(project / "mkdocs.yml", PLAIN_MKDOCS_YML)
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert (
        'data-clipboard-text="I understand, let’s sort this out."'
        in (project / "site/techniques/stay-calm/index.html").read_text()
    )


@pytest.mark.slow
def test_the_bundled_handbook_exports_whole_and_builds_strict_with_plain_material(
    tmp_path: Path,
) -> None:
    project = tmp_path / "handbook"
    copy_of_the_repository(project)
    result = kbgen(project, "export", "exported")
    assert result.returncode == 0, result.stderr
    exported = project / "exported"
    assert (exported / "guide/how-to-use.md").exists()  # hand-written pages
    assert (exported / "cards/irate-caller-flow.pdf").read_bytes().startswith(b"%PDF")
    assert "kbgen:" not in (exported / "guide/first-week.md").read_text()  # directives expanded
    write(project / "mkdocs.yml", PLAIN_MKDOCS_YML)
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr


@pytest.mark.parametrize("folder", ["docs", "docs/sub", "snippets/techniques", "."])
def test_export_refuses_the_docs_and_snippets_folders(project: Path, folder: str) -> None:
    before = sorted(p for p in project.rglob("*"))
    result = cli(project, "export", folder)
    assert result.returncode == 2
    assert "which kbgen never writes into" in result.stderr
    assert sorted(p for p in project.rglob("*")) == before


def test_export_follows_no_symbolic_link(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "stay-calm.md", "not kbgen's\n")
    (project / "out").mkdir()
    (project / "out/techniques").symlink_to(elsewhere)
    result = cli(project, "export", "out")
    assert result.returncode == 1
    assert "symbolic link" in result.stderr
    assert (elsewhere / "stay-calm.md").read_text() == "not kbgen's\n"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["stay-calm.md"]

    (project / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = cli(project, "export", "linked")
    assert result.returncode == 2 and "is a symbolic link" in result.stderr


def test_export_never_overwrites_a_file_it_did_not_create(project: Path) -> None:
    mine = write(project / "out/index.md", "# My own home page\n")
    result = cli(project, "export", "out")
    assert result.returncode == 1
    assert "out/index.md" in result.stderr
    assert mine.read_text() == "# My own home page\n"
    assert not (project / "out/techniques").exists()  # all or nothing


def test_export_again_replaces_its_own_files_and_removes_stale_ones(project: Path) -> None:
    assert kbgen(project, "export", "out").returncode == 0
    (project / "snippets/situations/customer-is-yelling.md").unlink()
    result = kbgen(project, "export", "out")
    assert result.returncode == 0, result.stderr
    assert "removed 1 stale" in result.stdout
    assert not (project / "out/situations/customer-is-yelling.md").exists()
    assert (project / "out/techniques/stay-calm.md").exists()
