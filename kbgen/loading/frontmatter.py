"""Splits an entry file into YAML front matter and Markdown body, keeping YAML line numbers.

PyYAML's composer is used instead of `yaml.safe_load` so that every value keeps the line it
was written on (error messages point there), duplicate keys are caught instead of silently
overwritten, and anchors/aliases are refused before they can expand into a memory bomb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kbgen.fast_yaml import SAFE_LOADER

MAX_FILE_BYTES = 512 * 1024
"""Entries are a page of text; anything bigger is a mistake (a pasted export, a binary)."""

FENCE = "---"

Path_ = tuple[str | int, ...]


@dataclass
class ParsedEntry:
    """Front matter as plain data, the body, and the YAML text for finding lines."""

    data: dict[str, object]
    body: str
    body_line: int
    yaml_text: str = ""
    first_line: int = 2
    text: str = ""  # the whole file, decoded

    def line_of(self, loc: Path_) -> int:
        """The line of the deepest written part of `loc` (a missing field points at its parent)."""
        return _line_of(self.yaml_text, self.first_line, tuple(loc))


@lru_cache(maxsize=8192)
def _line_of(yaml_text: str, first_line: int, loc: Path_) -> int:
    """The YAML is composed again only when a message needs a line, and only the line is kept
    (for the next build of a preview): keeping every entry's node tree alive would slow the
    whole build (the garbage collector walks them all)."""
    root = _compose(yaml_text)
    node, line = root, 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + first_line
    return line if loc else (root.start_mark.line + first_line if root else 1)


class EntrySyntaxError(Exception):
    """The file cannot be read as an entry at all; `line` is 1-based when known."""

    def __init__(self, message: str, fix: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.fix, self.line = message, fix, line


def parse_entry(raw: bytes) -> ParsedEntry:
    """Parse one entry file's bytes. Raises EntrySyntaxError with a fix for unreadable input."""
    if len(raw) > MAX_FILE_BYTES:
        raise EntrySyntaxError(
            f"the file is {len(raw) // 1024} KB; an entry is at most {MAX_FILE_BYTES // 1024} KB",
            "split it into several entries, or remove what was pasted by mistake",
        )
    text = _decode(raw)
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise EntrySyntaxError(
            "the file does not start with front matter",
            "make the first line '---', then the fields (title: …), "
            "then a line '---', then the text",
            1,
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE)
    except StopIteration:
        raise EntrySyntaxError(
            "the front matter is never closed",
            "add a line with only '---' after the last field",
            1,
        ) from None
    yaml_text = "\n".join(lines[1:end])
    data = _load_yaml(yaml_text, first_line=2)
    body = "\n".join(lines[end + 1 :]).strip("\n")
    return ParsedEntry(data=data, body=body, body_line=end + 2, yaml_text=yaml_text, text=text)


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise EntrySyntaxError(
            "the file is binary, not text", "save the entry as a plain UTF-8 text file (.md)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise EntrySyntaxError(
            f"the file is not valid UTF-8 (byte {exc.start})",
            "save the file with UTF-8 encoding in your editor",
            line,
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


_STR_TAG = "tag:yaml.org,2002:str"


def _compose(text: str) -> yaml.Node | None:
    """The node tree of YAML already known to be valid (for line numbers)."""
    loader = SAFE_LOADER(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


MAX_DEPTH = 24
"""Entries nest three or four levels; far deeper input is a mistake or an attack, and the YAML
composer recurses once per level."""


def _refuse_deep_nesting(text: str, first_line: int) -> None:
    """Count bracket depth and indentation before parsing, so nothing recurses too deep."""
    depth = 0
    for number, line in enumerate(text.splitlines(), first_line):
        indent = len(line) - len(line.lstrip(" "))
        depth_here = depth
        for char in line:
            if char in "[{":
                depth += 1
                depth_here = max(depth_here, depth)
            elif char in "]}":
                depth = max(0, depth - 1)
        if depth_here > MAX_DEPTH or indent > 2 * MAX_DEPTH:
            raise EntrySyntaxError(
                "the front matter is nested too deeply",
                "entries use at most three or four levels of lists and fields",
                number,
            )


def _load_yaml(text: str, first_line: int) -> dict[str, object]:
    _refuse_deep_nesting(text, first_line)
    loader = SAFE_LOADER(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return {}
        if not isinstance(root, yaml.MappingNode):
            raise EntrySyntaxError(
                "the front matter is not a list of 'field: value' lines",
                "write each field on its own line as 'name: value'",
                root.start_mark.line + first_line,
            )
        data = _to_data(loader, root, first_line, set())
        assert isinstance(data, dict)
        return data
    except yaml.MarkedYAMLError as exc:
        message, fix, line = _explain_yaml_error(exc, text, first_line)
        raise EntrySyntaxError(
            f"the front matter is not valid YAML: {message}", fix, line
        ) from None
    except yaml.YAMLError as exc:
        raise EntrySyntaxError(
            f"the front matter is not valid YAML: {exc}", "fix the YAML"
        ) from None
    except RecursionError:
        raise EntrySyntaxError(
            "the front matter is nested too deeply", "entries use at most three levels of nesting"
        ) from None
    finally:
        loader.dispose()


def _explain_yaml_error(
    exc: yaml.MarkedYAMLError, text: str, first_line: int
) -> tuple[str, str, int | None]:
    """The message, fix and line of a YAML error, pointing at the real cause: an unclosed quote
    or bracket is where it was opened; an indentation error is where the indentation breaks
    (libyaml's "context" there is merely the start of the enclosing block, often a valid line)."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else None
    opened = exc.context_mark.line + first_line if exc.context_mark else line
    context, problem = exc.context or "", exc.problem or ""
    if "quoted scalar" in context:
        return (
            "a quote opened here is never closed",
            "end the value with the same quote mark it starts with; a quote inside the value "
            "is written twice ('') or use the other kind of quote",
            opened,
        )
    if "flow sequence" in context or "flow mapping" in context:
        return (
            "a bracket opened here is never closed",
            "close the list with ']' (or '{' with '}') on the same line, "
            "with commas between the items",
            opened,
        )
    lines = text.splitlines()
    unclosed = _unclosed_quote(lines, (line or 0) - first_line)
    if unclosed is not None and line is not None and unclosed + first_line < line:
        return (
            "a quote opened here is not closed on the same line",
            "end the value with the same quote mark it starts with",
            unclosed + first_line,
        )
    tabbed = _tab_indented(lines, (line or 0) - first_line)
    if "tab character" in problem or tabbed is not None:
        return (
            "YAML does not allow tabs for indentation",
            "use spaces: indent this line with spaces, lined up with the other fields or list "
            "items at its level (most editors can turn tabs into spaces)",
            line if tabbed is None else tabbed + first_line,
        )
    if "mapping values are not allowed" in problem:
        index = (line or 0) - first_line
        if 0 < index < len(lines) and _indent(lines[index]) > _indent(lines[index - 1]):
            return (
                "this line is indented further than the line above it",
                "line it up with the other fields at its level (spaces only)",
                line,
            )
        return (
            "a value contains ': ', which YAML reads as a new field",
            "put the whole value in double quotes",
            line,
        )
    if "expected key" in problem or "'-' indicator" in problem or "block end" in problem:
        index = (line or 0) - first_line
        shown = lines[index] if 0 <= index < len(lines) else ""
        quoted_then_text = re.search(r":\s*(['\"]).*?\1\s*[^\s#]", shown)
        if quoted_then_text:
            return (
                "there is text after the closing quote of a value",
                "put the whole value in quotes, or remove what follows the quote",
                line,
            )
        return (
            "this line is indented differently from the lines around it",
            "line it up with the other fields or list items at its level (spaces only); "
            "a list item starts with '- ' followed by a space",
            line,
        )
    return problem or context, "fix the YAML on that line", line


def _tab_indented(lines: list[str], index: int) -> int | None:
    """The index of the line YAML stopped at, or of the line above it, when its indentation
    holds a tab (the parser's own message rarely says so)."""
    for candidate in (index, index - 1):
        if 0 <= candidate < len(lines):
            line = lines[candidate]
            if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
                return candidate
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


_QUOTED_VALUE = re.compile(r"""^\s*(?:- )?(?:[\w-]+:\s*)?(?P<quote>["'])""")


def _unclosed_quote(lines: list[str], before: int) -> int | None:
    """The index of the first line before `before` whose value opens a quote it does not
    close: YAML then reads on to the next quote mark, and fails far below the real mistake."""
    for index, line in enumerate(lines[: max(before, 0)]):
        match = _QUOTED_VALUE.match(line)
        if not match:
            continue
        quote, rest = match["quote"], line[match.end() :]
        if quote == '"':
            closed = re.search(r'(?<!\\)"', rest)
        else:
            closed = re.search(r"'(?!')", rest.replace("''", ""))
        if not closed:
            return index
    return None


def _to_data(loader: yaml.SafeLoader, node: yaml.Node, first: int, seen: set[int]) -> object:
    """Plain data from a composed node. An alias (*name) makes the composer reuse a node, so a
    node met twice is refused: alias bombs never get expanded."""
    if isinstance(node, yaml.CollectionNode):
        if id(node) in seen:
            raise EntrySyntaxError(
                "YAML anchors and aliases (&name, *name) are not allowed in entries",
                "write the value out in full where it is needed",
                node.start_mark.line + first,
            )
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise EntrySyntaxError(
                    "a field name must be plain text",
                    "write field names as simple words, like 'title:'",
                    key_node.start_mark.line + first,
                )
            if key in result:
                raise EntrySyntaxError(
                    f"the field '{key}' is written twice",
                    "keep one of them (YAML would silently use only the last)",
                    key_node.start_mark.line + first,
                )
            result[key] = _to_data(loader, value_node, first, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(loader, item, first, seen) for item in node.value]
    return _scalar(loader, node)


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    if node.tag == _STR_TAG:
        return node.value  # most values are text: skip the constructor's generic machinery
    try:
        return loader.construct_object(node)
    except ValueError:
        # a date that cannot exist (2026-02-30) looks like a date to YAML, whose constructor
        # then fails; kept as written, the field's own check says what is wrong with it
        return node.value
