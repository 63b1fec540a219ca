"""The loader and renderers on their own, without MkDocs."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import markdown
import pytest
from factory import technique_text, write, write_handbook

from kbgen.loading.frontmatter import EntrySyntaxError, parse_entry
from kbgen.loading.loader import load_handbook
from kbgen.render import urls
from kbgen.render.pages import render_pages
from kbgen.templating import typeset

if TYPE_CHECKING:
    from pathlib import Path


def test_front_matter_keeps_the_line_of_every_value() -> None:
    parsed = parse_entry(b"---\ntitle: A\nsay:\n  - text: hi\n  - text: bye\n---\nBody\n")
    assert parsed.line_of(("title",)) == 2
    assert parsed.line_of(("say", 1, "text")) == 5
    assert parsed.line_of(("say", 1, "missing")) == 5
    assert parsed.body == "Body" and parsed.body_line == 7


@pytest.mark.parametrize(
    ("raw", "message", "line"),
    [
        (b"", "does not start with front matter", 1),
        (b"---\ntitle: A\n", "never closed", 1),
        (b"---\na: &x [1]\nb: *x\n---\n", "anchors and aliases", 2),
        (b"---\ntitle: caf\xe9\n---\n", "not valid UTF-8", 2),
        (b"\x00\x01binary", "binary", None),
        (b"---\n- a\n- b\n---\n", "not a list of 'field: value' lines", 2),
        (b"---\ntitle: !!python/object:os.system x\n---\n", "not valid YAML", 2),
    ],
)
def test_unreadable_files_fail_with_a_reason(raw: bytes, message: str, line: int | None) -> None:
    with pytest.raises(EntrySyntaxError) as caught:
        parse_entry(raw)
    assert message in caught.value.message
    assert caught.value.line == line
    assert caught.value.fix


def test_windows_line_endings_and_bom_are_fine() -> None:
    parsed = parse_entry("\ufeff---\r\ntitle: A\r\n---\r\nBody\r\n".encode())
    assert parsed.data == {"title": "A"} and parsed.body == "Body"


def test_phrases_are_literal_text_and_copy_exactly(tmp_path: Path) -> None:
    root = write_handbook(tmp_path)
    tricky = "Sorry *really* <b>sorry</b> & [truly] \\o/ it's_fine"
    write(
        root / "snippets/techniques/stay-calm.md",
        technique_text("Stay calm", say=tricky.replace("\\", "\\\\")),
    )
    page = render_pages(load_handbook(root / "snippets", root))["techniques/stay-calm.md"]
    rendered = markdown.markdown(page.split("---\n", 2)[2], extensions=["attr_list", "md_in_html"])
    copied = re.search(r'data-clipboard-text="([^"]*)"', rendered)
    shown = typeset(tricky)  # "it’s": one kind of apostrophe everywhere
    assert copied and html.unescape(copied.group(1)) == shown
    assert "<b>" not in rendered and "<em>really</em>" not in rendered
    visible = rendered.split('<span class="kb-phrase">', 1)[1].split("</span>", 1)[0]
    assert html.unescape(visible) == shown


def test_related_links_work_both_ways(tmp_path: Path) -> None:
    handbook = load_handbook(write_handbook(tmp_path) / "snippets", tmp_path)
    vent, calm = handbook.techniques["let-them-vent"], handbook.techniques["stay-calm"]
    assert handbook.related_to(vent) == [calm]
    assert handbook.related_to(calm) == [vent]


@pytest.mark.parametrize(
    ("here", "there", "expected"),
    [
        ("index.md", "techniques/x.md", "techniques/x/"),
        ("techniques/x.md", "index.md", "../../"),
        ("techniques/x.md", "techniques/y.md", "../y/"),
        ("phrases/index.md", "techniques/x.md", "../techniques/x/"),
    ],
)
def test_final_urls_for_raw_html_are_relative(here: str, there: str, expected: str) -> None:
    assert urls.relative_site_url(here, there) == expected
