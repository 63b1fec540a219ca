"""Running the inbox: its command-line options, its settings from them, and uvicorn.

`kbgen inbox` runs the inbox alone (behind the intranet's web server); `kbgen serve` runs the
built site and the inbox on one origin, in one process, for a team without a web server.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import logging
import os
import re
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.inbox import PREFIX
from kbgen.inbox.settings import (
    DEFAULT_DATABASE,
    TOKEN_MIN_CHARS,
    TOKEN_VARIABLE,
    InboxSettings,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from starlette.types import ASGIApp

    from kbgen.inbox.submissions import KnownIds

log = logging.getLogger("kbgen.inbox")


class StartError(Exception):
    """The inbox cannot start; the message says why and what to do."""


def add_options(parser: argparse.ArgumentParser, port: int) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0: everyone "
        "who can reach this machine)",
    )
    parser.add_argument("--port", type=int, default=port, help=f"port (default: {port})")
    parser.add_argument(
        "--db",
        default=os.environ.get("KBGEN_INBOX_DB", DEFAULT_DATABASE),
        help=f"the inbox's SQLite file, created if missing (default: {DEFAULT_DATABASE}, or "
        "$KBGEN_INBOX_DB)",
    )
    parser.add_argument(
        "--token-file",
        help=f"a file holding the trainer token (default: ${TOKEN_VARIABLE}); without one, "
        "trainer endpoints are off",
    )
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=60,
        metavar="N",
        help="requests per minute from one client (default: 60; 0: no limit)",
    )
    parser.add_argument(
        "--proxy",
        metavar="ADDRESS",
        type=_ip_address,
        help="the address of a reverse proxy in front of the inbox: only its X-Forwarded-For "
        "is believed (default: none; every request counts against the address it came from)",
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="URL",
        help="another origin whose pages may send (default: only the inbox's own origin)",
    )


def read_token(token_file: str | None) -> str | None:
    """The trainer token from --token-file or the environment; None when there is none."""
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise StartError(f"cannot read the token file {token_file}: {exc}") from None
    else:
        token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return None
    if len(token) < TOKEN_MIN_CHARS or not token.isprintable():
        raise StartError(
            f"the trainer token is too short or not printable: use at least {TOKEN_MIN_CHARS} "
            "characters, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe())'"
        )
    return token


def settings_from(args: argparse.Namespace, known: KnownIds | None) -> InboxSettings:
    origins = set()
    for origin in args.allow_origin:
        if not re.match(r"^https?://[^/\s]+$", origin.rstrip("/")):
            raise StartError(
                f"--allow-origin {origin}: give scheme and host, like https://kb.example"
            )
        origins.add(origin.rstrip("/"))
    return InboxSettings(
        database=Path(args.db),
        token=read_token(args.token_file),
        rate_per_minute=max(args.rate_limit, 0),
        allowed_origins=frozenset(origins),
        known=known,
        proxy=getattr(args, "proxy", None) or None,
    )


def known_ids(config_file: str) -> KnownIds | None:
    """The handbook's technique and situation ids, when mkdocs.yml is at hand: stories and
    votes naming anything else are refused. None (ids unchecked) without a project."""
    from kbgen.inbox.submissions import KnownIds

    if not Path(config_file).is_file():
        log.info("no %s here: technique and situation ids are not checked", config_file)
        return None
    from kbgen.build import build
    from kbgen.site.project import ProjectError, load_project

    try:
        handbook = build(load_project(config_file).settings, "content").handbook
    except ProjectError as exc:
        log.warning("%s; technique and situation ids are not checked", exc)
        return None
    return KnownIds(frozenset(handbook.techniques), frozenset(handbook.situations))


def warm_up() -> None:
    """Load the story checks' tables now, not on the first agent's story."""
    from kbgen.stories.checks import check_text

    check_text("warming up the checks on a call")


def site_app(folder: Path, database: Path) -> ASGIApp:
    """The built site as static files; refuses a folder that is no site, and a database
    inside it (the site's files are everyone's to download)."""
    from starlette.staticfiles import StaticFiles

    if not (folder / "index.html").is_file():
        raise StartError(f"{folder} has no index.html: build the site first (mkdocs build)")
    if database.resolve().is_relative_to(folder.resolve()):
        raise StartError(f"the inbox database {database} is inside the site folder {folder}")
    home = (folder / "index.html").read_text(encoding="utf-8", errors="replace")
    found = re.search(r'<meta name="kbgen-inbox" content="([^"]*)"', home)
    if found is None:
        log.warning(
            "the site in %s was built without inbox_url: its pages do not use the inbox. Set "
            "'inbox_url: %s/' under the kbgen plugin in mkdocs.yml and build again",
            folder,
            PREFIX,
        )
    elif found.group(1) != PREFIX + "/":
        log.warning("the site's inbox_url is %s; kbgen serve runs it at %s/", found[1], PREFIX)
    return StaticFiles(directory=folder, html=True)


def uvicorn_server(app: ASGIApp, host: str, port: int):  # -> uvicorn.Server
    import uvicorn

    proxy = getattr(app, "proxy", None)  # create_app's, from the settings

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # kbgen's logging: one format, and…
        access_log=False,  # …no access log: it would keep every agent's address
        server_header=False,
        # a client's X-Forwarded-For is believed only from the proxy named with --proxy: a
        # local process rotating the header is counted as itself
        proxy_headers=proxy is not None,
        forwarded_allow_ips=proxy or "",
        lifespan="on",
        http="h11",
        ws="none",
        loop="asyncio",
        timeout_keep_alive=5,
        limit_concurrency=512,
    )
    return uvicorn.Server(config)


def start(
    args: argparse.Namespace, command: str, site: Path | None = None
) -> tuple[ASGIApp, InboxSettings] | None:
    """What `kbgen inbox` and `kbgen serve` share before listening: logging, the settings, the
    app (with the built site when given), the checks' tables. None, with the reason printed,
    when it cannot start."""
    from kbgen.inbox.app import create_app  # Starlette is imported only to start an inbox
    from kbgen.inbox.store import StoreError

    configure_logging()
    try:
        static = site_app(site, Path(args.db)) if site is not None else None
        settings = settings_from(args, known_ids(args.config))
        app = create_app(settings, static)
    except (StartError, StoreError) as exc:
        print(f"kbgen {command}: {exc}", file=sys.stderr)
        return None
    warm_up()
    return app, settings


def configure_logging() -> None:
    """One line per event on stderr: what was kept, what was refused and why."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")


def serve(app: ASGIApp, host: str, port: int) -> int:
    """Serve until Ctrl-C or SIGTERM; the exit status."""
    server = uvicorn_server(app, host, port)
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits when it cannot listen
        return int(exc.code or 1)
    return 0 if server.started else 1


@contextlib.contextmanager
def running(app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `app` in a thread on `port` of `host` (0: a free one); yields the base URL (for
    tests and benchmarks). The server stops when the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    port = sock.getsockname()[1]
    server = uvicorn_server(app, host, port)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise StartError("the inbox did not start within 10 s")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _ip_address(text: str) -> str:
    """The proxy's address as an argument: an IP address, as requests arrive from it."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an IP address: give the proxy's, e.g. --proxy 127.0.0.1"
        ) from None
