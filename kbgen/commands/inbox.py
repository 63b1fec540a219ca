"""`kbgen inbox`: the optional inbox alone, for a site that an intranet web server serves."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

DESCRIPTION = (
    "Run the inbox alone: it receives stories from the share form, search gaps and 'Did this "
    "help?' votes at /inbox/api/, checks them as the build does and keeps them in SQLite. Put "
    "it behind the web server that serves the site, at /inbox/ of the same origin."
)
PORT = 8765


def add_parser(commands: argparse._SubParsersAction) -> None:
    from kbgen.inbox.server import add_options

    inbox = commands.add_parser("inbox", help="run the inbox alone", description=DESCRIPTION)
    add_options(inbox, PORT)
    inbox.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kbgen.inbox.server import serve, start

    started = start(args, "inbox")
    if started is None:
        return 2
    app, settings = started
    trainers = "on" if settings.token else "off (no KBGEN_INBOX_TOKEN)"
    print(
        f"kbgen inbox: http://{args.host}:{args.port}/inbox/api/, keeping what it receives in "
        f"{settings.database}; trainer endpoints {trainers}. Ctrl-C stops it.",
        file=sys.stderr,
        flush=True,
    )
    return serve(app, args.host, args.port)
