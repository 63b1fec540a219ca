"""Reads the whole snippets tree into one validated Handbook, collecting every problem.

Every file is checked on its own (syntax, fields) *and* against the others (unknown ids,
phrase numbers) in the same run: a file with a bad field still has its references checked,
from the parts of it that are valid, so a trainer sees all problems at once.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from kbgen.loading.frontmatter import EntrySyntaxError, parse_entry
from kbgen.loading.origins import Origin, Origins
from kbgen.loading.schema_errors import problems_from_validation
from kbgen.model.entries import ID_PATTERN
from kbgen.model.handbook import Handbook
from kbgen.model.kinds import BY_FOLDER, BY_NAME, Kind
from kbgen.problems import HandbookError, Problem

if TYPE_CHECKING:
    from kbgen.model.entries import Entry

IGNORED_FILES = {"README.md"}


@dataclass
class Loaded:
    """What a snippets tree holds: the entries that are valid, where every entry came from, and
    every problem. `handbook` is complete (safe to render) only when no problem is an error."""

    handbook: Handbook
    origins: Origins
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def load_handbook(snippets_dir: Path, display_root: Path | None = None) -> Handbook:
    """The checked handbook, or HandbookError listing every problem (for scripts and tests)."""
    loaded = load_snippets(snippets_dir, display_root)
    if not loaded.complete:
        raise HandbookError(loaded.problems)
    return loaded.handbook


def load_snippets(snippets_dir: Path, display_root: Path | None = None) -> Loaded:
    """Load and check every entry under `snippets_dir`; never raises for content.

    `display_root` is the project folder: file names in messages are relative to it (so they
    read `snippets/techniques/stay-calm.md:4`), and entry files may not link outside it.
    """
    snippets_dir = Path(snippets_dir)
    root = _resolved(display_root or Path.cwd())
    origins = Origins()
    if not snippets_dir.is_dir():
        problem = Problem(
            str(snippets_dir),
            None,
            "the snippets folder does not exist",
            "create it, or point the 'snippets_dir' option of the kbgen plugin at it",
        )
        return Loaded(Handbook(), origins, [problem])
    problems: list[Problem] = []
    valid, partial = _load_all(snippets_dir, root, origins, problems)
    problems += _duplicate_ids(valid + partial, origins)
    problems += _broken_references(valid + partial, origins)
    handbook = _assemble(valid)
    # cross-checks also see the valid parts of entries with problems (a card's phrase number
    # is checked against a technique whose stage is wrong); what is missing is skipped
    checking = _assemble(partial + valid)
    problems += [
        Problem(origins.of(entry).file, origins.of(entry).line_of(loc), message, fix)
        for entry in valid + partial
        for loc, message, fix in _cross_check(entry, checking)
    ]
    return Loaded(handbook, origins, problems)


def _display(path: Path, root: Path) -> str:
    """Like `shown_path`, resolving each folder once: a system call per level per file adds up."""
    resolved = _resolved(path.parent) / path.name
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)


@lru_cache(maxsize=1024)
def _resolved(folder: Path) -> Path:
    """Folders are resolved once each: resolving every file costs a system call per level."""
    return folder.resolve()


def _load_all(
    snippets_dir: Path, root: Path, origins: Origins, problems: list[Problem]
) -> tuple[list[Entry], list[Entry]]:
    """Entries that are valid, and entries rebuilt from the valid parts of a file with problems
    (already reported), used only to check what they refer to."""
    valid: list[Entry] = []
    partial: list[Entry] = []
    for path in _entry_files(snippets_dir, root, problems):
        relative = path.relative_to(snippets_dir)
        if any(part.startswith(".") for part in relative.parts) or str(relative) in IGNORED_FILES:
            continue
        file = _display(path, root)
        kind = BY_FOLDER.get(relative.parts[0]) if len(relative.parts) >= 2 else None
        if kind is None:
            problems.append(
                Problem(
                    file,
                    None,
                    "this file is not in a folder kbgen knows",
                    f"move it into one of: {', '.join(f'{k}/' for k in sorted(BY_FOLDER))}",
                )
            )
            continue
        entry, found = _load_one_unless_unchanged(path, file, kind, root)
        origins.add(kind.name, path.stem, Origin(file, path, found.parsed, found.text))
        problems += found.problems
        if entry is not None:
            (partial if found.problems else valid).append(entry)
        else:
            origins.mark_broken(kind.name, path.stem)
    return valid, partial


MISNAMED = (".markdown", ".mdown", ".mkd")
"""Other endings editors give Markdown files: kbgen reads only `.md`, and says so."""


def _entry_files(snippets_dir: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """The .md files under `snippets_dir`, sorted. One saved as .markdown (or .MD…) is not
    read, with a warning: the entry a trainer wrote must not go silently missing."""
    files = []
    for path in sorted(snippets_dir.rglob("*")):
        if path.suffix == ".md":
            files.append(path)
            continue
        if path.suffix.lower() not in (".md", *MISNAMED) or path.stem == "README":
            continue
        relative = path.relative_to(snippets_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            problems.append(
                Problem(
                    _display(path, root),
                    None,
                    f"'{path.name}' is not read: kbgen reads entries only from files ending .md",
                    f"rename it to {path.stem}.md",
                    "warning",
                )
            )
    return files


@dataclass
class _Found:
    problems: list[Problem] = field(default_factory=list)
    parsed: object = None
    text: str = ""


_LOADED: dict[tuple, tuple[Entry | None, _Found]] = {}
"""Entries already parsed and validated, by file and content: a preview rebuilding after one
save reads every file but parses only the changed one. Entries are frozen, so sharing is safe."""
_LOADED_MAX = 50_000


def _load_one_unless_unchanged(
    path: Path, file: str, kind: Kind, root: Path
) -> tuple[Entry | None, _Found]:
    try:
        raw = path.read_bytes()
    except OSError:
        return _load_one(path, file, kind, root)
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    key = (str(path), file, kind.name, str(root), path.is_symlink(), digest)
    if key not in _LOADED:
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.clear()
        _LOADED[key] = _load_one(path, file, kind, root)
    return _LOADED[key]


def _load_one(path: Path, file: str, kind: Kind, root: Path) -> tuple[Entry | None, _Found]:
    found = _Found()
    entry_id = path.stem
    if not ID_PATTERN.match(entry_id):
        found.problems.append(
            Problem(
                file,
                None,
                f"the file name '{path.name}' cannot be an id",
                "rename it to lower-case words joined by hyphens, like 'stay-calm.md'",
            )
        )
        return None, found
    if path.is_symlink() and not path.resolve().is_relative_to(root):
        found.problems.append(
            Problem(
                file,
                None,
                f"the file is a link to {path.resolve()}, outside the project; it is not published",
                "copy the entry into snippets/ instead of linking to it",
            )
        )
        return None, found
    try:
        raw = path.read_bytes()
        found.problems += _placeholders(raw, file)
        if found.problems:
            return None, found  # placeholder values would only add noise (an unknown id…)
        parsed = parse_entry(raw)
    except EntrySyntaxError as exc:
        found.problems.append(Problem(file, exc.line, exc.message, exc.fix))
        return None, found
    except OSError as exc:
        found.problems.append(
            Problem(file, None, f"cannot read the file: {exc.strerror}", "check its permissions")
        )
        return None, found
    found.parsed, found.text = parsed, parsed.text
    data = {**parsed.data, "id": entry_id, "body": parsed.body}
    reserved = [name for name in ("id", "body") if name in parsed.data]
    if reserved:
        found.problems.append(
            Problem(
                file,
                parsed.line_of((reserved[0],)),
                f"'{reserved[0]}' is not written in the front matter",
                "the id is the file name; the body is the text after the closing '---'",
            )
        )
        return _partial_entry(kind.model, data), found
    try:
        return kind.model.model_validate(data), found
    except ValidationError as exc:
        found.problems += problems_from_validation(exc, kind.model, parsed, file)
        return _partial_entry(kind.model, data), found


def _partial_entry(model: type[Entry], data: dict[str, object]) -> Entry | None:
    """The entry built from only those fields that are valid on their own: enough to check
    what it refers to. Missing lists become empty; anything else missing stays unset."""
    values: dict[str, object] = {}
    for name, info in model.model_fields.items():
        if name not in data:
            if info.is_required() and _is_list(info.annotation):
                values[name] = []
            continue
        try:
            values[name] = _adapter(info.annotation).validate_python(data[name])
        except (ValidationError, TypeError, ValueError):
            if _is_list(info.annotation):
                values[name] = []
    if not isinstance(values.get("id"), str):
        return None
    return model.model_construct(**values)


@lru_cache(maxsize=256)
def _adapter(annotation: object) -> TypeAdapter:
    return TypeAdapter(annotation)


def _is_list(annotation: object) -> bool:
    return getattr(annotation, "__origin__", None) is list


def _cross_check(entry: Entry, handbook: Handbook) -> list[tuple[tuple[str | int, ...], str, str]]:
    try:
        return entry.cross_check(handbook)
    except (AttributeError, KeyError, TypeError):
        return []  # a partial entry whose checked parts are missing: already reported


PLACEHOLDER = "TODO(kbgen)"
"""What `kbgen new` writes where a value is still to come: a token no real sentence holds, so
a story that says "write it on your TODO pad" is not mistaken for an unfinished file."""

PLACEHOLDER_BYTES = PLACEHOLDER.encode()


def _placeholders(raw: bytes, file: str) -> list[Problem]:
    """Lines still holding a `kbgen new` placeholder (a comment may mention it)."""
    if PLACEHOLDER_BYTES not in raw:
        return []
    return [
        Problem(
            file,
            number,
            "a placeholder is still here: " + line.decode("utf-8", "replace").strip()[:80],
            f"replace the {PLACEHOLDER} with the real value "
            "(the comment above or beside it says what goes there)",
        )
        for number, line in enumerate(raw.splitlines(), 1)
        if PLACEHOLDER_BYTES in line and not line.lstrip().startswith(b"#")
    ]


def _duplicate_ids(entries: list[Entry], origins: Origins) -> list[Problem]:
    problems = []
    for (kind, entry_id), files in origins.duplicates().items():
        for file in files[1:]:
            problems.append(
                Problem(
                    file,
                    None,
                    f"the {kind} id '{entry_id}' is already used by {files[0]}",
                    "rename one of the two files; ids must be unique within a kind",
                )
            )
    return problems


def _broken_references(entries: list[Entry], origins: Origins) -> list[Problem]:
    """Unknown ids, with the closest known id. An entry whose own file failed still exists:
    one problem, not two."""
    known = origins.ids_by_kind()
    problems = []
    for entry in entries:
        origin = origins.of(entry)
        try:
            references = entry.references()
        except (AttributeError, TypeError):
            continue  # a partial entry missing the parts that hold references
        for ref in references:
            ids = known.get(ref.kind, set())
            if ref.id in ids:
                continue
            close = difflib.get_close_matches(ref.id, sorted(ids), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? Or " if close else ""
            folder = BY_NAME[ref.kind].folder
            problems.append(
                Problem(
                    origin.file,
                    origin.line_of(ref.loc),
                    f"unknown {ref.kind} '{ref.id}'",
                    f"{hint}use the id (file name) of an entry in snippets/{folder}/"
                    + (", or create that entry" if not close else ""),
                )
            )
    return problems


def _assemble(entries: list[Entry]) -> Handbook:
    handbook = Handbook()
    for entry in entries:
        getattr(handbook, BY_NAME[entry.kind].folder)[entry.id] = entry
    return handbook
