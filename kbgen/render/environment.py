"""The Jinja2 environment that turns the model into Markdown pages, and its escaping filters."""

from __future__ import annotations

import re

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import escape

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]])")


def markdown_text(text: str) -> str:
    """Literal text inside Markdown: HTML-escaped and with Markdown syntax characters escaped."""
    escaped = str(escape(text))
    return _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)


def html_attribute(text: str) -> str:
    """Escaped for HTML; Markup, so HTML templates (which autoescape) do not escape it twice."""
    return escape(text)


def front_matter(meta: dict[str, object]) -> str:
    """A YAML front-matter block for a generated page (title, description, search boost…).

    The theme writes `title` and `description` into the page as HTML, unescaped (header,
    `<title>`, meta tags, navigation), so they are escaped here: a story titled with markup
    shows the markup as text instead of running it."""
    meta = {
        key: str(escape(value)) if key in {"title", "description"} else value
        for key, value in meta.items()
    }
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n"


def one_line(text: str) -> str:
    return " ".join(text.split())


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kbgen", "templates"),
        # Markdown templates escape explicitly (`attr`, `md_text`); HTML and SVG ones always.
        autoescape=select_autoescape(enabled_extensions=("html.j2", "svg.j2", "css.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md_text=markdown_text, attr=html_attribute, front_matter=front_matter, one_line=one_line
    )
    return env
