"""Incremental preview for `mkdocs serve --dirty`: only pages whose text changed are rebuilt.

MkDocs' dirty build skips a page when its source file is older than the page it wrote last
time. Generated pages held in memory count as always changed, so every save rebuilt all of
them. In a dirty preview each generated page and file is instead written to a folder of the
plugin's own (outside docs/ and snippets/, removed when the server stops) and rewritten only
when its text changes: an edit rebuilds exactly the pages that show the edited entry, and
each page keeps the same source, address and file between builds.

The search index of a dirty build holds only the pages it rebuilt; `merge_index` puts back
the other pages' documents from the last build, so search keeps finding every page.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.structure.files import File, InclusionLevel

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


@dataclass
class PreviewSources:
    """The generated pages and files of a dirty preview, as files on disk."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kbgen-preview-")))
    digests: dict[str, bytes] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)  # written by the last build
    index_docs: dict[str, dict] = field(default_factory=dict)  # last search index, by location
    nav_signature: str | None = None  # the last build's navigation and pages

    def files(
        self,
        config: MkDocsConfig,
        contents: dict[str, str | bytes],
        inclusion: dict[str, InclusionLevel],
    ) -> list[File]:
        """A File for each generated path, its source rewritten only if its content changed."""
        self.changed = set()
        files = []
        for path, content in contents.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            digest = hashlib.blake2b(data, digest_size=16).digest()
            source = self.folder / path
            if self.digests.get(path) != digest or not source.is_file():
                source.parent.mkdir(parents=True, exist_ok=True)
                source.write_bytes(data)
                self.digests[path] = digest
                self.changed.add(path)
            files.append(
                File.generated(
                    config,
                    path,
                    abs_src_path=str(source),
                    inclusion=inclusion.get(path, InclusionLevel.UNDEFINED),
                )
            )
        for gone in set(self.digests) - set(contents):
            del self.digests[gone]
            (self.folder / gone).unlink(missing_ok=True)
        return files

    def rebuild_all_if_nav_changed(self, files: Files, nav: object) -> bool:
        """Every page shows the navigation: when an entry is added, removed, renamed or moved,
        all pages are rebuilt once (MkDocs' own dirty build would leave their menus stale)."""
        pages = files.documentation_pages()
        signature = repr((nav, sorted(file.src_uri for file in pages)))
        changed = self.nav_signature is not None and signature != self.nav_signature
        self.nav_signature = signature
        if changed:
            for file in pages:
                file.is_modified = _always  # type: ignore[method-assign]
        return changed

    def merge_index(self, index: dict, locations: set[str]) -> dict:
        """The dirty build's index, with the last build's documents of pages it did not
        rebuild (only pages the site still has)."""
        fresh = {doc["location"]: doc for doc in index["docs"]}
        rebuilt = {location.split("#", 1)[0] for location in fresh}
        kept = {
            location: doc
            for location, doc in self.index_docs.items()
            if (page := location.split("#", 1)[0]) not in rebuilt and page in locations
        }
        docs = [*fresh.values(), *kept.values()]
        self.index_docs = {doc["location"]: doc for doc in docs}
        return {**index, "docs": docs}

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _always() -> bool:
    return True
