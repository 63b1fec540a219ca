"""A trainer's mistakes: every problem is reported with file, line and fix, all at once,
through `kbgen check` and `mkdocs build` alike, and a failed build leaves site/ untouched."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from conftest import cli, mkdocs_build
from factory import SITUATION, replace_in, technique_text, write

if TYPE_CHECKING:
    from pathlib import Path

STAY_CALM = "snippets/techniques/stay-calm.md"
YELLING = "snippets/situations/customer-is-yelling.md"


def bad_yaml(p: Path) -> None:
    replace_in(p, STAY_CALM, "summary: Keep your voice low.", "summary: Note: keep your voice low.")


def missing_summary(p: Path) -> None:
    replace_in(p, STAY_CALM, "summary: Keep your voice low.\n", "")


def misspelt_field(p: Path) -> None:
    replace_in(p, STAY_CALM, "summary:", "sumary:")


def wrong_type(p: Path) -> None:
    replace_in(p, STAY_CALM, "related: [let-them-vent]", "related: {let-them-vent: yes}")


def unknown_stage(p: Path) -> None:
    replace_in(p, STAY_CALM, "stages: [venting]", "stages: [venting, lunch]")


def unknown_related_technique(p: Path) -> None:
    replace_in(p, STAY_CALM, "related: [let-them-vent]", "related: [let-them-vnet]")


def unknown_source(p: Path) -> None:
    replace_in(
        p,
        STAY_CALM,
        "  - source: test-article\n    paraphrase",
        "  - source: no-such-article\n    paraphrase",
    )


def unknown_situation_step(p: Path) -> None:
    replace_in(p, YELLING, "  - technique: let-them-vent", "  - technique: listen-harder")


def duplicate_id(p: Path) -> None:
    write(p / "snippets/techniques/extra/stay-calm.md", technique_text("Stay calm again"))


def empty_summary(p: Path) -> None:
    replace_in(p, STAY_CALM, "summary: Keep your voice low.", 'summary: ""')


def summary_too_long(p: Path) -> None:
    replace_in(
        p, STAY_CALM, "summary: Keep your voice low.", "summary: " + "Keep calm and carry on. " * 6
    )


def no_front_matter(p: Path) -> None:
    write(p / STAY_CALM, "# Stay calm\n\nJust text.\n")


def duplicate_key(p: Path) -> None:
    replace_in(p, STAY_CALM, "stages: [venting]", "stages: [venting]\nstages: [solving]")


def misindented_key(p: Path) -> None:
    """A key indented one space too far, far below a valid title: the report points at it."""
    replace_in(p, STAY_CALM, "    paraphrase: The article", "     paraphrase: The article")


def unclosed_quote(p: Path) -> None:
    replace_in(p, STAY_CALM, "title: Stay calm", 'title: "Stay calm')


def several_defects(p: Path) -> None:
    misspelt_field(p)
    unknown_situation_step(p)
    write(p / "snippets/techniques/broken.md", "---\ntitle: [unclosed\n---\n")


CASES = [
    # (defect, expected fragments of the report: "file:line: message")
    (
        bad_yaml,
        [
            f"{STAY_CALM}:3: the front matter is not valid YAML: a value contains ': '",
            "fix: put the whole value in double quotes",
        ],
    ),
    (
        missing_summary,
        [f"{STAY_CALM}:1: 'summary': required field is missing", "fix: add 'summary:'"],
    ),
    (misspelt_field, [f"{STAY_CALM}:3: 'sumary': unknown field", "did you mean 'summary'?"]),
    (wrong_type, [f"{STAY_CALM}:11: 'related': should be a list"]),
    (unknown_stage, [f"{STAY_CALM}:4: 'stages[2]': 'lunch' is not allowed", "'opening'"]),
    (
        unknown_related_technique,
        [f"{STAY_CALM}:11: unknown technique 'let-them-vnet'", "did you mean 'let-them-vent'?"],
    ),
    (unknown_source, [f"{STAY_CALM}:13: unknown source 'no-such-article'"]),
    (unknown_situation_step, [f"{YELLING}:11: unknown technique 'listen-harder'"]),
    (
        duplicate_id,
        ["snippets/techniques/stay-calm.md: the technique id 'stay-calm' is already used by"],
    ),
    (empty_summary, [f"{STAY_CALM}:3: 'summary': is empty"]),
    (summary_too_long, [f"{STAY_CALM}:3: 'summary': is 143 characters; the limit is 100"]),
    (no_front_matter, [f"{STAY_CALM}:1: the file does not start with front matter"]),
    (duplicate_key, [f"{STAY_CALM}:5: the field 'stages' is written twice"]),
    (
        misindented_key,
        [
            f"{STAY_CALM}:14: the front matter is not valid YAML: this line is indented "
            "further than the line above it",
            "line it up with the other fields at its level",
        ],
    ),
    (
        unclosed_quote,
        [
            f"{STAY_CALM}:2: the front matter is not valid YAML: a quote opened here is not "
            "closed on the same line"
        ],
    ),
    (
        several_defects,
        [
            "3 problems in 3 files",
            f"{STAY_CALM}:3: 'sumary': unknown field",
            f"{YELLING}:11: unknown technique 'listen-harder'",
            "snippets/techniques/broken.md:2: the front matter is not valid YAML: "
            "a bracket opened here is never closed",
        ],
    ),
]


@pytest.mark.parametrize(("defect", "expected"), CASES, ids=[c[0].__name__ for c in CASES])
def test_kbgen_check_reports_the_problem(project: Path, defect, expected: list[str]) -> None:
    defect(project)
    result = cli(project, "check")
    assert result.returncode == 1
    for fragment in expected:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("defect", "expected"), CASES, ids=[c[0].__name__ for c in CASES])
def test_failed_build_reports_it_and_leaves_site_untouched(
    project: Path, defect, expected: list[str]
) -> None:
    assert mkdocs_build(project).returncode == 0
    before = snapshot(project / "site")
    defect(project)
    result = mkdocs_build(project)
    assert result.returncode == 1
    for fragment in expected:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "site") == before


def test_hand_written_page_at_a_generated_url_is_an_error(project: Path) -> None:
    write(project / "docs/techniques/stay-calm/index.md", "# My own page\n")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert (
        "docs/techniques/stay-calm/index.md: this hand-written page would be replaced by the "
        "generated page" in result.stderr
    )


@pytest.mark.build  # kbgen check's trial build
def test_a_clean_project_passes_check(project: Path) -> None:
    result = cli(project, "check")
    assert result.returncode == 0, result.stderr
    assert "OK: 2 techniques, 1 situation, 1 source, 5 phrases" in result.stdout


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_situation_fixture_is_used() -> None:
    assert "customer-is-yelling" not in SITUATION  # the file name is the id, not a field
