"""A cache on disk of work whose result depends only on its input, kept from one build to the next.

It sits beside the output folder, like the build record (`.site.cache/` for `site/`), and holds
what loading each content file gave (framing/memo.py: a file unchanged since is not read again),
the templates compiled by Jinja2 (its bytecode cache, checked against each template's source), the
sanitised HTML of the editor markdown texts the last build rendered or took from it (found by a
digest of the text; a text the load memo answered for is not among them), the passages the
articles share (found by a digest of every article's text and the minimum length), the record of
the pages rendered (framing/pagecache.py: what lets a rebuild take an unchanged page from the
previous site), the output of each search indexer run (found by a digest of the pages it
indexed and Pagefind's version; a run's folder is moved in, and the site's shard files are hard
links to its files, so neither is ever written into), and the site before last, which the next
build's writer updates instead of writing a whole tree (framing/write.py). The first five depend on
the generator too: a cache written by other framing/ sources or other library versions is not read.
Nothing in it is needed: a missing, corrupt, unreadable or unwritable cache makes a build slower,
never different (tests/test_incremental.py compares the bytes).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import jinja2

from framing.source.anchor import TextFolder
from framing.incremental.buildrecord import generator_digest
from framing.incremental.memo import FileMemo, read_memo, write_memo
from framing.incremental.pagecache import RECORD_FILE, RenderedPages, templates_digest
from framing.source.records import Archive, Span
from framing.source.markdown import MarkdownRenderer
from framing.search.indexer import IndexCache
from framing.site.shared import Occurrence, SharedPassage, find_shared
from framing.output.write import write_atomically

MARKDOWN_FILE = "markdown.json"
SHARED_FILE = "shared-passages.json"
TEMPLATES_FOLDER = "templates"
SEARCH_FOLDER = "search"
LOAD_FOLDER = "load"
SPARE_FOLDER = "spare"  # the site before last, which the next build brings up to date (framing/write.py)
PENDING = ".pending-"  # a run copied during a build, not yet in place


def cache_folder(out_dir: Path) -> Path:
    """Where the cache of the site built into out_dir lives: beside it, never inside it."""
    out_dir = out_dir.absolute()
    return out_dir.with_name(f".{out_dir.name}.cache")


class CachedMarkdown(MarkdownRenderer):
    """A MarkdownRenderer that remembers what it rendered, in this build and the ones before."""

    def __init__(self, known: dict[str, str]) -> None:
        super().__init__()
        self._known = known
        self.used: dict[str, str] = {}

    def html(self, text: str) -> str:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        html = self.used.get(key) or self._known.get(key)
        if html is None:
            html = super().html(text)
        self.used[key] = html
        return html


class _TemplateCache(jinja2.BytecodeCache):
    """Jinja2's compiled templates, read from the cache folder and kept in memory until save()
    (a file it cannot read is a miss; a build that fails writes nothing)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with (self.folder / f"{bucket.key}.cache").open("rb") as handle:
                bucket.load_bytecode(handle)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()

    def save(self) -> None:
        if not self.compiled:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for other in self.folder.parent.iterdir():  # compiled by another version of the generator
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        for key, data in self.compiled.items():
            write_atomically(self.folder / f"{key}.cache", data)


def _passages(encoded: list) -> tuple[SharedPassage, ...]:
    """Shared passages from their form in the cache file."""
    return tuple(SharedPassage(ident, folded, tuple(Occurrence(article, tuple(Span(*span) for span in spans))
                                                    for article, spans in occurrences))
                 for ident, folded, occurrences in encoded)


class BuildCache(IndexCache):
    """The cache of one output folder: read when made, written by save() after a successful build.

    site and templates, where given, are the output folder and the templates it is built with: the
    build then takes unchanged pages from the site (self.pages)."""

    def __init__(self, folder: Path, site: Path | None = None, templates: Path | None = None) -> None:
        self.folder = folder
        self._generator = generator_digest()
        self.pages = RenderedPages(folder, site, f"{self._generator}\0{templates_digest(templates)}") if site and templates else None
        self.markdown = CachedMarkdown(self._read_markdown())
        self.memo: FileMemo = read_memo(folder / LOAD_FOLDER, self._generator)
        self.bytecode = _TemplateCache(folder / TEMPLATES_FOLDER / self._generator[:16])
        self._runs_used: set[str] = set()
        self._runs_made: set[str] = set()  # copied to a pending folder, put in place by save()
        self._shared_found: bytes | None = None  # passages found by this build, written by save()
        self.spare = folder / SPARE_FOLDER  # the tree the last swap took out, for the writer to update

    def shared_passages(self, archive: Archive, folder: TextFolder, min_length: int) -> tuple[SharedPassage, ...]:
        """find_shared(), or the passages an earlier build found in exactly the same article texts
        (at 10,000 articles finding them takes half a minute; an edit to an annotation or a
        template leaves them as they were)."""
        digest = hashlib.sha256(f"{self._generator}\0{min_length}".encode())
        for article in archive.articles:
            digest.update(("\0" + article.slug + "\0" + "\x01".join(article.paragraphs)).encode("utf-8"))
        key = digest.hexdigest()
        try:  # the key on the first line, so that a stale file is not parsed
            with open(self.folder / SHARED_FILE, "rb") as kept:
                if kept.readline().rstrip(b"\n") == key.encode("ascii"):
                    return _passages(json.loads(kept.read()))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or unreadable: found again
        passages = find_shared(archive, folder, min_length)
        encoded = [[p.id, p.folded, [[o.article, [[s.paragraph, s.start, s.end] for s in o.spans]] for o in p.occurrences]]
                   for p in passages]
        self._shared_found = key.encode("ascii") + b"\n" + json.dumps(encoded, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return passages

    def lookup(self, key: str) -> Path | None:
        """The folder of a search indexer run over exactly these pages (the key digests them), if kept."""
        folder = self.folder / SEARCH_FOLDER / key
        try:
            if not any(file.is_file() for file in folder.rglob("*")):
                return None
        except OSError:
            return None
        self._runs_used.add(key)
        return folder

    def keep(self, key: str, folder: Path) -> Path:
        """Move a run's output into the cache now (a copy where it cannot be moved); save() puts it in
        place. Returns where the output is. The site links its files: nothing writes into either."""
        self._runs_used.add(key)
        pending = self.folder / SEARCH_FOLDER / f"{PENDING}{key}"
        try:
            shutil.rmtree(pending, ignore_errors=True)
            pending.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(folder, pending)
            except OSError:  # another file system: a copy, the run's folder left whole
                shutil.copytree(folder, pending)
        except OSError:
            shutil.rmtree(pending, ignore_errors=True)
            return folder  # a cache that cannot be written only makes the next build slower
        self._runs_made.add(key)
        return pending

    def _read_markdown(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / MARKDOWN_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("generator") != self._generator or not isinstance(data.get("html"), dict):
            return {}
        return data["html"]

    def save(self) -> None:
        """Keep what this build rendered and compiled (the markdown only that, so the cache never
        outgrows the archive); a cache that cannot be written is left as it was."""
        data = json.dumps({"generator": self._generator, "html": self.markdown.used}, ensure_ascii=False,
                          sort_keys=True, separators=(",", ":"))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.folder / MARKDOWN_FILE, data.encode("utf-8"))
            if self._shared_found is not None:
                write_atomically(self.folder / SHARED_FILE, self._shared_found)
            if self.pages is not None:
                write_atomically(self.folder / RECORD_FILE, self.pages.record())
            write_memo(self.memo, self.folder / LOAD_FOLDER, self._generator)
            self.bytecode.save()
            self._save_runs()
        except OSError:
            pass

    def _save_runs(self) -> None:
        """Put the runs this build made in place and drop those it did not use."""
        runs = self.folder / SEARCH_FOLDER
        runs.mkdir(exist_ok=True)
        for key in sorted(self._runs_made):
            shutil.rmtree(runs / key, ignore_errors=True)
            os.rename(runs / f"{PENDING}{key}", runs / key)
        for folder in runs.iterdir():
            if folder.name not in self._runs_used:
                shutil.rmtree(folder, ignore_errors=True)

    def discard(self) -> None:
        """Forget what a failed build made: the cache stays as it was."""
        for key in self._runs_made:
            shutil.rmtree(self.folder / SEARCH_FOLDER / f"{PENDING}{key}", ignore_errors=True)
        self._runs_made.clear()
