"""A project's settings, read from mkdocs.yml the way MkDocs reads them, for plugin and CLI alike.

The CLI loads mkdocs.yml with MkDocs' own `load_config`, so `!ENV` tags, defaults and every
option of the kbgen plugin (`snippets_dir`, `review_after_days`, …) mean the same to
`kbgen check` as to `mkdocs build`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.build import Settings
from kbgen.site.config import KbgenConfig

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

PLUGIN_NAME = "kbgen"


class ProjectError(Exception):
    """mkdocs.yml cannot be read, or does not use kbgen; the message says how to fix it."""


def settings_for(config: MkDocsConfig, options: KbgenConfig) -> Settings:
    """The build settings of a loaded mkdocs.yml and the kbgen plugin's options in it."""
    root = Path(config.config_file_path or ".").resolve().parent
    return Settings(
        snippets_dir=root / options.snippets_dir,
        root=root,
        docs_dir=Path(config.docs_dir),
        use_directory_urls=config.use_directory_urls,
        review_after_days=options.review_after_days,
        stale_entries=options.stale_entries,
        site_url=config.site_url or None,
        safeguarding_url=options.safeguarding_url,
        safeguarding_phone=options.safeguarding_phone,
    )


@dataclass
class Project:
    settings: Settings
    config_file: Path | None  # None: no mkdocs.yml, kbgen's defaults apply


def load_project(config_file: str | Path = "mkdocs.yml") -> Project:
    """The project whose settings mkdocs.yml gives; kbgen's defaults when there is none."""
    path = Path(config_file)
    if not path.is_file():
        options = default_options()
        root = Path.cwd().resolve()
        docs = root / "docs"
        settings = Settings(
            snippets_dir=root / options.snippets_dir,
            root=root,
            docs_dir=docs if docs.is_dir() else None,
            review_after_days=options.review_after_days,
            stale_entries=options.stale_entries,
        )
        return Project(settings, None)
    config = load_mkdocs_config(path)
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise ProjectError(
            f"{path} does not use the kbgen plugin.\n"
            "    fix: add '- kbgen' under 'plugins:' in it (see README, Quick start)"
        )
    return Project(settings_for(config, plugin.config), path)


def load_mkdocs_config(path: Path, **overrides: object) -> MkDocsConfig:
    from mkdocs import exceptions
    from mkdocs.config import load_config

    quiet = logging.getLogger("mkdocs")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # config notes belong to `mkdocs build`, not to every command
    try:
        return load_config(str(path), **overrides)
    except exceptions.ConfigurationError as exc:
        raise ProjectError(
            f"{path}: {exc}\n    fix: correct mkdocs.yml as the message says"
        ) from None
    except exceptions.Abort as exc:
        raise ProjectError(f"{path}: {exc}") from None
    finally:
        quiet.setLevel(level)


def default_options() -> KbgenConfig:
    options = KbgenConfig()
    options.load_dict({})
    errors, _ = options.validate()
    assert not errors
    return options
