"""Turns pydantic validation errors into messages a trainer can act on."""

from __future__ import annotations

import calendar
import difflib
import re
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
            close = closest_field(str(loc[-1]), _known_fields(model, loc[:-1]))
            if close and (*loc[:-1], close) in missing:
                explained.add((*loc[:-1], close))
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
        close = closest_field(name, known)
        hint = f"did you mean '{close}'? " if close else ""
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
    if kind in DATE_ERRORS:
        return explain_date(detail.get("input"))
    if kind in EXPECTED:
        expected = EXPECTED[kind]
        return f"should be {expected}", f"write {expected} here" + (f": {field}" if field else "")
    return str(detail["msg"]), f"check {field or 'this value'}"


EXPECTED = {
    "list_type": "a list (one '- item' per line)",
    "string_type": "text",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "dict_type": "fields ('name: value')",
    "model_type": "fields ('name: value')",
}

DATE_ERRORS = {
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "date_parsing",
    "date_type",
}

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def explain_date(value: object) -> tuple[str, str]:
    """What is wrong with a value that should be a date, and how to write it: a date that
    cannot exist (2026-02-30, 2026-13-02) says why, with a real one to copy."""
    how = "write YYYY-MM-DD (year, month, day)"
    if not isinstance(value, str):
        return "should be a date written YYYY-MM-DD", f"{how}, like 2026-03-14"
    text = value.strip()
    match = _DATE.fullmatch(text)
    if match is None:
        return f"'{text}' is not a date written YYYY-MM-DD", f"{how}, like 2026-03-14"
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        swapped = (
            f"; for {month} {calendar.month_name[day]} write {year:04d}-{day:02d}-{month:02d}"
            if 1 <= day <= 12
            else ""
        )
        return (
            f"{text} is not a date: there is no month {month} (months run 01 to 12)",
            f"{how}: the month comes before the day{swapped}",
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return (
            f"{text} is not a date: {calendar.month_name[month]} {year} has {days} days",
            f"{how} with a day that exists, like {year:04d}-{month:02d}-{days:02d}",
        )
    return (
        f"'{text}' is not a date written YYYY-MM-DD",
        f"{how} with two digits for the month and the day, like {year:04d}-{month:02d}-{day:02d}",
    )


CONFUSED = {
    "avoid": "dont_say",
    "never_say": "dont_say",
    "signs": "recognise",
    "escalate": "handover",
    "escalation": "handover",
    "tags": "aliases",
    "keywords": "aliases",
    "reviewer": "owner",
    "description": "summary",
    "name": "title",
}
"""Field names trainers write for a field that is called something else, by what they type."""


def closest_field(name: str, known: list[str]) -> str | None:
    """The field a misspelt or misremembered name most likely means: a field the name starts
    (or is part of), a known confusion, else the closest spelling. `say` in a situation is
    `say_now`, not `safety`, though the two are spelt alike."""
    typed = name.strip().lower().replace("-", "_").replace(" ", "_")
    if typed in known:
        return typed
    if len(typed) >= 3:
        for matches in (
            [field for field in known if field.startswith(typed)],
            [field for field in known if typed in field],
            [field for field in known if len(field) >= 3 and field in typed],
        ):
            if matches:
                return min(matches, key=len)
    if CONFUSED.get(typed) in known:
        return CONFUSED[typed]
    close = difflib.get_close_matches(typed, known, n=1)
    return close[0] if close else None


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
