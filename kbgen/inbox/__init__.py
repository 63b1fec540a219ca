"""The optional inbox: a small web service beside the static site that receives agents' stories,
search gaps and "Did this help?" votes, checks them as the build would and keeps them in SQLite.

The handbook never depends on it: pages learn its address from a `<meta name="kbgen-inbox">`
tag that the plugin writes only when `inbox_url` is set, and every page falls back to what it
did before (the story file to download) when the inbox is off or cannot be reached.

    pages.py (inbox_url, meta tag) ─▶ browser ──JSON──▶ app.py ─▶ guard.py (origin, size,
        rate, token) ─▶ submissions.py (the story checks) ─▶ store.py (SQLite, WAL)
    store.py ◀── sources.py (file or HTTP) ◀── pull.py, reports.py, nearest.py ◀── commands
    server.py: uvicorn, and the built site beside the inbox for `kbgen serve`
    operations.py (every address) + contract.py (every body's model) ─▶ app.py's routes and
        openapi.py's description, GET /inbox/openapi.json, with examples.py's examples
"""

PREFIX = "/inbox"
"""Where the inbox lives on the site's origin: its API is under /inbox/api/."""
