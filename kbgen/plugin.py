"""The MkDocs plugin: a thin adapter between MkDocs events and kbgen's loader and renderers."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel, get_files

from kbgen import parallel
from kbgen.config import KbgenConfig
from kbgen.freshness import overdue, overdue_report, reference_date
from kbgen.loading.loader import load_handbook
from kbgen.loading.problems import HandbookError, format_report
from kbgen.render import directives, urls
from kbgen.render.nav import build_nav, listed_pages
from kbgen.render.pages import PageRenderer, RenderOptions, asset_files, render_pages
from kbgen.search.index import FULL_TEXT_LIMIT, one_document_per_page, site_words
from kbgen.search.terms import page_terms
from kbgen.stories.moderation import published_only, review_stories
from kbgen.timing import Stopwatch

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from kbgen.model.handbook import Handbook

log = logging.getLogger("mkdocs.plugins.kbgen")
NOT_IN_NAV = InclusionLevel.NOT_IN_NAV

THEME_OVERRIDES = Path(__file__).parent / "theme"

REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "admonition", "tables", "toc")
"""The generated pages use these; they are switched on if mkdocs.yml leaves them out."""


class KbgenPlugin(BasePlugin[KbgenConfig]):
    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.generated: list[File] = []
        self.clock = Stopwatch()
        self.renderer: PageRenderer | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` runs a server thread: forking it is unsafe, so it stays single-process
        parallel.configure(self.config.workers if command == "build" else 1)

    @event_priority(50)  # before Material's offline plugin, which adds a CDN shim otherwise
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.snippets_dir = Path(config.config_file_path or ".").parent / self.config.snippets_dir
        config.watch.append(str(self.snippets_dir))
        for name in REQUIRED_MARKDOWN_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # kbgen's theme overrides (accessibility fixes to Material's partials) come first
        config.theme.dirs.insert(0, str(THEME_OVERRIDES))
        config.extra_css[:0] = [urls.STYLESHEET, urls.CARD_STYLESHEET]
        config.extra_javascript += [urls.SCRIPT, urls.STORY_FORM_SCRIPT]
        if _offline_build(config):
            polyfills = config.extra.setdefault("polyfills", [])
            polyfills.insert(0, urls.IFRAME_WORKER_SHIM)
        self.generate_nav = self.config.generate_nav and not config.nav
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Everything that can fail runs here, before MkDocs cleans the previous site/.
        self.clock = Stopwatch()
        self.renderer: PageRenderer | None = None
        try:
            with self.clock.step("load"):
                self.handbook = load_handbook(
                    self.snippets_dir, Path(config.config_file_path or ".").parent
                )
        except HandbookError as exc:
            raise PluginError(
                f"kbgen: the handbook has problems; nothing was built.\n{exc}"
            ) from None
        with self.clock.step("stories"):
            shown = self._published_stories(self.handbook)
        with self.clock.step("cards"):
            pdfs = _checked_card_pdfs(self.handbook)
        self._report_overdue()
        with self.clock.step("render"):
            options = RenderOptions(
                use_directory_urls=config.use_directory_urls,
                fresh_days=self.config.review_after_days,
                today=reference_date(),
            )
            contents: dict[str, str | bytes] = {
                **render_pages(shown, options),
                **asset_files(),
                **pdfs,
            }
        self._check_directives(config)
        self.renderer = PageRenderer(shown, options)
        story_pages = {urls.entry_page("story", story_id) for story_id in shown.stories}
        self.generated = [
            File.generated(
                config,
                path,
                content=text,
                # stories stay out of the navigation: it would list thousands of them
                inclusion=NOT_IN_NAV if path in story_pages else InclusionLevel.UNDEFINED,
            )
            for path, text in contents.items()
        ]
        _refuse_clashes(self.generated, get_files(config))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        with self.clock.step("files"):
            for file in self.generated:
                files.append(file)
            if self.generate_nav and self.handbook is not None:
                config.nav = build_nav(self.handbook, files, self.config.nav_max_entries)
                listed = listed_pages(config.nav)
                for file in self.generated:
                    if file.is_documentation_page() and file.src_uri not in listed:
                        file.inclusion = NOT_IN_NAV  # reached from its index page instead
        return files

    def _check_directives(self, config: MkDocsConfig) -> None:
        """Directives in hand-written pages must name real entries: checked before building."""
        assert self.handbook is not None
        root = Path(config.config_file_path or ".").parent.resolve()
        found = []
        for path in sorted(Path(config.docs_dir).rglob("*.md")):
            text = path.read_text(encoding="utf-8", errors="replace")
            if "kbgen:" in text:
                resolved = path.resolve()
                shown = resolved.relative_to(root) if resolved.is_relative_to(root) else path
                found += directives.problems(self.handbook, shown.as_posix(), text)
        if found:
            raise PluginError(
                "kbgen: hand-written pages embed entries that do not exist; nothing was built.\n"
                + format_report(found)
            )

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """Expand directives in hand-written pages (generated pages have none)."""
        if page.file.generated_by or "kbgen:" not in markdown or self.renderer is None:
            return markdown
        return directives.expand(self.renderer, page.file.src_uri, markdown)

    def _report_overdue(self) -> None:
        assert self.handbook is not None
        items = overdue(self.handbook, self.config.review_after_days, reference_date())
        if items:
            report = log.warning if self.config.stale_entries == "warning" else log.info
            report(
                f"kbgen: {len(items)} entries are past their review date "
                f"({self.config.review_after_days} days), listed on the Needs review page:\n"
                + overdue_report(items)
            )

    def _published_stories(self, handbook: Handbook) -> Handbook:
        """The handbook with only publishable stories; approved ones held back are warnings,
        so `mkdocs build --strict` fails naming them."""
        reviews = review_stories(handbook)
        for review in reviews:
            if review.held_back:
                findings = "; ".join(
                    f"line {f.line}: {f.what}" for f in review.findings if f.blocking
                )
                log.warning(
                    f"kbgen: story '{review.story.id}' ({review.story.source_file}) is approved "
                    f"but not published: {findings}. Fix the file, or run "
                    f"'kbgen stories reject {review.story.id} --reason ...'"
                )
        waiting = sum(1 for r in reviews if r.story.state == "submitted")
        if waiting:
            log.info(f"kbgen: {waiting} submitted stories wait for review (kbgen stories)")
        return published_only(handbook, reviews)

    @event_priority(-50)  # after Material's search writes the index, before offline inlines it
    def on_post_build(self, config: MkDocsConfig) -> None:
        path = Path(config.site_dir) / "search" / "search_index.json"
        if self.handbook is None or not path.exists():
            return
        with self.clock.step("search"):
            index = json.loads(path.read_text(encoding="utf-8"))
            terms = page_terms(self.handbook, site_words(index), config.use_directory_urls)
            entries = len(self.handbook.techniques) + len(self.handbook.situations)
            full_text = {"always": True, "never": False}.get(
                self.config.search_full_text, entries <= FULL_TEXT_LIMIT
            )
            reshaped = one_document_per_page(index, terms, full_text)
            path.write_text(
                json.dumps(reshaped, ensure_ascii=False, separators=(",", ":")), "utf-8"
            )
        log.info(f"kbgen: own time {self.clock.report()}")


def _checked_card_pdfs(handbook: Handbook) -> dict[str, bytes]:
    """Every card's PDF, or a PluginError listing every card that does not fit."""
    if not handbook.cards:
        return {}
    from kbgen.cards.deck import card_pdfs, deck_problems  # WeasyPrint is slow to import

    problems = deck_problems(handbook)
    if problems:
        raise PluginError(
            "kbgen: some cards cannot be printed as written; nothing was built.\n"
            + format_report(problems)
        )
    return card_pdfs(handbook)


def _offline_build(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on: the site will be opened from a folder."""
    for name in ("material/offline", "offline"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            return bool(plugin.config.get("enabled", True))
    return False


def _refuse_clashes(generated: list[File], existing: Files) -> None:
    """A virtual file silently replaces a real one at the same URL, so refuse that explicitly."""
    by_dest = {f.dest_uri: f for f in existing}
    clashes = [(g, by_dest[g.dest_uri]) for g in generated if g.dest_uri in by_dest]
    if clashes:
        lines = [
            f"  docs/{real.src_uri} would be replaced by the generated page {gen.src_uri} "
            f"(both publish {gen.dest_uri})"
            for gen, real in clashes
        ]
        raise PluginError(
            "kbgen: hand-written pages sit where generated pages go:\n"
            + "\n".join(lines)
            + "\n  fix: move or rename the hand-written page; "
            "the generated one comes from snippets/"
        )
