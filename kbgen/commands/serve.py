"""`kbgen serve --site site/`: the built handbook and its inbox on one origin, in one process,
for a team with no web server admin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

DESCRIPTION = (
    "Serve the built site (mkdocs build) and the inbox at /inbox/ of the same address, in one "
    "process: stories from the share form, search gaps and 'Did this help?' votes are kept in "
    "SQLite. Build the site with 'inbox_url: /inbox/' so its pages use the inbox."
)
PORT = 8080


def add_parser(commands: argparse._SubParsersAction) -> None:
    from kbgen.inbox.server import add_options

    serve = commands.add_parser(
        "serve", help="serve the built site and the inbox together", description=DESCRIPTION
    )
    serve.add_argument("--site", default="site", help="the built site's folder (default: site)")
    add_options(serve, PORT)
    serve.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kbgen.inbox.server import serve, start

    started = start(args, "serve", site=Path(args.site))
    if started is None:
        return 2
    app, settings = started
    local = args.host in ("127.0.0.1", "localhost")
    where = (
        "this machine only: --host 0.0.0.0 lets the team in"
        if local
        else "open to everyone who can reach this machine"
    )
    print(
        f"kbgen serve: the handbook at http://{args.host}:{args.port}/ ({where}); its inbox at "
        f"/inbox/, keeping what it receives in {settings.database}. Ctrl-C stops it.",
        file=sys.stderr,
        flush=True,
    )
    return serve(app, args.host, args.port)
