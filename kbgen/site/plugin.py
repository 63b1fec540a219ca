"""The MkDocs plugin: a thin adapter between MkDocs events and kbgen's one pipeline."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from kbgen import parallel
from kbgen.build import build
from kbgen.inbox import pages as inbox_pages
from kbgen.problems import format_report
from kbgen.render import directives, page_cache, urls
from kbgen.search import semantic
from kbgen.search.encoder import EncoderUnavailable
from kbgen.search.index import FULL_TEXT_LIMIT, one_document_per_page, site_words
from kbgen.search.lexicon import wordnet
from kbgen.search.terms import page_terms
from kbgen.site import preview
from kbgen.site.config import KbgenConfig
from kbgen.site.incremental import PreviewSources
from kbgen.site.nav import build_nav, listed_pages
from kbgen.site.project import settings_for
from kbgen.site.staging import StagedSite, TargetNotWritable
from kbgen.templating import typeset
from kbgen.timing import Stopwatch

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation

    from kbgen.build import BuildResult
    from kbgen.model.handbook import Handbook

log = logging.getLogger("mkdocs.plugins.kbgen")
NOT_IN_NAV = InclusionLevel.NOT_IN_NAV

THEME_OVERRIDES = Path(__file__).parent / "theme"

REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "admonition", "tables", "toc", "smarty")
"""The generated pages use these; they are switched on if mkdocs.yml leaves them out."""


class KbgenPlugin(BasePlugin[KbgenConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self.result: BuildResult | None = None
        self.generated: list[File] = []
        self.clock = Stopwatch()
        self.staged: StagedSite | None = None
        self.site_dir = ""
        self.showing_problems = False
        self.page_addresses: set[str] = set()
        self.page_urls: set[str] = set()
        self.preview: PreviewSources | None = None  # `mkdocs serve --dirty` only

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving, self.dirty = command == "serve", dirty
        if self.serving and dirty:
            self.preview = PreviewSources()
        page_cache.keep_pages(self.preview is not None)
        # `mkdocs serve` runs a server thread: forking it is unsafe, so it stays single-process
        parallel.configure(self.config.workers if command == "build" else 1)

    def on_shutdown(self) -> None:
        page_cache.keep_pages(False)
        if self.preview is not None:
            self.preview.remove()

    @event_priority(50)  # before Material's offline plugin, which adds a CDN shim otherwise
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = settings_for(config, self.config)
        config.watch.append(str(self.settings.snippets_dir))
        for name in REQUIRED_MARKDOWN_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # kbgen's theme overrides (accessibility fixes to Material's partials) come first
        config.theme.dirs.insert(0, str(THEME_OVERRIDES))
        # every page uses these; the card stylesheet and the story form's script are linked
        # from the pages that use them
        config.extra_css[:0] = [urls.STYLESHEET]
        config.extra_javascript += [urls.SCRIPT, urls.SEARCH_SCRIPT]
        config.extra_javascript += inbox_pages.scripts(self.config.inbox_url)  # inbox: optional
        if _offline_build(config):
            polyfills = config.extra.setdefault("polyfills", [])
            polyfills.insert(0, urls.IFRAME_WORKER_SHIM)
        self.generate_nav = self.config.generate_nav and not config.nav
        self._stage(config)
        return config

    def _stage(self, config: MkDocsConfig) -> None:
        """Point MkDocs at a staging folder: the site folder changes only on success."""
        self.staged = None
        self.site_dir = config.site_dir
        if self.serving:
            return  # the preview server builds into a temporary folder of its own
        try:
            self.staged = StagedSite.prepare(Path(config.site_dir), dirty=self.dirty)
        except TargetNotWritable as exc:
            raise PluginError(
                f"kbgen: {exc}; nothing was built and the folder is unchanged.\n"
                "    fix: build into a folder you can write (mkdocs build -d FOLDER), "
                "or run the build as a user who may write there"
            ) from None
        config.site_dir = str(self.staged.staging)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.clock = Stopwatch()
        self.generated = []
        if self.showing_problems and self.dirty:
            _remove_pages(Path(config.site_dir))  # so a dirty rebuild writes every page again
        self.showing_problems = False
        with self.clock.step("build"):
            result = self.result = build(self.settings)
        if result.errors or (self.serving and config.strict and result.warnings):
            if self.serving:
                self.showing_problems = True  # see on_post_build
                return
            raise PluginError(
                "kbgen: the handbook has problems; nothing was built, the site folder is "
                f"unchanged.\n{format_report([*result.errors, *result.warnings])}"
            )
        if result.warnings and config.strict:
            # MkDocs would build everything and then abort: say so now, having written nothing
            raise PluginError(
                "kbgen: warnings in strict mode; nothing was built, the site folder is "
                f"unchanged.\n{format_report(result.warnings)}"
            )
        self._report(result)
        config.extra["kb_search_help"] = search_help(result.published, config.use_directory_urls)
        # stories stay out of the navigation: it would list thousands of them
        inclusion = {
            urls.entry_page("story", story_id): NOT_IN_NAV for story_id in result.published.stories
        }
        contents = {**result.pages, **result.files}
        if self.preview is not None:
            self.generated = self.preview.files(config, contents, inclusion)
            return
        self.generated = [
            File.generated(
                config,
                path,
                content=content,
                inclusion=inclusion.get(path, InclusionLevel.UNDEFINED),
            )
            for path, content in contents.items()
        ]

    def _report(self, result: BuildResult) -> None:
        """Warnings as one log record (a strict build fails on it), notes as information."""
        if result.warnings:
            log.warning(f"kbgen: {format_report(result.warnings)}")
        for note in result.of("info"):
            log.info(f"kbgen: {note}")

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.showing_problems:
            # only the theme's assets: the problem page replaces every page in on_post_build
            return Files([f for f in files if not f.is_documentation_page()])
        with self.clock.step("files"):
            for file in self.generated:
                files.append(file)
            if self.generate_nav and self.result is not None:
                config.nav = build_nav(self.result.published, files, self.config.nav_max_entries)
                listed = listed_pages(config.nav)
                for file in self.generated:
                    if file.is_documentation_page() and file.src_uri not in listed:
                        file.inclusion = NOT_IN_NAV  # reached from its index page instead
            if self.preview is not None:
                self.preview.rebuild_all_if_nav_changed(files, config.nav)
        pages = files.documentation_pages()
        self.page_addresses = {f.dest_uri for f in pages}
        self.page_urls = {f.url.removeprefix("./") for f in pages}
        return files

    def on_post_page(self, output: str, *, page, config) -> str:
        """The inbox (optional): each page's head names its address when inbox_url is set."""
        return inbox_pages.announce(output, self.config.inbox_url)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        """The inbox (optional): the 404 page's search box reports to it too."""
        if template_name != "404.html":
            return output_content
        return inbox_pages.announce(output_content, self.config.inbox_url)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """A dirty preview skips reading unchanged pages, so the navigation of the pages it does
        rebuild would name them "None": read their sources (not render them) for their titles."""
        if self.preview is not None:
            for page in nav.pages:
                if page.markdown is None:
                    page.read_source(config)
        return nav

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """Expand directives in hand-written pages (generated pages have none)."""
        renderer = self.result.renderer if self.result else None
        if page.file.generated_by or "kbgen:" not in markdown or renderer is None:
            return markdown
        return directives.expand(renderer, page.file.src_uri, markdown)

    @event_priority(-50)  # after Material's search writes the index, before offline inlines it
    def _reshape_search_index(self, config: MkDocsConfig) -> None:
        path = Path(config.site_dir) / "search" / "search_index.json"
        if self.result is None or self.showing_problems or not path.exists():
            return
        handbook = self.result.published
        with self.clock.step("search"):
            index = json.loads(path.read_text(encoding="utf-8"))
            if self.preview is not None:  # a dirty build indexed only the pages it rebuilt
                index = self.preview.merge_index(index, self.page_urls)
            terms = page_terms(handbook, site_words(index), config.use_directory_urls)
            if wordnet() is None:
                log.info(
                    "kbgen: WordNet is not installed, so search adds no related words "
                    "(apt-get install wordnet-base)"
                )
            entries = len(handbook.techniques) + len(handbook.situations)
            full_text = {"always": True, "never": False}.get(
                self.config.search_full_text, entries <= FULL_TEXT_LIMIT
            )
            reshaped = one_document_per_page(index, terms, full_text)
            data = json.dumps(reshaped, ensure_ascii=False, separators=(",", ":")).encode()
            path.write_bytes(data)
            # what the search worker fetches, a seventh of the bytes, and what the page fetches
            # (kbgen-search-worker.js, partials/search.html)
            path.with_name(f"{path.name}.gz").write_bytes(gzip.compress(data, 9, mtime=0))
            setup = {**reshaped, "docs": []}
            path.with_name("search_config.json").write_text(json.dumps(setup), "utf-8")
        with self.clock.step("semantic"):
            self._write_semantic(handbook, reshaped["docs"], full_text, config, path.parent)
        log.info(f"kbgen: own time {self.clock.report()}")

    def _write_semantic(self, handbook, docs: list[dict], full: bool, config, folder: Path) -> None:
        """The search box's semantic data beside the index (kbgen/search/semantic.py)."""
        try:
            pages = semantic.site_pages(handbook, docs, config.use_directory_urls)
            semantic.write(folder, semantic.semantic_data(pages, semantic.idiom_meanings(), full))
        except EncoderUnavailable as exc:
            log.warning(f"kbgen: search works on words alone: {exc}")

    @event_priority(-1000)  # the very last step of a build: everything is written
    def _publish(self, config: MkDocsConfig) -> None:
        if self.showing_problems and self.result is not None:
            page = preview.problem_page(self.result.problems)
            preview.show_problems(Path(config.site_dir), self.page_addresses, page)
            log.error(
                "kbgen: the preview shows the problems until they are fixed:\n"
                + format_report([*self.result.errors, *self.result.warnings])
            )
            _forget_strict_warnings()  # a strict preview must not abort: it would hang
            return
        if self.staged is None:
            return
        if _strict_warnings():
            return  # MkDocs aborts right after this event: on_build_error discards the staging
        self.staged.publish()
        config.site_dir = self.site_dir  # for what runs after the build (gh-deploy)
        self.staged = None

    on_post_build = CombinedEvent(_reshape_search_index, _publish)

    def on_build_error(self, *, error: Exception) -> None:
        if self.staged is None:
            return
        self.staged.discard()
        self.staged = None
        if isinstance(error, PluginError | Abort):
            log.info(f"kbgen: the site folder {self.site_dir} was not changed")
        else:
            log.error(
                f"kbgen: the build stopped ({type(error).__name__}: {error}); "
                f"the site folder {self.site_dir} was not changed"
            )


HELP_SITUATIONS = 20
"""Situations the search box offers when a query finds nothing: every page carries them, and a
panel of more would not be read mid-call (a bigger handbook adds a link to all of them)."""


def search_help(handbook: Handbook, use_directory_urls: bool) -> dict:
    """What the search box offers when a query finds nothing at all: the first situations, in
    the home page's order, a link to all of them when there are more, and the phrasebook
    (addresses from the site's root)."""
    ordered = handbook.ordered_situations()
    situations = [
        {
            "title": typeset(s.title),
            "summary": typeset(s.summary),
            "path": urls.site_url(urls.entry_page("situation", s.id), use_directory_urls),
        }
        for s in ordered[:HELP_SITUATIONS]
    ]
    if len(ordered) > HELP_SITUATIONS:
        situations.append(
            {
                "title": f"All {len(ordered)} situations",
                "summary": "What is happening on your call, and what to do about it.",
                "path": urls.site_url(urls.SITUATIONS, use_directory_urls),
            }
        )
    phrasebook = {
        "title": "Phrasebook",
        "summary": "Every phrase to say and not to say, ready to copy.",
        "path": urls.site_url(urls.PHRASEBOOK, use_directory_urls),
    }
    return {"situations": situations, "phrasebook": phrasebook}


def _strict_warnings() -> bool:
    """Whether MkDocs' strict mode counted a warning: the build will abort after this event."""
    handlers = logging.getLogger("mkdocs").handlers
    return any(isinstance(h, CountHandler) and h.get_counts() for h in handlers)


def _forget_strict_warnings() -> None:
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            handler.counts.clear()


def _remove_pages(site_dir: Path) -> None:
    """The preview's own pages (problem pages included), so a dirty rebuild writes them all."""
    for page in site_dir.rglob("*.html"):
        page.unlink(missing_ok=True)


def _offline_build(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on: the site will be opened from a folder."""
    for name in ("material/offline", "offline"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            return bool(plugin.config.get("enabled", True))
    return False
