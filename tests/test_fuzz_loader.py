"""Any input, no traceback: random and mutated entry files either load or fail with kbgen's own
message naming the file. Never an unhandled exception, never a hang.

The bulk is `test_thousands_of_mutations_of_every_bundled_entry`: KBGEN_FUZZ_MUTATIONS (5,000)
mutations of the bundled entries per run, from a new seed each run (KBGEN_FUZZ_SEED replays
one); the hypothesis tests take KBGEN_FUZZ_EXAMPLES (100) examples each."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import signal
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from factory import TECHNIQUE, technique_text, write_handbook
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kbgen.build import Settings, build
from kbgen.loading.loader import load_handbook, load_snippets
from kbgen.model.kinds import BY_NAME, KINDS
from kbgen.problems import HandbookError

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
    max_examples=int(os.environ.get("KBGEN_FUZZ_EXAMPLES", "100")),
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


@pytest.mark.slow
@settings(settings.get_profile("fuzz"))
@given(st.dictionaries(field_names, yaml_values, max_size=12), st.text(max_size=500))
def test_wrong_types_and_shapes(project: Path, fields: dict, body: str) -> None:
    front = yaml.safe_dump(fields, allow_unicode=True)
    load_must_not_crash(project, f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass"))


def test_the_fixture_entry_itself_loads(project: Path) -> None:
    assert TECHNIQUE and load_must_not_crash(project, VALID.encode()) is None


# Every bundled entry, mutated thousands of times as a trainer (or a broken editor) might:
# dates that cannot exist, wrong types, indentation and tabs, encodings, unknown and missing
# fields, bad ids and references. Each entry sits in a small project of its own (the entry, and
# stand-ins for the entries it names), so one mutation costs a millisecond or two, and runs
# through the pipeline the commands share: load, story checks, review dates.

MUTATIONS = int(os.environ.get("KBGEN_FUZZ_MUTATIONS", "5000"))
SEED = int(os.environ.get("KBGEN_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
"""Printed with any failure: KBGEN_FUZZ_SEED=<seed> replays the same mutations."""

DATES = [
    *("2026-02-30", "2026-02-29", "2025-04-31", "2026-13-02", "2026-00-10", "2026-12-00"),
    *("0000-01-01", "2026-1-2", "2026-02-30T10:00:00", "2026-02-03 10:00", "9999-12-31"),
    *("2099-01-01", "1900-02-29", "20260230", "2026/02/03", "'2026-02-30'", "2026-02-3x"),
]
VALUES = [
    *("", "~", "null", "[]", "{}", "[[]]", "{a: b}", "42", "-1", "0", "1e309", ".nan", ".inf"),
    *("0x1F", "true", "no", '"x"', "'", '"', "[", "{", "&a x", "*a", "!!binary aGk=", "|"),
    *("!!python/object:os.system x", "!!set {a}", "12:30:00", '"\\ud800"', "x" * 300, "\u202e"),
    *("[a, b, [c]]", "{technique: stay-calm, phrase: 99}", "{technique: x, phrase: 0}", "- x"),
    *DATES,
]
KEYS = [
    *("sumary", "say", "say_now", "avoid", "dont_say", "stages", "steps", "id", "body", "kind"),
    *("Title", "reviewed", "added", "history", "front", "back", "size", "text_size", "phrase"),
    *("technique", "source", "quoted", "status", "x-y", "1", "'quoted key'", "? complex"),
]
BAD_IDS = ["Stay-Calm", "stay calm", "stay_calm", "-x", "x-", "a--b", "café", "x" * 120, "README"]
CODECS = ["utf-16", "latin-1", "utf-8-sig", "cp1252", "utf-32"]
KEY = re.compile(r"^(\s*(?:- )?)([\w-]+):(\s*)(.*)$")
STUB_TECHNIQUE = "fuzz-context"


def front_range(lines: list[str]) -> range:
    """The indexes of the front matter's lines (between the two '---')."""
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    return range(1, max(end, 2))


def mutate_date(rng: random.Random, lines: list[str]) -> None:
    dated = [i for i, line in enumerate(lines) if re.search(r"\d{4}-\d\d-\d\d", line)]
    if dated:
        i = rng.choice(dated)
        lines[i] = re.sub(r"\d{4}-\d\d-\d\d", rng.choice(DATES), lines[i], count=1)
    else:
        lines.insert(1, f"{rng.choice(['reviewed', 'added', 'date'])}: {rng.choice(DATES)}")


def mutate_value(rng: random.Random, lines: list[str]) -> None:
    keyed = [i for i in front_range(lines) if i < len(lines) and KEY.match(lines[i])]
    if keyed:
        i = rng.choice(keyed)
        indent, key, _, _ = KEY.match(lines[i]).groups()
        lines[i] = f"{indent}{key}: {rng.choice(VALUES)}"


def mutate_indent(rng: random.Random, lines: list[str]) -> None:
    i = rng.choice(front_range(lines))
    if i >= len(lines):
        return
    line = lines[i]
    lines[i] = rng.choice(
        [
            " " + line,
            line[1:] if line.startswith(" ") else "  " + line,
            line.replace("  ", "\t", 1),
            "\t" + line,
            line.replace(" ", "\t"),
            line + "\t",
            line.lstrip(),
        ]
    )


def mutate_field(rng: random.Random, lines: list[str]) -> None:
    """An unknown field, a misspelt one, or a field (with its block) left out."""
    spot = front_range(lines)
    i = rng.choice(spot)
    match = KEY.match(lines[i]) if i < len(lines) else None
    choice = rng.randrange(3)
    if choice == 0 or match is None:
        indent = match.group(1).replace("-", " ") if match else ""
        lines.insert(i, f"{indent}{rng.choice(KEYS)}: {rng.choice(VALUES)}")
    elif choice == 1:
        key = match.group(2)
        cut = rng.randrange(len(key))
        misspelt = rng.choice([key[:cut] + key[cut + 1 :], key + "s", key.upper(), key[::-1]])
        lines[i] = lines[i].replace(key, misspelt or "x", 1)
    else:
        depth = len(lines[i]) - len(lines[i].lstrip())
        end = i + 1
        while end < spot.stop and len(lines[end]) - len(lines[end].lstrip()) > depth:
            end += 1
        del lines[i:end]


def mutate_reference(rng: random.Random, lines: list[str]) -> None:
    """An id that names nothing: a near miss, a bad id, or another kind's id."""
    ids = [
        (i, m.group(0))
        for i in front_range(lines)
        if i < len(lines)
        for m in re.finditer(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", lines[i])
    ]
    if ids:
        i, found = rng.choice(ids)
        cut = rng.randrange(len(found))
        other = rng.choice([found[:cut] + found[cut + 1 :], rng.choice(BAD_IDS), "stay-calm"])
        lines[i] = lines[i].replace(found, other or "x", 1)


def mutate_structure(rng: random.Random, lines: list[str]) -> None:
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    choice = rng.randrange(5)
    if choice == 0:
        lines.insert(i, lines[i])
    elif choice == 1:
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 2:
        del lines[max(i, j) :]
    elif choice == 3:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    else:
        lines.insert(i, rng.choice(["---", "...", "%YAML 1.1", "--- !!map", "#", "- ", ": x"]))


TEXT_MUTATIONS = [
    mutate_date,
    mutate_date,
    mutate_value,
    mutate_indent,
    mutate_field,
    mutate_reference,
    mutate_structure,
]


def mutate_bytes(rng: random.Random, text: str) -> bytes:
    """The text as an editor might save it: another encoding, a stray byte, CR line ends."""
    choice = rng.randrange(6)
    if choice == 0:
        return text.encode(rng.choice(CODECS), "replace")
    raw = text.encode("utf-8", "surrogatepass")
    at = rng.randrange(len(raw) + 1)
    if choice == 1:
        return (
            raw[:at]
            + rng.choice([b"\xff", b"\xc3", b"\x00", b"\xe2\x80", b"\xed\xa0\x80"])
            + raw[at:]
        )
    if choice == 2:
        return raw.replace(b"\n", b"\r\n")
    if choice == 3:
        return raw.replace(b"\n", b"\r")
    if choice == 4:
        return b"\xef\xbb\xbf" + raw
    return raw[:at]


def stand_in(entry) -> str:
    """A valid entry with the referred-to entry's id, title and phrases, naming nothing else:
    the mutated entry's references and phrase numbers are checked against it."""
    if entry.kind == "technique":
        data = {
            "title": entry.title,
            "summary": entry.summary,
            "stages": [stage.value for stage in entry.stages],
            "say": [{"text": p.text} for p in entry.say],
            "avoid": [{"text": p.text} for p in entry.avoid],
            "house_guidance": True,
            "reviewed": entry.reviewed,
            "owner": entry.owner,
        }
        body = "## Why it works\n\nIt does.\n\n## How to do it\n\n1. Do it.\n"
    else:
        data = {
            "title": entry.title,
            "summary": entry.summary,
            "recognise": list(entry.recognise),
            "steps": [{"technique": STUB_TECHNIQUE}],
            "handover": entry.handover,
            "reviewed": entry.reviewed,
            "owner": entry.owner,
        }
        body = ""
    return f"---\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}---\n{body}"


@dataclass
class Target:
    root: Path
    path: Path  # the entry being mutated
    original: str


def small_projects(base: Path) -> list[Target]:
    """A project per bundled entry: the entry as written, and stand-ins for what it names."""
    handbook = load_snippets(REPO / "snippets", REPO).handbook  # its valid entries
    targets = []
    stub = (
        "---\ntitle: Context\nsummary: A stand-in.\nstages: [venting]\nhouse_guidance: true\n"
        f"reviewed: {dt.date.today()}\nowner: t\n---\n"
        "## Why it works\n\nx\n\n## How to do it\n\n1. x\n"
    )
    for kind in KINDS:
        for entry in getattr(handbook, kind.folder).values():
            root = base / f"{kind.name}-{entry.id}"
            path = root / "snippets" / kind.folder / f"{entry.id}.md"
            files = {path: (REPO / "snippets" / kind.folder / path.name).read_text()}
            files[root / "snippets/techniques" / f"{STUB_TECHNIQUE}.md"] = stub
            for ref in entry.references():
                folder = BY_NAME[ref.kind].folder
                other = getattr(handbook, folder).get(ref.id)
                where = root / "snippets" / folder / f"{ref.id}.md"
                if other is None or where in files:
                    continue
                source = REPO / "snippets" / folder / f"{ref.id}.md"
                files[where] = source.read_text() if ref.kind == "source" else stand_in(other)
            for where, text in files.items():
                where.parent.mkdir(parents=True, exist_ok=True)
                where.write_text(text, encoding="utf-8")
            targets.append(Target(root, path, files[path]))
    return targets


def mutation(rng: random.Random, target: Target) -> tuple[bytes, Path]:
    """The mutated file's bytes and where it goes (usually where the entry was)."""
    lines = target.original.splitlines()
    for _ in range(rng.choice([1, 1, 2, 3])):
        rng.choice(TEXT_MUTATIONS)(rng, lines)
        lines = lines or [""]
    text = "\n".join(lines) + "\n"
    raw = mutate_bytes(rng, text) if rng.random() < 0.2 else text.encode("utf-8", "surrogatepass")
    path = target.path
    if rng.random() < 0.08:  # a bad id, a second file with the same id, the wrong ending
        path = rng.choice(
            [
                path.with_name(rng.choice(BAD_IDS) + ".md"),
                path.parent / "more" / path.name,
                path.with_suffix(".markdown"),
                path.parent.parent / "notes" / path.name,
            ]
        )
    return raw, path


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory):
    """A folder in memory when there is one (/dev/shm): thousands of writes to a disk folder
    cost more than the loading they test."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="kbgen-fuzz-", dir=shm))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("mutations")


@pytest.mark.slow  # 5,000 mutations: the full suite runs it, the fast tier does not
def test_thousands_of_mutations_of_every_bundled_entry(scratch: Path) -> None:
    targets = small_projects(scratch)
    rng = random.Random(SEED)
    started = time.perf_counter()
    kinds: Counter[str] = Counter()
    for number in range(MUTATIONS):
        target = targets[number % len(targets)]
        raw, path = mutation(rng, target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        if path != target.path:
            target.path.unlink()
        settings = Settings(snippets_dir=target.root / "snippets", root=target.root)
        try:
            with time_limit(SECONDS_PER_FILE):
                result = build(settings, "content")
        except BaseException as exc:
            raise AssertionError(
                f"mutation {number} (KBGEN_FUZZ_SEED={SEED}) of {target.path.name} raised "
                f"{type(exc).__name__}: {exc}\nthe file {path.name}:\n{raw[:3000]!r}"
            ) from exc
        for problem in result.problems:
            where = f"mutation {number} (KBGEN_FUZZ_SEED={SEED}): {problem}\n{raw[:3000]!r}"
            assert problem.file.startswith("snippets/"), where  # names the file, not kbgen
            assert (target.root / problem.file).exists(), where
            assert problem.message and problem.fix, where
            kinds[problem.severity] += 1
        if path != target.path:
            path.unlink()
            target.path.write_text(target.original, encoding="utf-8")
    elapsed = time.perf_counter() - started
    print(f"{MUTATIONS} mutations in {elapsed:.1f} s (seed {SEED}): {dict(kinds)}")
    assert kinds["error"] > MUTATIONS // 4  # the mutations do break entries
