"""One-line directives that embed entries in hand-written pages, kept in sync on every build.

    <!-- kbgen:summary technique/stay-calm -->     the entry's one-line summary
    <!-- kbgen:link situation/customer-is-yelling -->  a link with the entry's title
    <!-- kbgen:phrases technique/empathize -->     its phrases to say and to avoid
    <!-- kbgen:card irate-caller-flow -->          the card, front and back

A directive is an HTML comment, so a page still reads sensibly where kbgen is not running.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbgen.model.kinds import BY_NAME, KINDS
from kbgen.problems import Problem

if TYPE_CHECKING:
    from kbgen.model.entries import Entry
    from kbgen.model.handbook import Handbook
    from kbgen.render.pages import PageRenderer

DIRECTIVE = re.compile(r"<!--\s*kbgen:(?P<name>[\w-]+)\s+(?P<target>[^\s>]+)\s*-->")
NAMES = {"summary": "an entry", "link": "an entry", "phrases": "a technique", "card": "a card"}


@dataclass(frozen=True)
class Directive:
    line: int
    name: str
    target: str
    span: tuple[int, int]


_CODE = re.compile(r"^(?P<fence>```|~~~).*?^(?P=fence)|`[^`\n]+`", re.M | re.S)


def find(markdown: str) -> list[Directive]:
    """Directives in a page, except those shown as code (a page documenting the syntax)."""
    code = [m.span() for m in _CODE.finditer(markdown)]
    return [
        Directive(markdown.count("\n", 0, m.start()) + 1, m["name"], m["target"], m.span())
        for m in DIRECTIVE.finditer(markdown)
        if not any(a <= m.start() < b for a, b in code)
    ]


def resolve(handbook: Handbook, directive: Directive) -> Entry | str:
    """The entry a directive names, or why it names none."""
    if directive.name not in NAMES:
        return f"unknown directive 'kbgen:{directive.name}'; use one of: {', '.join(NAMES)}"
    target = directive.target
    if directive.name == "card":
        target = target if "/" in target else f"card/{target}"
    kind, _, entry_id = target.partition("/")
    registered = BY_NAME.get(kind)
    if registered is None or not registered.embeddable:
        kinds = ", ".join(k.name for k in KINDS if k.embeddable)
        return f"'{directive.target}' should be kind/id, like technique/stay-calm (kinds: {kinds})"
    entries = getattr(handbook, registered.folder)
    if directive.name == "phrases" and kind != "technique":
        return "'kbgen:phrases' takes a technique, like technique/empathize"
    if entry_id not in entries:
        return f"unknown {kind} '{entry_id}'"
    return entries[entry_id]


def problems(
    handbook: Handbook, page: str, markdown: str, broken: set[tuple[str, str]] = frozenset()
) -> list[Problem]:
    """Every directive on a hand-written page that names nothing (reported before building).
    An entry in `broken` exists but has problems of its own: those are reported already."""
    found = []
    for directive in find(markdown):
        resolved = resolve(handbook, directive)
        kind, _, entry_id = directive.target.rpartition("/")
        if isinstance(resolved, str) and ((kind or "card"), entry_id) not in broken:
            found.append(
                Problem(
                    page,
                    directive.line,
                    f"{resolved}",
                    "name an existing entry by its file name, like "
                    "<!-- kbgen:summary technique/stay-calm -->",
                )
            )
    return found


def expand(renderer: PageRenderer, page: str, markdown: str) -> str:
    """The page with each directive replaced by what it embeds."""
    parts, cursor = [], 0
    for directive in find(markdown):
        entry = resolve(renderer.handbook, directive)
        if isinstance(entry, str):
            continue  # already reported by problems()
        parts.append(markdown[cursor : directive.span[0]])
        parts.append(
            renderer.render(f"directives/{directive.name}.md.j2", page, entry=entry).strip("\n")
        )
        cursor = directive.span[1]
    parts.append(markdown[cursor:])
    return "".join(parts)
