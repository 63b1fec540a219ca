"""The bundled handbook builds strictly, with every page an agent needs and no broken link."""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING

from conftest import REPO, mkdocs_build
from linkcheck import broken_links

from kbgen.templating import typeset

if TYPE_CHECKING:
    from pathlib import Path


def test_strict_build_has_no_warnings(tmp_path: Path, bundled_site: Path) -> None:
    # bundled_site already asserted success; this checks the log for warnings MkDocs tolerates.
    result = mkdocs_build(REPO, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


def test_every_technique_and_situation_has_a_page(handbook, bundled_site: Path) -> None:
    assert len(handbook.techniques) >= 10 and len(handbook.situations) >= 10
    for technique in handbook.techniques.values():
        html = (bundled_site / "techniques" / technique.id / "index.html").read_text()
        assert heading(html) == typeset(technique.title)
        assert typeset(technique.summary) in unescape(re.sub(r"<[^>]+>", "", html))
    for situation in handbook.situations.values():
        html = (bundled_site / "situations" / situation.id / "index.html").read_text()
        assert heading(html) == typeset(situation.title)


def heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "page has no h1"
    return unescape(re.sub(r"<a class=\"headerlink\".*?</a>|<[^>]+>", "", match.group(1))).strip()


def test_phrasebook_and_sources_pages_exist(handbook, bundled_site: Path) -> None:
    phrasebook = (bundled_site / "phrases" / "index.html").read_text()
    says = sum(1 for use in handbook.phrase_uses() if use.polarity == "say")
    assert phrasebook.count('class="kb-copy"') == says  # every phrase to say, ready to copy
    sources = (bundled_site / "sources" / "index.html").read_text()
    for source in handbook.sources.values():
        assert f'id="{source.id}"' in sources


def test_every_internal_link_and_anchor_resolves(bundled_site: Path) -> None:
    assert broken_links(bundled_site) == []


def test_hand_written_pages_sit_beside_generated_ones(bundled_site: Path) -> None:
    assert (bundled_site / "guide" / "how-to-use" / "index.html").exists()
    assert (bundled_site / "guide" / "contributing" / "index.html").exists()
