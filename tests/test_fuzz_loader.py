"""Any input, no traceback: random and mutated entry files either load or fail with kbgen's own
message naming the file. Never an unhandled exception, never a hang."""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
import yaml
from factory import TECHNIQUE, technique_text, write_handbook
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kbgen.loading.loader import load_handbook
from kbgen.problems import HandbookError

if TYPE_CHECKING:
    from pathlib import Path

VALID = technique_text("Stay calm", related="let-them-vent")
TARGET = "snippets/techniques/stay-calm.md"
SECONDS_PER_FILE = 5


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_handbook(tmp_path_factory.mktemp("fuzz") / "project")


@contextmanager
def time_limit(seconds: int):
    def hang(signum, frame):  # noqa: ARG001
        raise AssertionError(f"loading took more than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def load_must_not_crash(project: Path, content: bytes) -> None:
    (project / TARGET).write_bytes(content)
    with time_limit(SECONDS_PER_FILE):
        try:
            load_handbook(project / "snippets", project)
        except HandbookError as error:
            assert error.problems, "an error must say what is wrong"
            for problem in error.problems:
                assert problem.file == TARGET, str(problem)
                assert problem.message and problem.fix


def mutate(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace", "duplicate-line"]))
        piece = data.draw(
            st.sampled_from(
                [
                    "-",
                    ":",
                    " ",
                    "\n",
                    "[",
                    "]",
                    "{",
                    "&a",
                    "*a",
                    "'",
                    '"',
                    "#",
                    "\t",
                    "---",
                    "!!python/object",
                    "\x00",
                    "é",
                    "0",
                ]
            )
        )
        if action == "insert":
            text = text[:position] + piece + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + data.draw(st.integers(1, 20)) :]
        elif action == "replace":
            text = text[:position] + piece + text[position + 1 :]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                line = data.draw(st.integers(0, len(lines) - 1))
                lines.insert(line, lines[line])
                text = "".join(lines)
    return text


settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("KBGEN_FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(settings.get_profile("fuzz"))
@given(st.binary(max_size=2000))
@example(b"")
@example(b"\xff\xfe\x00\x01binary")
@example(b"---\n---\n")
@example(b"---\ntitle: Only front matter\n---\n")
@example(
    b"---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n---\n"
)
@example(b"---\ntitle: A\ntitle: B\n---\n")
@example(b"---\ntitle: " + b"x" * 600_000 + b"\n---\n")
@example(b"---\nsay: " + b"[" * 50_000 + b"\n---\n")
@example(b"---\ntitle: caf\xe9\n---\n")
def test_any_bytes(project: Path, content: bytes) -> None:
    load_must_not_crash(project, content)


@settings(settings.get_profile("fuzz"))
@given(st.data())
def test_mutated_valid_entries(project: Path, data: st.DataObject) -> None:
    load_must_not_crash(project, mutate(VALID, data).encode("utf-8", "surrogatepass"))


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=200)
    | st.dates(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)
field_names = st.sampled_from(
    [
        "title",
        "summary",
        "stages",
        "say",
        "avoid",
        "related",
        "sources",
        "aliases",
        "order",
        "reviewed",
        "owner",
        "house_guidance",
        "cautions",
        "body",
        "id",
        "unknown_field",
    ]
)


@settings(settings.get_profile("fuzz"))
@given(st.dictionaries(field_names, yaml_values, max_size=12), st.text(max_size=500))
def test_wrong_types_and_shapes(project: Path, fields: dict, body: str) -> None:
    front = yaml.safe_dump(fields, allow_unicode=True)
    load_must_not_crash(project, f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass"))


def test_the_fixture_entry_itself_loads(project: Path) -> None:
    assert TECHNIQUE and load_must_not_crash(project, VALID.encode()) is None
