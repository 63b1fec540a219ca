"""Splits an entry file into YAML front matter and Markdown body, keeping YAML line numbers.

PyYAML's composer is used instead of `yaml.safe_load` so that every value keeps the line it
was written on (error messages point there), duplicate keys are caught instead of silently
overwritten, and anchors/aliases are refused before they can expand into a memory bomb.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

MAX_FILE_BYTES = 512 * 1024
"""Entries are a page of text; anything bigger is a mistake (a pasted export, a binary)."""

FENCE = "---"

Path_ = tuple[str | int, ...]


@dataclass
class ParsedEntry:
    """Front matter as plain data, the body, and the line of every value in the file."""

    data: dict[str, object]
    body: str
    body_line: int
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, loc: Path_) -> int:
        """The line of the deepest written part of `loc` (a missing field points at its parent)."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


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
    data, value_lines = _load_yaml(yaml_text, first_line=2)
    body = "\n".join(lines[end + 1 :]).strip("\n")
    return ParsedEntry(data=data, body=body, body_line=end + 2, lines=value_lines)


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


def _load_yaml(text: str, first_line: int) -> tuple[dict[str, object], dict[Path_, int]]:
    loader = yaml.SafeLoader(text)
    try:
        _refuse_anchors(text, first_line)
        root = loader.get_single_node()
        if root is None:
            return {}, {}
        if not isinstance(root, yaml.MappingNode):
            raise EntrySyntaxError(
                "the front matter is not a list of 'field: value' lines",
                "write each field on its own line as 'name: value'",
                root.start_mark.line + first_line,
            )
        lines: dict[Path_, int] = {}
        data = _to_data(loader, root, (), lines, first_line)
        assert isinstance(data, dict)
        return data, lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        fix = (
            "check indentation and quoting on that line; put text containing ': ' or '#' in quotes"
        )
        started = exc.context_mark.line + first_line if exc.context_mark else None
        if started and line and started < line:
            fix += f" (the cause may be earlier, from line {started}: an unclosed quote or bracket)"
        raise EntrySyntaxError(
            f"the front matter is not valid YAML: {exc.problem or exc.context}", fix, line
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


def _refuse_anchors(text: str, first_line: int) -> None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise EntrySyntaxError(
                "YAML anchors and aliases (&name, *name) are not allowed in entries",
                "write the value out in full where it is needed",
                event.start_mark.line + first_line,
            )


def _to_data(
    loader: yaml.SafeLoader, node: yaml.Node, path: Path_, lines: dict[Path_, int], first: int
) -> object:
    lines[path] = node.start_mark.line + first
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = (
                loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            )
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
            result[key] = _to_data(loader, value_node, (*path, key), lines, first)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_data(loader, item, (*path, i), lines, first) for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node)
