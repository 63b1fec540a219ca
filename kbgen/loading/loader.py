"""Reads the whole snippets tree into one validated Handbook, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from kbgen.loading.frontmatter import EntrySyntaxError, parse_entry
from kbgen.loading.kinds import KINDS, Kind
from kbgen.loading.problems import HandbookError, Problem
from kbgen.loading.schema_errors import problems_from_validation
from kbgen.model.entries import ID_PATTERN
from kbgen.model.handbook import Handbook

if TYPE_CHECKING:
    from kbgen.loading.frontmatter import ParsedEntry
    from kbgen.model.entries import Entry

IGNORED_FILES = {"README.md"}


@dataclass
class LoadedEntry:
    entry: Entry
    file: str
    parsed: ParsedEntry


def load_handbook(snippets_dir: Path, display_root: Path | None = None) -> Handbook:
    """Load and check every entry under `snippets_dir`. Raises HandbookError listing all problems.

    `display_root` is what file names in messages are relative to (default: the current folder),
    so messages read `snippets/techniques/stay-calm.md:4`.
    """
    snippets_dir = Path(snippets_dir)
    if not snippets_dir.is_dir():
        raise HandbookError(
            [
                Problem(
                    str(snippets_dir),
                    None,
                    "the snippets folder does not exist",
                    "create it, or point the 'snippets_dir' option of the kbgen plugin at it",
                )
            ]
        )
    problems: list[Problem] = []
    loaded, unreadable = _load_all(snippets_dir, display_root, problems)
    problems += _duplicate_ids(loaded)
    problems += _broken_references(loaded, unreadable)
    if problems:
        raise HandbookError(problems)
    handbook = _assemble(loaded)
    problems += [
        Problem(item.file, item.parsed.line_of(loc), message, fix)
        for item in loaded
        for loc, message, fix in item.entry.cross_check(handbook)
    ]
    if problems:
        raise HandbookError(problems)
    return handbook


def _display(path: Path, display_root: Path | None) -> str:
    root = _resolved(display_root or Path.cwd())
    resolved = _resolved(path)
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)


@lru_cache(maxsize=1024)
def _resolved(folder: Path) -> Path:
    """Folders are resolved once each: resolving every file costs a system call per level."""
    return folder.resolve()


def _load_all(
    snippets_dir: Path, display_root: Path | None, problems: list[Problem]
) -> tuple[list[LoadedEntry], set[tuple[str, str]]]:
    """Every entry that loads, and the (kind, id) of those that do not (already reported)."""
    loaded: list[LoadedEntry] = []
    unreadable: set[tuple[str, str]] = set()
    jobs: list[tuple[Path, str, str]] = []
    base = _display(snippets_dir, display_root)
    for path in sorted(snippets_dir.rglob("*.md")):
        relative = path.relative_to(snippets_dir)
        if any(part.startswith(".") for part in relative.parts) or str(relative) in IGNORED_FILES:
            continue
        file = f"{base}/{relative.as_posix()}"
        if len(relative.parts) < 2 or relative.parts[0] not in KINDS:
            problems.append(
                Problem(
                    file,
                    None,
                    "this file is not in a folder kbgen knows",
                    f"move it into one of: {', '.join(f'{k}/' for k in sorted(KINDS))}",
                )
            )
            continue
        jobs.append((path, file, relative.parts[0]))
    # parsing in worker processes was tried: sending the entries back costs what it saves
    for (path, _, folder), result in zip(jobs, map(_load_job, jobs), strict=True):
        if isinstance(result, LoadedEntry):
            loaded.append(result)
        else:
            problems += result
            unreadable.add((KINDS[folder].model.kind, path.stem))
    return loaded, unreadable


def _load_job(job: tuple[Path, str, str]) -> LoadedEntry | list[Problem]:
    path, file, folder = job
    return _load_one(path, file, KINDS[folder])


def _load_one(path: Path, file: str, kind: Kind) -> LoadedEntry | list[Problem]:
    entry_id = path.stem
    if not ID_PATTERN.match(entry_id):
        return [
            Problem(
                file,
                None,
                f"the file name '{path.name}' cannot be an id",
                "rename it to lower-case words joined by hyphens, like 'stay-calm.md'",
            )
        ]
    try:
        raw = path.read_bytes()
        placeholders = _placeholders(raw, file)
        if placeholders:
            return placeholders
        parsed = parse_entry(raw)
    except EntrySyntaxError as exc:
        return [Problem(file, exc.line, exc.message, exc.fix)]
    except OSError as exc:
        return [
            Problem(file, None, f"cannot read the file: {exc.strerror}", "check its permissions")
        ]
    data = {**parsed.data, "id": entry_id, "body": parsed.body, "source_file": file}
    data["source_path"] = _resolved(path.parent) / path.name
    reserved = [
        name for name in ("id", "body", "source_file", "source_path") if name in parsed.data
    ]
    if reserved:
        name = reserved[0]
        return [
            Problem(
                file,
                parsed.line_of((name,)),
                f"'{name}' is not written in the front matter",
                "the id is the file name; the body is the text after the closing '---'",
            )
        ]
    try:
        entry = kind.model.model_validate(data)
    except ValidationError as exc:
        return problems_from_validation(exc, kind.model, parsed, file)
    return LoadedEntry(entry, file, parsed)


PLACEHOLDER = b"TODO"


def _placeholders(raw: bytes, file: str) -> list[Problem]:
    """Lines still holding a `kbgen new` placeholder. The file is not checked further: its
    placeholder values would only add noise (an unknown id 'TODO…')."""
    if PLACEHOLDER not in raw:
        return []
    return [
        Problem(
            file,
            number,
            "a placeholder is still here: " + line.decode("utf-8", "replace").strip()[:80],
            "replace the TODO with the real value (the comment on the line says what goes there)",
        )
        for number, line in enumerate(raw.splitlines(), 1)
        if PLACEHOLDER in line and not line.lstrip().startswith(b"#")
    ]


def _duplicate_ids(loaded: list[LoadedEntry]) -> list[Problem]:
    seen: dict[tuple[str, str], LoadedEntry] = {}
    problems = []
    for item in loaded:
        key = (item.entry.kind, item.entry.id)
        if key in seen:
            problems.append(
                Problem(
                    item.file,
                    None,
                    f"the id '{item.entry.id}' is already used by {seen[key].file}",
                    "rename one of the two files; ids must be unique within a kind",
                )
            )
        else:
            seen[key] = item
    return problems


def _broken_references(
    loaded: list[LoadedEntry], unreadable: set[tuple[str, str]]
) -> list[Problem]:
    """Unknown ids. An entry whose own file failed still exists: one problem, not two."""
    known: dict[str, set[str]] = {}
    for kind, entry_id in unreadable:
        known.setdefault(kind, set()).add(entry_id)
    for item in loaded:
        known.setdefault(item.entry.kind, set()).add(item.entry.id)
    problems = []
    for item in loaded:
        for ref in item.entry.references():
            if ref.id in known.get(ref.kind, set()):
                continue
            folder = next(k.folder for k in KINDS.values() if k.model.kind == ref.kind)
            problems.append(
                Problem(
                    item.file,
                    item.parsed.line_of(ref.loc),
                    f"unknown {ref.kind} '{ref.id}'",
                    f"use the id (file name) of an entry in snippets/{folder}/, "
                    "or create that entry",
                )
            )
    return problems


def _assemble(loaded: list[LoadedEntry]) -> Handbook:
    handbook = Handbook()
    for item in loaded:
        kind = KINDS_BY_MODEL_KIND[item.entry.kind]
        getattr(handbook, kind.folder)[item.entry.id] = item.entry
    return handbook


KINDS_BY_MODEL_KIND = {k.model.kind: k for k in KINDS.values()}
