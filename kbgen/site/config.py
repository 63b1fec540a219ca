"""Every option of the kbgen MkDocs plugin, with its default."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from kbgen.inbox.pages import InboxUrl


class KbgenConfig(Config):
    # Content: the folder of structured entries, relative to mkdocs.yml.
    snippets_dir = c.Type(str, default="snippets")

    # Navigation: build the site navigation from the model when mkdocs.yml has no `nav`.
    generate_nav = c.Type(bool, default=True)
    # A section with more entries than this lists only its index page: every page renders the
    # whole navigation, so listing thousands of entries would make the build quadratic.
    nav_max_entries = c.Type(int, default=60)

    # Freshness: advice is due for review this many days after its `reviewed:` date. Overdue
    # entries are listed on the "Needs review" page and reported as warnings (so a strict
    # build fails until they are reviewed) or, with `stale_entries: info`, as information.
    review_after_days = c.Type(int, default=180)
    stale_entries = c.Choice(("warning", "info"), default="warning")

    # Search: index the full text of technique and situation pages, or only their titles,
    # summaries and words. "auto" keeps full text up to FULL_TEXT_LIMIT entry pages: beyond,
    # the index grows past what a browser loads quickly (see README, "Big handbooks").
    search_full_text = c.Choice(("auto", "always", "never"), default="auto")

    # Speed: worker processes for big handbooks in `mkdocs build` (default: one per core).
    workers = c.Optional(c.Type(int))

    # Inbox (optional, kbgen/inbox/): where pages send stories, search gaps and "Did this
    # help?" votes, like /inbox/ (`kbgen serve` runs it there). Unset: pages send nothing and
    # the story form offers its file to download, as it does from a folder or the export.
    inbox_url = InboxUrl()
