"""A trainer adds one technique file: its page, phrasebook rows and links appear, and no other
file on disk changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conftest import mkdocs_build
from factory import technique_text, write

if TYPE_CHECKING:
    from pathlib import Path


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_new_technique_gets_page_phrases_and_links(project: Path) -> None:
    new = write(
        project / "snippets/techniques/use-their-name.md",
        technique_text(
            "Use their name",
            summary="Say the customer's name once or twice; it shows you are listening.",
            say="Thanks, Maria, I have that noted.",
            related="stay-calm",
            aliases="name, personal touch",
        ),
    )
    source_trees = {name: tree(project / name) for name in ("snippets", "docs")}
    config = (project / "mkdocs.yml").read_bytes()

    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr

    site = project / "site"
    page = (site / "techniques/use-their-name/index.html").read_text()
    assert "Say the customer’s name once or twice" in page  # apostrophes are typeset
    assert 'data-clipboard-text="Thanks, Maria, I have that noted."' in page
    phrasebook = (site / "phrases/index.html").read_text()
    assert 'data-clipboard-text="Thanks, Maria, I have that noted."' in phrasebook
    assert 'href="../techniques/use-their-name/"' in phrasebook
    # related works both ways: stay-calm now links back to the new technique
    assert 'href="../use-their-name/"' in (site / "techniques/stay-calm/index.html").read_text()
    assert 'href="techniques/use-their-name/"' in (site / "index.html").read_text()

    assert {name: tree(project / name) for name in ("snippets", "docs")} == source_trees
    assert (project / "mkdocs.yml").read_bytes() == config
    assert new.exists()


def test_generated_pages_are_virtual(project: Path) -> None:
    before = tree(project / "docs")
    assert mkdocs_build(project).returncode == 0
    assert tree(project / "docs") == before
    assert not (project / "docs/techniques").exists()
