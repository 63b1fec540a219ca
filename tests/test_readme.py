"""The README stays true: two quick-start commands, CI runs the second, examples are valid."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from kbgen.loading.frontmatter import parse_entry
from kbgen.model.kinds import BY_FOLDER as KINDS

README = (REPO / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", section, re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    install_and_build, test = commands
    assert "pip install" in install_and_build and "mkdocs build" in install_and_build
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert test in ci


EXAMPLE = re.compile(r"### A \w+: `snippets/(\w+)/([\w-]+)\.md`\n\n```markdown\n(.*?)```", re.S)
EXAMPLES = EXAMPLE.findall(README)


def test_readme_shows_one_example_of_each_kind() -> None:
    assert sorted(folder for folder, _, _ in EXAMPLES) == sorted(KINDS)


@pytest.mark.parametrize(("folder", "entry_id", "text"), EXAMPLES)
def test_readme_examples_are_valid_entries(folder: str, entry_id: str, text: str) -> None:
    parsed = parse_entry(text.encode())
    entry = KINDS[folder].model.model_validate({**parsed.data, "id": entry_id, "body": parsed.body})
    assert entry.id == entry_id


def test_readme_renders_as_written() -> None:
    """Every section is a heading, not swallowed by an unclosed code fence."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(README)
    headings = [
        tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"
    ]
    assert len(headings) >= 5
    for section in ("Quick start", "Publishing", "Commands", "Entry format", "Tests and CI"):
        assert section in headings, f"'{section}' is not a heading: {headings}"
    for token in tokens:
        if token.type in {"fence", "code_block"}:
            assert "```" not in token.content, token.content[:200]
