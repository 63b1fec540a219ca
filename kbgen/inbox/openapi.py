"""The inbox's API described as OpenAPI 3.1, from the code itself: the addresses from
operations.py, the schemas from contract.py's models (their JSON Schema, as pydantic makes
it from the limits the inbox enforces), summaries from the handlers' docstrings, examples
from examples.py, and the limits from this inbox's settings.
"""

from __future__ import annotations

import inspect
from importlib import metadata
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import models_json_schema

from kbgen.inbox import PREFIX
from kbgen.inbox.contract import SUBMISSION_KEY, Problems, Refusal
from kbgen.inbox.examples import examples, refusal
from kbgen.inbox.operations import OPERATIONS

if TYPE_CHECKING:
    from pydantic import BaseModel

    from kbgen.inbox.examples import Example
    from kbgen.inbox.operations import Operation
    from kbgen.inbox.settings import InboxSettings

JSON = "application/json"
SCHEMAS = "#/components/schemas/{model}"

INTRODUCTION = """\
The inbox of a kbgen handbook: agents' pages send stories, searches and "Did this help?"
answers; trainers' commands read them with the trainer token.

- Bodies are JSON (`Content-Type: application/json`, UTF-8), at most {kb} KB.
- What pages send must come from the handbook's own origin: `Origin` is the inbox's own
  scheme and host (or one given with `--allow-origin`). A CRM posting stories sends that
  `Origin` too.
- {rate}
- Trainer endpoints need `Authorization: Bearer <token>`, the token the inbox was started with
  (`KBGEN_INBOX_TOKEN` or `--token-file`); without one they are off (403).
- A refused submission is answered 422 with **every** problem it has, each at its field
  (`field`, `what`, `fix`, `category`), in one answer.
- Every answer is JSON: a refusal is `{{"error": "..."}}`, and a bug a 500 without details.
"""

REFUSALS = {
    400: "the body is not JSON, not UTF-8, or nests too deeply",
    401: "no token: send Authorization: Bearer <token>",
    409: "{conflict}",
    413: "the body is over {kb} KB",
    415: "not Content-Type: application/json (UTF-8)",
    422: "the request has problems: every one, each at its field, in one answer",
    429: "too many requests from this client: wait Retry-After seconds",
    500: "a bug: the details are in the inbox's log, never in the answer",
}
FORBIDDEN = {
    "page": "not from the handbook's own origin (Origin must be the inbox's, or allowed)",
    "trainer": "a wrong token, trainer access off (started with no token), or another site's page",
}
HEADERS = {
    401: {"WWW-Authenticate": "Bearer"},
    429: {"Retry-After": "seconds to wait before sending again"},
}


def document(settings: InboxSettings, handlers: object) -> dict[str, Any]:
    """The description of this inbox's API; `handlers` has a method per operation, whose
    docstring says what it does."""
    requests = {m for op in OPERATIONS for m in op.request}
    answers = {op.answer for op in OPERATIONS if op.answer is not None} | {Refusal, Problems}
    pairs = [(m, "validation") for m in sorted(requests, key=_name)]
    pairs += [(m, "serialization") for m in sorted(answers, key=_name)]
    refs, schemas = models_json_schema(pairs, ref_template=SCHEMAS)

    def ref(model: type[BaseModel], mode: str) -> dict[str, Any]:
        return refs[(model, mode)]

    found = examples(settings)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        handler = getattr(handlers, op.handler)
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(
            op, inspect.getdoc(handler) or op.handler, ref, found[op.handler], settings
        )
    kb = settings.max_body // 1024
    rate = (
        f"At most {settings.rate_per_minute} requests a minute from one client (429 past it)."
        if settings.rate_per_minute
        else "No rate limit (started with --rate-limit 0)."
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kbgen inbox",
            "version": _version(),
            "description": INTRODUCTION.format(kb=kb, rate=rate),
        },
        "servers": [
            {
                "url": "{base}",
                "description": "the inbox on the handbook's origin",
                "variables": {
                    "base": {
                        "default": PREFIX,
                        "description": "where the inbox is reached: /inbox, or the sub-path a "
                        "proxy maps to it (like /handbook/inbox)",
                    }
                },
            }
        ],
        "tags": [
            {"name": "agents", "description": "what the handbook's pages send"},
            {"name": "trainers", "description": "what trainers' commands read (token only)"},
            {"name": "inbox", "description": "the inbox itself"},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {
                "trainerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "the trainer token the inbox was started with "
                    "(KBGEN_INBOX_TOKEN or --token-file)",
                }
            },
        },
    }


def _operation(
    op: Operation,
    doc: str,
    ref: Any,
    found: list[Example],
    settings: InboxSettings,
) -> dict[str, Any]:
    summary, _, description = doc.partition("\n")
    tag = {"page": "agents", "trainer": "trainers", "anyone": "inbox"}[op.caller]
    operation: dict[str, Any] = {
        "operationId": op.handler,
        "tags": [tag],
        "summary": summary.strip(),
        "description": " ".join(description.split()) or summary.strip(),
    }
    parameters = _parameters(op)
    if parameters:
        operation["parameters"] = parameters
    if op.caller == "trainer":
        operation["security"] = [{"trainerToken": []}]
    if op.request:
        models = [ref(m, "validation") for m in op.request]
        schema = models[0] if len(models) == 1 else {"oneOf": models}
        operation["requestBody"] = {
            "required": True,
            "content": {
                JSON: {"schema": schema, "examples": _examples([e for e in found if e.request])}
            },
        }
    responses: dict[str, Any] = {}
    answer = ref(op.answer, "serialization") if op.answer else _DESCRIPTION
    responses[str(op.status)] = _response(
        (op.answer.__doc__ or "").split("\n")[0] if op.answer else "this description",
        answer,
        [e for e in found if e.status == op.status],
    )
    for status in op.refusals:
        responses[str(status)] = _refusal(status, op, ref, found, settings)
    operation["responses"] = responses
    return operation


_DESCRIPTION = {
    "type": "object",
    "required": ["openapi", "info", "paths"],
    "description": "an OpenAPI 3.1 document",
}


def _refusal(
    status: int, op: Operation, ref: Any, found: list[Example], settings: InboxSettings
) -> dict[str, Any]:
    if status == 422:
        return _response(
            REFUSALS[422], ref(Problems, "serialization"), [e for e in found if e.status == 422]
        )
    words = FORBIDDEN[op.caller] if status == 403 else REFUSALS[status]
    words = words.format(conflict=op.conflict, kb=settings.max_body // 1024)
    message = refusal(status, op.caller, settings)
    response = {
        "description": words,
        "content": {
            JSON: {
                "schema": ref(Refusal, "serialization"),
                "examples": {"refusal": {"summary": words, "value": {"error": message}}},
            }
        },
    }
    if status in HEADERS:
        ((name, meaning),) = HEADERS[status].items()
        response["headers"] = {name: {"description": meaning, "schema": {"type": "string"}}}
    return response


def _response(description: str, schema: dict[str, Any], found: list[Example]) -> dict[str, Any]:
    examples = {e.name: {"summary": e.summary, "value": e.answer} for e in found}
    return {
        "description": description or "done",
        "content": {JSON: {"schema": schema, "examples": examples}},
    }


def _examples(found: list[Example]) -> dict[str, Any]:
    return {e.name: {"summary": e.summary, "value": e.request} for e in found}


def _parameters(op: Operation) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = []
    if op.caller == "page":
        parameters.append(
            {
                "name": "Origin",
                "in": "header",
                "required": True,
                "description": "the handbook's origin (browsers send it): the inbox's own "
                "scheme and host, or one allowed with --allow-origin",
                "schema": {"type": "string"},
                "example": "https://handbook.example",
            }
        )
    if op.conflict:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "the story's key, instead of the body's `submission` (the same "
                "one if both): sent again, the story gets its first receipt back",
                "schema": {"type": "string", "pattern": SUBMISSION_KEY},
                "example": "crm-ticket-48213-story-1",
            }
        )
    for name, meaning in op.query:
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": meaning,
                "schema": {"type": "string"},
            }
        )
    return parameters


def _name(model: type) -> str:
    return model.__name__


def _version() -> str:
    try:
        return metadata.version("kbgen")
    except metadata.PackageNotFoundError:
        return "unknown"
