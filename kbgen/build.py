"""The one pipeline: snippets → checked handbook → pages, card PDFs and every problem.

The MkDocs plugin, `kbgen check`, `export`, `cards`, `stats` and `stories` all call `build`,
so what one of them reports, all of them report:

    load & validate ─▶ story checks ─▶ freshness ─▶ hand-written pages ─▶ card fit
        ─▶ render pages ─▶ card PDFs

Content problems never raise: they are collected, all of them, as `Problem`s with a severity
(errors stop the build; warnings fail `--strict` and `kbgen check`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kbgen.freshness import in_the_future, latest_day, overdue, reference_date
from kbgen.loading.loader import Loaded, load_snippets
from kbgen.model.kinds import BY_NAME
from kbgen.problems import Problem, plural, shown_path, sorted_problems
from kbgen.render import directives, urls
from kbgen.render.pages import PageRenderer, RenderOptions, asset_files, render_pages
from kbgen.stories.ledger import Decision, read_ledger
from kbgen.stories.moderation import published_only, review_stories, state_of
from kbgen.stories.where import story_line

if TYPE_CHECKING:
    from types import ModuleType

    from kbgen.cards.deck import Deck
    from kbgen.model.handbook import Handbook
    from kbgen.stories.moderation import Review

log = logging.getLogger("mkdocs.plugins.kbgen")

Stage = Literal["content", "all"]
"""How far to go: "content" loads and checks the entries and stories (for `stats` and
`stories`); "all" also checks hand-written pages and cards, renders pages and PDFs."""


@dataclass(frozen=True)
class Settings:
    """Everything a build depends on besides the files: from mkdocs.yml, for plugin and CLI."""

    snippets_dir: Path
    root: Path  # the project folder: file names in messages are relative to it
    docs_dir: Path | None = None  # hand-written pages: directives and clashes are checked
    use_directory_urls: bool = True
    review_after_days: int = 180
    stale_entries: Literal["warning", "info"] = "warning"
    site_url: str | None = None  # the published address: cards get a QR code to their page
    card_papers: tuple[str, ...] = ("a4", "letter")  # print sheets published for these
    card_cache_dir: Path | None = None  # None: the user's cache folder (~/.cache/kbgen/cards)
    safeguarding_url: str | None = None  # the centre's procedure for callers at risk
    safeguarding_phone: str | None = None  # and the number to ring (safety situations)


@dataclass
class BuildResult:
    """What a build produces. Pages and files are empty when there are errors."""

    settings: Settings
    loaded: Loaded
    reviews: list[Review] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # generated Markdown, by docs path
    files: dict[str, bytes] = field(default_factory=dict)  # assets and card PDFs, by docs path
    renderer: PageRenderer | None = None  # for directives in hand-written pages
    deck: Deck | None = None  # the cards: fits, PDFs, sheets (set by the card check)
    progress: Progress = field(default=lambda line: None, repr=False)

    @property
    def handbook(self) -> Handbook:
        return self.loaded.handbook

    @cached_property
    def published(self) -> Handbook:
        """The handbook as the site shows it: only stories that may be published."""
        return published_only(self.loaded.handbook, self.reviews)

    @cached_property
    def ledger(self) -> dict[str, Decision]:
        """The trainers' approvals and rejections of stories (`moderation.yml`), read once."""
        return read_ledger(_stories_folder(self.settings))

    def of(self, severity: str) -> list[Problem]:
        return [p for p in self.problems if p.severity == severity]

    @property
    def errors(self) -> list[Problem]:
        return self.of("error")

    @property
    def warnings(self) -> list[Problem]:
        return self.of("warning")

    def failed(self, strict: bool = True) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def hand_written_pages(self) -> dict[str, str | bytes]:
        """Every file of the docs folder, Markdown with its directives expanded (for export)."""
        found: dict[str, str | bytes] = {}
        docs = self.settings.docs_dir
        if docs is None or not docs.is_dir() or self.renderer is None:
            return found
        for path in sorted(docs.rglob("*")):
            relative = path.relative_to(docs)
            if not path.is_file() or any(part.startswith(".") for part in relative.parts):
                continue
            name = relative.as_posix()
            if path.suffix == ".md":
                text = path.read_text(encoding="utf-8", errors="replace")
                found[name] = directives.expand(self.renderer, name, text)
            else:
                found[name] = path.read_bytes()
        return found


Progress = Callable[[str], None]
"""Called with a line like 'checking stories: 600/6000' during long steps."""

STORY_PROGRESS_MINIMUM = 500
"""Fewer stories are checked in a moment: no progress lines for them."""


def build(
    settings: Settings, stage: Stage = "all", progress: Progress | None = None
) -> BuildResult:
    """Run the pipeline as far as `stage`. The last result is reused while no file under the
    snippets or docs folder has changed (`kbgen check` builds, then MkDocs builds again)."""
    key = (settings, stage, reference_date(), _fingerprint(settings))
    if _memo.get("key") == key:
        return _memo["result"]  # type: ignore[return-value]
    result = _build(settings, stage, progress or (lambda line: None))
    _memo.update(key=key, result=result)
    return result


_memo: dict[str, object] = {}


def _fingerprint(settings: Settings) -> str:
    """A hash of every file a build reads: names and contents (timestamps are too coarse)."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in (settings.snippets_dir, settings.docs_dir):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path).encode() + b"\0")
                try:
                    digest.update(path.read_bytes())
                except OSError:
                    digest.update(b"unreadable")
    return digest.hexdigest()


def _build(settings: Settings, stage: Stage, progress: Progress) -> BuildResult:
    result = BuildResult(settings, load_snippets(settings.snippets_dir, settings.root))
    result.progress = progress
    problems = _quarantine_stories(result, list(result.loaded.problems))
    # (what it does, the step, whether it needs an error-free handbook)
    steps: list[tuple[str, Callable[[BuildResult], list[Problem]], bool]] = [
        ("checking stories", _check_stories, False),
        ("checking review dates", _check_freshness, False),
    ]
    if stage == "all":
        steps += [
            ("checking hand-written pages", _check_hand_written, False),
            ("checking cards", _check_cards, False),
            ("rendering pages", _render, True),
            ("rendering card PDFs", _render_card_pdfs, True),
        ]
    for name, step, needs_no_errors in steps:
        if needs_no_errors and any(p.severity == "error" for p in problems):
            continue
        try:
            problems += step(result)
        except MissingTool as exc:
            problems.append(Problem("kbgen", None, str(exc), exc.fix))
        except Exception as exc:  # a bug, not a content error: still one verdict, no traceback
            log.debug("kbgen: %s failed:\n%s", name, traceback.format_exc())
            problems.append(
                Problem(
                    "kbgen",
                    None,
                    f"{name} failed: {type(exc).__name__}: {exc}",
                    "this is a bug in kbgen or a template, not in your entries: "
                    "report it with this message (mkdocs build --verbose shows the details)",
                )
            )
    result.problems = sorted_problems(problems)
    if result.errors:
        result.pages, result.files, result.renderer = {}, {}, None
    return result


class MissingTool(Exception):
    """A library kbgen needs is not installed; the message names the package to install."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


def card_deck() -> ModuleType:
    """kbgen.cards.deck, imported on first use (WeasyPrint is slow to import, and loads the
    Pango library, which a machine may lack)."""
    try:
        from kbgen.cards import deck
    except OSError as exc:
        raise MissingTool(
            f"card PDFs need the Pango library, which WeasyPrint could not load ({exc})",
            "install it: apt-get install libpango-1.0-0 libpangoft2-1.0-0 on Debian or Ubuntu "
            "(WeasyPrint's installation guide lists the package for other systems)",
        ) from None
    return deck


def _stories_folder(settings: Settings) -> Path:
    return settings.snippets_dir / BY_NAME["story"].folder


def _quarantine_stories(result: BuildResult, problems: list[Problem]) -> list[Problem]:
    """A story that cannot be read or checked (bad bytes, bad YAML, an unknown id…) is left
    out; the build and every other story carry on. Stories come from agents: one bad file
    must never stop the handbook. It fails a strict build only if a trainer approved it."""
    folder = shown_path(_stories_folder(result.settings), result.settings.root) + "/"
    ledger = result.ledger
    kept = []
    for problem in problems:
        if problem.severity != "error" or not problem.file.startswith(folder):
            kept.append(problem)
            continue
        story_id = Path(problem.file).stem
        result.loaded.handbook.stories.pop(story_id, None)  # left out: pages never see it
        path = result.settings.root / problem.file
        raw = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        approved = state_of(ledger.get(story_id), raw)[0] == "approved"
        kept.append(
            dataclasses.replace(
                problem,
                message=f"story left out: {problem.message}",
                fix=f"{problem.fix}; or 'kbgen stories reject {story_id} --reason \"…\"'",
                severity="warning" if approved else "info",
            )
        )
    return kept


def _check_stories(result: BuildResult) -> list[Problem]:
    origins = result.loaded.origins
    stories = result.handbook.stories.values()
    raws = {story.id: _read(origins.of(story).path) for story in stories}
    total = len(raws)

    def counted(done: int) -> None:
        result.progress(f"checking stories: {done}/{total}")

    big = total >= STORY_PROGRESS_MINIMUM
    result.reviews = review_stories(result.handbook, raws, result.ledger, counted if big else None)
    problems = []
    for review in result.reviews:
        origin = origins.of(review.story)
        if review.changed:
            problems.append(
                Problem(
                    origin.file,
                    None,
                    f"story '{review.story.id}' changed after it was {review.decision.state} "
                    f"on {review.decision.date}: it waits for review again",
                    "read it with 'kbgen stories', then approve or reject it again",
                    "info",
                )
            )
        if not review.held_back:
            continue
        for finding in review.findings:
            if finding.blocking:
                problems.append(
                    Problem(
                        origin.file,
                        story_line(origin, finding),
                        f"story '{review.story.id}' is approved but not published: "
                        f"{finding.what} in the {finding.field}",
                        f"{finding.fix}; or keep it off the site with "
                        f"'kbgen stories reject {review.story.id} --reason \"…\"'",
                        "warning",
                    )
                )
    waiting = sum(1 for r in result.reviews if r.state == "submitted")
    if waiting:
        folder = shown_path(_stories_folder(result.settings), result.settings.root)
        problems.append(
            Problem(
                folder,
                None,
                f"{plural(waiting, 'submitted story', 'submitted stories')} "
                f"{'waits' if waiting == 1 else 'wait'} for review",
                "run 'kbgen stories' to read them, then approve or reject each",
                "info",
            )
        )
    return problems


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _check_freshness(result: BuildResult) -> list[Problem]:
    settings, origins = result.settings, result.loaded.origins
    days = settings.review_after_days
    done = {"reviewed": "the day you checked it", "added": "the day it was added"}
    future = [
        Problem(
            origins.file_of(entry),
            origins.of(entry).line_of((name,)),
            f"{name} {getattr(entry, name).isoformat()} is in the future",
            f"write {done[name]} (YYYY-MM-DD), not a day to come",
        )
        for entry, name in in_the_future(result.handbook, latest_day())
    ]
    return future + [
        Problem(
            origins.file_of(item.entry),
            origins.of(item.entry).line_of(("reviewed",)),
            f"{item.entry.kind} '{item.entry.id}' is past its review date: reviewed "
            f"{item.entry.reviewed.isoformat()} by {item.entry.owner}, "
            f"{plural(item.days, 'day')} overdue (reviews last {plural(days, 'day')})",
            "check the advice still holds, then set 'reviewed:' to today's date",
            settings.stale_entries,
        )
        for item in overdue(result.handbook, days, reference_date())
    ]


def _check_hand_written(result: BuildResult) -> list[Problem]:
    """Directives that name no entry, in every hand-written page."""
    docs = result.settings.docs_dir
    if docs is None or not docs.is_dir():
        return []
    found = []
    for path in sorted(docs.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "kbgen:" in text:
            shown = shown_path(path, result.settings.root)
            found += directives.problems(result.handbook, shown, text, result.loaded.origins.broken)
    return found


def _check_cards(result: BuildResult) -> list[Problem]:
    """Cards that do not fit (checked only when every entry a card uses is valid)."""
    handbook = result.handbook
    if not handbook.cards:
        return []
    deck_module = card_deck()
    checkable = handbook
    if not result.loaded.complete:
        # a card whose file has a problem (a phrase number past the end of its list…) is
        # reported already; the others are still measured
        broken = {p.file for p in result.loaded.problems if p.severity == "error"}
        file_of = result.loaded.origins.file_of
        cards = {
            card_id: card
            for card_id, card in handbook.cards.items()
            if file_of(card) not in broken
            and all(
                ref.id in getattr(handbook, BY_NAME[ref.kind].folder) for ref in card.references()
            )
        }
        checkable = dataclasses.replace(handbook, cards=cards)
    settings = result.settings
    deck = result.deck = deck_module.render_deck(
        checkable,
        papers=settings.card_papers,
        cache_dir=settings.card_cache_dir,
        site_url=settings.site_url,
        progress=result.progress,
        use_directory_urls=settings.use_directory_urls,
    )
    file_of = result.loaded.origins.file_of
    return [deck_module.as_problem(p, file_of(checkable.cards[p.card_id])) for p in deck.problems]


def _render(result: BuildResult) -> list[Problem]:
    settings = result.settings
    waiting = sorted(
        (r.story.date, r.story.channel.value) for r in result.reviews if r.state == "submitted"
    )
    options = RenderOptions(
        use_directory_urls=settings.use_directory_urls,
        fresh_days=settings.review_after_days,
        today=reference_date(),
        waiting_stories=tuple(waiting),
        card_fits=result.deck.fits if result.deck else {},
        card_papers=settings.card_papers,
        safeguarding_url=settings.safeguarding_url,
        safeguarding_phone=settings.safeguarding_phone,
    )
    result.pages = render_pages(result.published, options)
    result.files = dict(asset_files())
    result.renderer = PageRenderer(result.published, options)
    return _clashes(result)


def _render_card_pdfs(result: BuildResult) -> list[Problem]:
    if not result.published.cards:
        return []
    if result.deck is None:
        return []
    result.files.update(card_deck().print_files(result.deck))  # named as `kbgen cards` names them
    return []


def _clashes(result: BuildResult) -> list[Problem]:
    """A hand-written page where a generated page goes would be silently replaced."""
    docs = result.settings.docs_dir
    if docs is None or not docs.is_dir():
        return []
    use_dirs = result.settings.use_directory_urls
    generated = {urls.site_url(page, use_dirs): page for page in result.pages}
    generated.update({path: path for path in result.files})
    problems = []
    for path in sorted(docs.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(docs).as_posix()
        address = urls.site_url(relative, use_dirs) if path.suffix == ".md" else relative
        if address in generated:
            problems.append(
                Problem(
                    shown_path(path, result.settings.root),
                    None,
                    f"this hand-written page would be replaced by the generated page "
                    f"{generated[address]} (both publish {address or 'the home page'})",
                    "move or rename the hand-written page; the generated one comes from snippets/",
                )
            )
    return problems
