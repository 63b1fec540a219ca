"""Turns pydantic validation errors into messages a trainer can act on."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from kbgen.problems import Problem

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails

    from kbgen.loading.frontmatter import ParsedEntry


def problems_from_validation(
    error: ValidationError, model: type[BaseModel], parsed: ParsedEntry, file: str
) -> list[Problem]:
    problems = []
    for detail in _merge_misspellings(error.errors(include_url=False), model):
        loc = tuple(detail["loc"])
        line = parsed.body_line if loc[:1] == ("body",) else parsed.line_of(loc)
        message, fix = _explain(detail, model)
        problems.append(Problem(file, line, f"{_field_name(loc)}: {message}", fix))
    return problems


def _merge_misspellings(details: list[ErrorDetails], model: type[BaseModel]) -> list[ErrorDetails]:
    """A misspelt field also makes the real one 'missing': report that as one problem."""
    missing = {tuple(d["loc"]) for d in details if d["type"] == "missing"}
    explained: set[tuple[str | int, ...]] = set()
    for detail in details:
        if detail["type"] == "extra_forbidden":
            loc = tuple(detail["loc"])
            close = difflib.get_close_matches(str(loc[-1]), _known_fields(model, loc[:-1]), n=1)
            if close and (*loc[:-1], close[0]) in missing:
                explained.add((*loc[:-1], close[0]))
    return [d for d in details if not (d["type"] == "missing" and tuple(d["loc"]) in explained)]


def _field_name(loc: tuple[str | int, ...]) -> str:
    if not loc:
        return "entry"
    parts = [f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in loc]
    return "'" + "".join(parts).lstrip(".") + "'"


def _explain(detail: ErrorDetails, model: type[BaseModel]) -> tuple[str, str]:
    kind, loc = detail["type"], tuple(detail["loc"])
    field = _describe(model, loc)
    if kind == "missing":
        return "required field is missing", f"add '{loc[-1]}:' with {field or 'a value'}"
    if kind == "extra_forbidden":
        name = str(loc[-1])
        if name == "id":
            return (
                "'id' is not written in the file",
                "the id is the file name: rename the file instead",
            )
        known = _known_fields(model, loc[:-1])
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return "unknown field", f"{hint}Fields allowed here: {', '.join(sorted(known))}"
    if kind == "string_too_long":
        limit = detail.get("ctx", {}).get("max_length")
        length = len(str(detail.get("input", "")))
        return (
            f"is {length} characters; the limit is {limit}",
            "shorten it to one line that fits on a card; put detail in the body",
        )
    if kind in {"string_too_short", "too_short"}:
        return "is empty", f"write {field or 'a value'}"
    if kind == "string_pattern_mismatch":
        return (
            f"'{detail.get('input')}' is not a valid id",
            "ids are lower-case words joined by hyphens, like 'stay-calm' (the file name)",
        )
    if kind == "enum":
        return f"'{detail.get('input')}' is not allowed", f"use one of: {detail['ctx']['expected']}"
    if kind == "value_error":
        message = str(detail["msg"]).removeprefix("Value error, ")
        return message, f"change {field or 'this value'} as the message says"
    if kind in {
        "list_type",
        "string_type",
        "bool_type",
        "int_type",
        "int_parsing",
        "dict_type",
        "model_type",
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
    }:
        expected = {
            "list_type": "a list (one '- item' per line)",
            "string_type": "text",
            "bool_type": "true or false",
            "int_type": "a whole number",
            "int_parsing": "a whole number",
            "dict_type": "fields ('name: value')",
            "model_type": "fields ('name: value')",
        }.get(kind, "a date written YYYY-MM-DD")
        return f"should be {expected}", f"write {field or expected} as {expected}"
    return str(detail["msg"]), f"check {field or 'this value'}"


def _field_info(model: type[BaseModel], loc: tuple[str | int, ...]) -> object | None:
    """Walk the model along `loc` to the pydantic FieldInfo it names, if any."""
    current: object = model
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        info = fields[part]
        current = _inner_model(info.annotation)
    return info


def _known_fields(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    current: object = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        current = _inner_model(fields[part].annotation) if part in fields else None
    names = list(getattr(current, "model_fields", {}))
    return [n for n in names if n not in {"id", "body"}]


def _inner_model(annotation: object) -> object:
    for arg in getattr(annotation, "__args__", ()) or ():
        if hasattr(arg, "model_fields"):
            return arg
    return annotation


def _describe(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    info = _field_info(model, loc)
    return getattr(info, "description", None) or ""
