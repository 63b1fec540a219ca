"""Every option of the kbgen MkDocs plugin, with its default."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class KbgenConfig(Config):
    # Content: the folder of structured entries, relative to mkdocs.yml.
    snippets_dir = c.Type(str, default="snippets")

    # Navigation: build the site navigation from the model when mkdocs.yml has no `nav`.
    generate_nav = c.Type(bool, default=True)
