"""The Jinja2 environment that turns the model into Markdown pages, and its escaping filters."""

from __future__ import annotations

import html
import json
import os
import re
from functools import cache
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import escape

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]])")


def markdown_text(text: str) -> str:
    """Literal text inside Markdown: typeset, HTML-escaped and with Markdown syntax characters
    escaped."""
    escaped = html.escape(typeset(text), quote=False)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)


_OPENING_SINGLE = re.compile(r"(^|[\s(\[{“‘—–-])'")
_OPENING_DOUBLE = re.compile(r'(^|[\s(\[{‘—–-])"')


def typeset(text: str) -> str:
    """Curly quotes and apostrophes, one kind everywhere ("I'm" → "I’m", "a 'word'" →
    "a ‘word’"), as Python-Markdown's smarty sets the Markdown text of the same pages. Used for
    text placed in raw HTML, card faces and page titles, which smarty never sees."""
    if "'" not in text and '"' not in text:
        return text
    text = _OPENING_SINGLE.sub(r"\1‘", text)
    text = _OPENING_DOUBLE.sub(r"\1“", text)
    return text.replace("'", "’").replace('"', "”")


def html_attribute(text: str) -> str:
    """Escaped for HTML; Markup, so HTML templates (which autoescape) do not escape it twice."""
    return escape(text)


def front_matter(meta: dict[str, object]) -> str:
    """A YAML front-matter block for a generated page (title, description, search boost…).

    The theme writes `title` and `description` into the page as HTML, unescaped (header,
    `<title>`, meta tags, navigation), so they are escaped here: a story titled with markup
    shows the markup as text instead of running it."""
    shown = {"title", "description"}
    lines = [
        f"{key}: {json.dumps(str(escape(typeset(value))) if key in shown else value)}"
        for key, value in meta.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n"  # JSON values are valid YAML, and quick


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar that reads as written ("Use the customer's name")."""
    return json.dumps(text, ensure_ascii=False)


def one_line(text: str) -> str:
    return " ".join(text.split())


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept between builds (keyed by each template's checksum), in the
    user's cache folder: compiling them is most of a small handbook's build time in kbgen."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kbgen" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


@cache  # one environment: its compiled templates are reused by every page and card
def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kbgen", "templates"),
        bytecode_cache=_bytecode_cache(),
        # Markdown templates escape explicitly (`attr`, `md_text`); HTML and SVG ones always.
        autoescape=select_autoescape(enabled_extensions=("html.j2", "svg.j2", "css.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md_text=markdown_text,
        attr=html_attribute,
        front_matter=front_matter,
        one_line=one_line,
        yaml_string=yaml_string,
        typeset=typeset,
    )
    return env
