"""What is wrong with a request, in words an agent (or a CRM's developer) can act on: one
`FieldProblem` per field, all of them in one answer.

`explain` turns the wire models' validation errors (kbgen/inbox/contract.py) into problems;
the content checks (personal data, spam, unsafe content) add theirs in submissions.py.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from kbgen.loading.schema_errors import closest_field
from kbgen.stories.checks import BLOCKING

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails


@dataclass(frozen=True)
class FieldProblem:
    """One thing to fix, at one field of the form or the request."""

    field: Annotated[
        str | None, Field(description="the field of the request; null: the request as a whole")
    ]
    what: Annotated[str, Field(description="what is wrong, in an agent's words")]
    fix: Annotated[str, Field(description="what to do about it")]
    category: Annotated[
        str,
        Field(
            description="'invalid' (the shape of the request), or the story check that found "
            f"it: {', '.join(repr(c) for c in sorted(BLOCKING))}"
        ),
    ] = "invalid"

    def as_json(self) -> dict[str, str | None]:
        return asdict(self)


class Invalid(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.what}" for p in problems))
        self.problems = problems


LABELS = {
    "title": "the title",
    "author": "your name",
    "channel": "the channel",
    "situations": "what was happening on the call",
    "techniques": "the techniques that helped",
    "outcome": "how it ended",
    "lesson": "the lesson",
    "body": "what happened",
    "submission": "the submission key",
    "comment": "the comment",
    "query": "the query",
    "found": "the number of results",
    "retried": "retried",
    "location": "the page address",
    "rank": "the result's rank",
    "page": "the page",
    "helped": "helped",
    "vote": "the vote key",
    "receipt": "the receipt",
    "story_id": "the story id",
}

PATTERN_PROBLEMS = {
    "situations": ("names something the handbook has no page for", "reload the page"),
    "techniques": ("names something the handbook has no page for", "reload the page"),
    "submission": ("is malformed", "reload the page (a key is 16 to 64 letters, digits, - or _)"),
    "location": ("is not a page address", "send the page's path, like /techniques/stay-calm/"),
    "page": ("is not a technique or situation", "send technique/<id> or situation/<id>"),
    "vote": ("is malformed", "send the key the vote was answered with"),
    "receipt": ("is malformed", "send the story's receipt, like KB-7F3Q-9M2X"),
    "story_id": ("is not a story id", "send the id of the story file written, like late-engineer"),
}
"""A field whose pattern does not match: what its value should have been. A text field's
pattern only refuses control characters."""

TYPES = {
    "string_type": "text (a JSON string)",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
}


def explain(error: ValidationError, model: type[BaseModel]) -> list[FieldProblem]:
    """Every field's problem, the first of each field only (a field is fixed in one go)."""
    problems: dict[str | None, FieldProblem] = {}
    for detail in error.errors(include_url=False):
        field = str(detail["loc"][0]) if detail["loc"] else None
        if field not in problems:
            problems[field] = _problem(field, detail, model)
    return list(problems.values())


def _problem(field: str | None, detail: ErrorDetails, model: type[BaseModel]) -> FieldProblem:
    kind, ctx = detail["type"], detail.get("ctx", {})
    label = LABELS.get(field or "", f"'{field}'" if field else "the request")
    fill = "fill in" if field in STORY_FORM else "send"
    if kind == "missing":
        return FieldProblem(field, f"{label} is missing", f"{fill} {label}")
    if kind == "extra_forbidden":
        return _unknown(str(field), model)
    if kind == "too_short":
        choose = "choose" if field in STORY_FORM else "send"
        return FieldProblem(field, f"{label}: none given", f"{choose} at least {ctx['min_length']}")
    if kind == "string_too_short":
        return FieldProblem(field, f"{label} is empty", f"{fill} {label}")
    if kind in ("string_too_long", "too_long"):
        unit = "characters" if kind == "string_too_long" else "items"
        return FieldProblem(field, f"{label} is too long", f"keep it to {ctx['max_length']} {unit}")
    if kind == "string_unicode":
        return FieldProblem(field, f"{label} holds broken characters", "type it again")
    if kind == "string_pattern_mismatch":
        what, fix = PATTERN_PROBLEMS.get(field or "", ("holds control characters", "type it again"))
        return FieldProblem(field, f"{label} {what}", fix)
    if kind in ("enum", "literal_error"):
        return _not_offered(field, label, detail["input"], ctx.get("expected", ""))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(model, field)
        return FieldProblem(field, f"{label} is not from {low} to {high}", "send a number in range")
    if kind in TYPES:
        return FieldProblem(field, f"{label} has the wrong type", f"send {TYPES[kind]}")
    return FieldProblem(field, f"{label}: {detail['msg']}", "send it as the API description says")


STORY_FORM = ("title", "author", "channel", "situations", "techniques", "outcome", "lesson", "body")


def _unknown(name: str, model: type[BaseModel]) -> FieldProblem:
    known = list(model.model_fields)
    close = closest_field(name, known) if len(name) <= 40 else None
    hint = f"did you mean '{close}'? " if close else ""
    return FieldProblem(
        name[:40], "is not a field of this request", f"{hint}send only {', '.join(known)}"
    )


def _not_offered(field: str | None, label: str, value: Any, expected: str) -> FieldProblem:
    """An enum's value the form does not offer: which values it does, and the one meant when
    the value is one of them spelt another way ("e-mail", "E-Mail", "Phone" and the like)."""
    allowed = re.findall(r"'([^']*)'", expected) or ["?"]
    quoted = [f'"{a}"' for a in allowed]
    choices = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    meant = None
    if isinstance(value, str):
        typed = re.sub(r"[\s_-]+", "", value).casefold()
        meant = next((a for a in allowed if re.sub(r"[\s_-]+", "", a).casefold() == typed), None)
    short = isinstance(value, str) and len(value) <= 20 and value.isprintable()
    shown = f' "{value}"' if short else ""
    fix = f'did you mean "{meant}"? send {choices}' if meant else f"send {choices}"
    return FieldProblem(field, f"{label}{shown} is not one the form offers", fix)


def _bounds(model: type[BaseModel], field: str | None) -> tuple[Any, Any]:
    info = model.model_fields.get(field or "")
    low = high = None
    for rule in info.metadata if info else ():
        low = getattr(rule, "ge", low)
        high = getattr(rule, "le", high)
    return low, high
