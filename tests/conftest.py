"""Shared fixtures: a small handbook project in tmp_path, and the bundled handbook built once.

Tests fall into tiers by what they do, marked here from the fixtures and helpers they use, so
a new test lands in the right one: `browser` (headless Chromium), `build` (a site or PDF
build, in this process or another), `slow` (marked by hand), and `fast`: every other test
(model, loader, render, checks and the CLI, in-process), which `pytest -m fast` runs alone.
A fast test that starts a MkDocs build fails, naming the marker it needs.

The suite keeps its own cache folder (`.pytest_cache/d/kbgen`, as XDG_CACHE_HOME for every
build and command it starts), never the user's `~/.cache`. Under pytest-xdist the workers
share it, and share one build of the bundled handbook.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import chromium, serve_folder
from factory import write_handbook
from filelock import FileLock

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "articles"
"""The four source articles as stored, for the quote checks (the tests read nothing outside
the repository)."""
TODAY_EPOCH = "1764028800"
"""2025-11-25, as SOURCE_DATE_EPOCH: builds judge freshness on a fixed day, so a test does
not start failing when the entries' review dates age."""


def run(
    args: list[str], cwd: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command the way a trainer would, from the project folder."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONWARNINGS": "ignore",
        "SOURCE_DATE_EPOCH": TODAY_EPOCH,
        **(env or {}),
    }
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def in_project(project: Path, env: dict[str, str] | None = None) -> Iterator[None]:
    """Run code as if from the project folder, on the fixed day, then restore everything."""
    changes = {"SOURCE_DATE_EPOCH": TODAY_EPOCH, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    saved = {name: os.environ.get(name) for name in changes}
    previous_dir = Path.cwd()
    os.environ.update(changes)
    os.chdir(project)
    try:
        yield
    finally:
        os.chdir(previous_dir)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def mkdocs_build(
    project: Path,
    site: Path | None = None,
    strict: bool = True,
    env: dict[str, str] | None = None,
) -> Ran:
    """`mkdocs build [--strict] -d site` in this process, its log as the command prints it."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    code = 0
    try:
        with in_project(project, env):
            config = load_config(
                str(project / "mkdocs.yml"),
                site_dir=str(site or project / "site"),
                strict=strict,
            )
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except (exceptions.Abort, exceptions.ConfigurationError) as exc:
        log.write(f"Aborted: {exc}\n")
        code = 1
    except Exception:  # as the command line shows it
        log.write(traceback.format_exc())
        code = 1
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    return Ran(code, "", log.getvalue())


def kbgen(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kbgen …` as its own process, as a trainer types it."""
    return run([sys.executable, "-m", "kbgen.cli", *args], project)


def cli(project: Path, *args: str) -> Ran:
    """`kbgen …` called in this process (the same `main`, without starting Python again)."""
    from kbgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    with in_project(project), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's --help and usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return Ran(code, out.getvalue(), err.getvalue())


BUNDLED_CARDS = sorted(path.stem for path in (REPO / "snippets" / "cards").glob("*.md"))
"""The bundled cards' ids, for parametrizing without loading the handbook at import."""


@pytest.fixture(scope="session")
def handbook():
    """The bundled handbook, loaded once."""
    from kbgen.loading.loader import load_handbook

    return load_handbook(REPO / "snippets", REPO)


BUILDS = ("mkdocs_build(", " kbgen(", "bundled_site", "Popen(", '"mkdocs", "build"')
"""Calls that start a build or a command in another process."""


def _sources(item: pytest.Item) -> str:
    """The code of a test and of the fixtures it uses (those of this suite)."""
    functions = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    for definitions in info.name2fixturedefs.values() if info else ():
        functions += [definition.func for definition in definitions]
    texts = []
    for function in functions:
        with contextlib.suppress(OSError, TypeError):
            if function is not None and "tests" in Path(inspect.getfile(function)).parts:
                texts.append(inspect.getsource(function))
    return "\n".join(texts)


def pytest_configure(config: pytest.Config) -> None:
    """The suite's own cache folder, kept between runs (`pytest --cache-clear` empties it)."""
    cache = getattr(config, "cache", None)
    if cache is not None:
        folder = cache.mkdir("kbgen")
    else:  # run with -p no:cacheprovider: a folder for this run only
        folder = Path(tempfile.mkdtemp(prefix="kbgen-test-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(folder)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, from what its code and fixtures use."""
    for item in items:
        source = _sources(item)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if any(b in source for b in BUILDS):
            item.add_marker(pytest.mark.build)
        if not any(item.get_closest_marker(tier) for tier in ("browser", "build", "slow")):
            item.add_marker(pytest.mark.fast)
        if _uses_a_module_fixture(item):  # one xdist worker runs them: the fixture runs once
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    items[:] = _in_running_order(items)


def _in_running_order(items: list[pytest.Item]) -> list[pytest.Item]:
    """A test of the bundled site first (its build, the run's longest, starts at once on one
    worker), then the fast tier (the other worker's work meanwhile), then the rest as found."""
    needs_site = [i for i in items if "bundled_site" in getattr(i, "fixturenames", ())]
    first = needs_site[:1]
    fast = [i for i in items if i.get_closest_marker("fast") and i not in first]
    rest = [i for i in items if i not in first and not i.get_closest_marker("fast")]
    return first + fast + rest


def _uses_a_module_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info else ()
    return any(d.scope == "module" for defs in definitions for d in defs)


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder every xdist worker of this run sees (the run's own one without xdist)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the workers' temporary folders sit side by side in it
    return root / name


@pytest.fixture(autouse=True)
def _fast_tests_build_nothing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A test of the fast tier that starts a MkDocs build in this process fails, naming the
    marker it needs (`kbgen check` builds too: its trial build asks MkDocs for warnings)."""
    if request.node.get_closest_marker("fast") is None:
        return

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("this test builds a site: mark it @pytest.mark.build (conftest.py)")

    import mkdocs.commands.build

    monkeypatch.setattr(mkdocs.commands.build, "build", refuse)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid little handbook project a test may change."""
    return write_handbook(tmp_path / "project")


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own handbook, built once per run with `mkdocs build --strict` (the
    first worker to need it builds it; the others wait for that build). Tests only read it."""
    folder = shared_folder(tmp_path_factory, "bundled")
    folder.mkdir(parents=True, exist_ok=True)
    copy, built = folder / "handbook", folder / "built"
    with FileLock(folder / ".lock"):
        if not built.exists():
            shutil.rmtree(copy, ignore_errors=True)
            copy_of_the_repository(copy)
            result = mkdocs_build(copy)
            assert result.returncode == 0, result.stderr
            built.write_text("built\n")
    return copy / "site"


def copy_of_the_repository(folder: Path, *leave_out: str) -> Path:
    """The repository as a trainer's project in `folder`: no built site, git or caches."""
    ignored = ("site", ".git", "*.egg-info", "__pycache__", ".*_cache", *leave_out)
    shutil.copytree(REPO, folder, ignore=shutil.ignore_patterns(*ignored))
    return folder


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `project` fixture's handbook, unchanged, built once per run with `mkdocs build
    --strict` (shared by the workers): a test that needs it published copies it."""
    folder = shared_folder(tmp_path_factory, "small")
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / ".lock"):
        if not (folder / "built").exists():
            shutil.rmtree(folder / "project", ignore_errors=True)
            project = write_handbook(folder / "project")
            result = mkdocs_build(project)
            assert result.returncode == 0, result.stderr
            (folder / "built").write_text("built\n")
    return folder / "project" / "site"


@pytest.fixture(scope="session")
def site_url(bundled_site: Path):
    """The bundled handbook served on loopback, as on an intranet web server."""
    with serve_folder(bundled_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    with chromium() as instance:
        yield instance
