"""Where in a story's file a finding is: the line of its field, or of the body's line that holds
it (the checks read fields as parsed and rendered, so positions are approximate there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbgen.stories.normalise import normalise

if TYPE_CHECKING:
    from kbgen.loading.origins import Origin
    from kbgen.stories.checks import Finding

FIELD_PATHS = {"commenter": ("source", "commenter")}


def story_line(origin: Origin, finding: Finding) -> int | None:
    parsed = origin.parsed
    if parsed is None:
        return None
    if finding.field != "body":
        return parsed.line_of(FIELD_PATHS.get(finding.field, (finding.field,)))
    wanted = _squeezed(finding.excerpt)
    if wanted:
        for offset, line in enumerate(parsed.body.splitlines()):
            if wanted in _squeezed(normalise(line).lower):
                return parsed.body_line + offset
    return parsed.body_line


def _squeezed(text: str) -> str:
    """Letters and digits only: Markdown marks and separators do not hide a match."""
    return "".join(c for c in text if c.isalnum())
