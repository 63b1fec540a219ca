"""A full MkDocs build into a throw-away folder, for what only MkDocs can tell: its own warnings
(a broken link or anchor in a hand-written page, a page missing from the navigation…)."""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.problems import Problem, shown_path
from kbgen.site.project import load_mkdocs_config

if TYPE_CHECKING:
    from kbgen.build import Settings

KBGEN_LOGGER = "mkdocs.plugins.kbgen"
_DOC_FILE = re.compile(r"Doc file '([^']+)'")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(KBGEN_LOGGER):  # kbgen's own are reported already
            self.records.append(record)


def trial_build(config_file: Path, settings: Settings) -> list[Problem]:
    """MkDocs' warnings and errors for a build of the project, as problems (nothing is kept)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, BuildError

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    quiet, level = logger.propagate, logger.level
    logger.propagate = False  # the trial's own log lines would read like a real build's
    try:
        with tempfile.TemporaryDirectory(prefix="kbgen-check-") as folder:
            config = load_mkdocs_config(config_file, site_dir=str(Path(folder) / "site"))
            config.strict = False  # collect every warning instead of stopping at the first
            try:
                mkdocs_build(config)
            except (Abort, BuildError) as exc:
                collect.records.append(
                    logging.makeLogRecord({"msg": str(exc), "levelno": logging.ERROR})
                )
    finally:
        logger.removeHandler(collect)
        logger.propagate, logger.level = quiet, level
    return [_as_problem(record, settings) for record in collect.records]


def _as_problem(record: logging.LogRecord, settings: Settings) -> Problem:
    message = record.getMessage().strip()
    match = _DOC_FILE.search(message)
    file = "mkdocs"
    if match and settings.docs_dir is not None:
        file = shown_path(settings.docs_dir / match.group(1), settings.root)
    severity = "error" if record.levelno >= logging.ERROR else "warning"
    return Problem(file, None, f"MkDocs: {message}", "", severity)
