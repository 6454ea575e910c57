"""Full-text search: the rendered pages indexed with Pagefind at build time, one index for the three editions.

Pagefind's extended build segments Chinese. Each article and theme is one record in one index, in
Simplified script, whatever edition a reader searches from (framing/search/searchrecords.py): the
Simplified page's text, the English page's own text beside it (its commentary; its Chinese text is
the Simplified page's), and each edition's title as metadata. So each text is indexed once, not
three times over. The search page of each edition gives Pagefind its own base URL, so that a
result's URL is the edition's page, and shows the edition's title; the Traditional page shows
excerpts in Traditional script, character by character. Pagefind is pinned to 1.4.0: 1.5.x splits
Chinese differently when indexing and when searching, and most results vanish (Pagefind issue
#1237; tests/test_browser.py checks recall).

So that a query finds a passage whatever script it is typed in (黄仁勋 and 黃仁勛 find the same
pages), the search page looks for the query as typed and folded to Simplified, character by
character, with the table scripttables.script_table() publishes (made from OpenCC's tables at build
time: framing/source/scriptfold.py); the Traditional page also loads excerpt_table(), the Traditional form of each Simplified
character.

The records carry filters (outlet, theme, verdict, month of publication), which the Simplified
page of an article or theme gives as empty elements (framing/site/facets.py); the search page shows
them as facets with counts.

Only article and theme pages are indexed (the index, search and 404 pages would only echo them), and
of a theme page only what is its own: the passages it gathers are marked data-pagefind-ignore, since
their article pages are indexed. So are an article's shared-passage notes: lists of the other
outlets that carry a passage, which would make a search for an outlet's name find every article
that shares a sentence with it.

A large archive's index is split into shards of about SHARD_SIZE articles (by a digest of each
slug, so that adding an article moves no other): the first, with the theme pages, is the main
bundle under pagefind/, and the search page merges the others (pagefind/shard-1/, …) with
Pagefind's mergeIndex. A shard is the unit of work (a run): Pagefind processes, up to one per core
and no more than there are runs, each index one run at a time, holding one in memory, and a run
over exactly the records of an earlier build is taken from the build cache instead of being made
again, so an edit re-indexes only the runs it touches.

The records go to Pagefind's service (framing/search/pagefind.py) in the order the build plans their
pages (indexing_order), not as files for its command line to find: that reads a folder in the
order the file system lists it, so the index's bytes would differ from one machine to another.
Each process loads its segmenter once, while the build imports and loads its content; and where
the pages are rendered on one core, a run is indexed record by record while they are rendered, on
the other.

The bundle is written under pagefind/ (no leading dot: actions/upload-pages-artifact drops
dotfiles), and its files with unordered keys, the pagefind-entry.json files, are rewritten with
sorted keys, so that two builds give the same bytes.
"""

from __future__ import annotations

import collections
import concurrent.futures
import functools
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from dataclasses import dataclass, field
from typing import Callable

from framing.site.editions import ScriptConverter
from framing.errors import FramingError
from framing.search.pagefind import INDEX_CONFIG, PagefindProcess, PagefindProcesses, SearchIndexError
from framing.search.bundlefiles import merged
from framing.search.layout import BUNDLE, _ARTICLE_ROUTE, _layout, edition_of, is_searchable, record_of, shard_of
from framing.search.searchrecords import joined, record_part

TIMEOUT = 300  # seconds, plus one per page: nothing may hang a build
# A merged shard needs its entry, metadata, index, filters and fragments; the main bundle's pagefind.js and
# WebAssembly serve them all.
_SHARD_FILES = re.compile(r"^(?:pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|(?:index|filter|fragment)/[^/]+)$")

# The search bundle needs pagefind.js, its worker, its WebAssembly and the index; not the UI kits.
_UNUSED = re.compile(r"^pagefind-(?:(?:component-|modular-)?ui\.(?:js|css)|highlight\.js)$")


BACKLOG = 32  # records a run being indexed may hold in memory before the next go to disk


class IndexCache:
    """Where the indexer finds the output of a run over exactly the same pages (framing/incremental/runs.py)."""

    def lookup(self, key: str) -> Path | None:
        """The folder holding that run's output, if kept."""
        return None

    def keep(self, key: str, folder: Path) -> Path:
        """Offer a run's output folder for later builds (it may be moved: the folder is removed after
        the build anyway); returns where the output now is."""
        return folder


def staged_for_search(converter: ScriptConverter, path: str, html: bytes) -> bytes | None:
    """What the page rendered at path gives its search record (searchrecords.record_part, as UTF-8);
    None for a page search does not index. Made where the page is rendered (render.PageRendering's
    second product), so a large build does this on every core."""
    if not is_searchable(path):
        return None
    return (record_part(html.decode("utf-8"), converter) or "").encode("utf-8")


_SENT = ("", b"")  # in a run's list of pages, in place of a page handed to its process
Staged = bytes | Path | Callable[[], bytes]  # a page's text for the indexer: itself, the file holding it, or its maker


class _Run:
    """The records of one indexer run (a shard), in the order their last parts were given."""

    def __init__(self, job: int, size: int, digest: "hashlib._Hash") -> None:
        self.job, self.size, self.digest = job, size, digest
        self.pages: list[tuple[str, Staged]] = []  # (record, its text)
        self.sent = 0  # records handed to a process
        self.changed = False  # a part differs from the previous build's: no cached run can hold these records
        self.taken = False  # a process is indexing it
        self.key = ""  # the digest of its records, once all are given: what the cache knows it by
        self.looked_up = False  # the cache was asked for it (as its last record came) and does not hold it
        self.result: concurrent.futures.Future[Path] = concurrent.futures.Future()

    @property
    def complete(self) -> bool:
        return len(self.pages) == self.size


@dataclass
class _Record:
    """The parts of one record given so far, by edition code, each with its digest."""

    run: _Run
    parts: dict[str, tuple[Staged, str]] = field(default_factory=dict)
    changed: bool = False



def _record_text(parts: dict[str, tuple[Staged, str]]) -> bytes:
    """The record as Pagefind reads it (searchrecords.joined), made from its parts."""
    return joined({code: _read(staged) for code, (staged, _) in parts.items()})


def _read(staged: Staged) -> bytes:
    return staged if isinstance(staged, bytes) else staged.read_bytes() if isinstance(staged, Path) else staged()


class SearchIndexer:
    """Pagefind indexing the searchable pages of a build, in the background, as they are rendered.

    It is made with the paths of every page it will index, the code of the edition at the site's
    root and the Pagefind processes to work with (PagefindProcesses: it starts more, up to one per
    core and no more than there are runs, and closes them), and given each page's part of its
    record (staged_for_search) by add() as soon as the page is rendered. The three editions' pages
    of an article or theme make one record (framing/search/searchrecords.py), sent to Pagefind once its
    last part comes; the records go to one run per shard; each process indexes one run at a time,
    in a thread of its own, sending its records in the order they were completed.
    A run over exactly the records of an earlier build is not made again: its output comes from
    the cache, and a page whose part the caller knows only by its digest (a page unchanged since
    that build) is not even staged. Whether the cache holds a run is known only once all its
    records are given, so a process takes a run whose records are all given and not in the cache;
    with stream, and none such, a run with a part that differs from the previous build's
    (previous(path) gives that build's digest of it), which no cached run can hold: its records are
    then sent as they come. A run's records wait on disk until a process takes it.
    bundle() waits for the runs and hands over every file of the bundle: the run of the primary
    shard as pagefind/, that of each other shard as a bundle of its own that the search page
    merges (Pagefind's mergeIndex). Use it as a context manager, so that a failed build stops the
    processes and removes the staging folder. Result URLs are stored relative to the site root
    (the Simplified edition's paths without its folder): each search page puts them under its own
    edition's base URL.
    """

    def __init__(self, paths: list[str], default_edition: str, processes: PagefindProcesses,
                 cache: IndexCache | None = None, previous: Callable[[str], str | None] | None = None,
                 stream: bool = True) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="framing-search-")
        self._root = Path(self._folder.name)
        self._processes = processes
        self._cache = cache or IndexCache()
        self._previous = previous or (lambda path: None)
        self._stream = stream
        self._default = default_edition
        self._changes = threading.Condition()  # guards the runs' state and the queues below
        self._stopped = False
        self._complete: collections.deque[_Run] = collections.deque()  # runs with every record, not in the cache
        self._changed: collections.deque[_Run] = collections.deque()  # runs that cannot be in the cache
        paths = [path for path in paths if is_searchable(path)]
        self._record_of = {path: record_of(path, default_edition) for path in paths}
        expected: dict[str, int] = collections.Counter(self._record_of.values())
        slugs = {match.group(1) for record in expected if (match := _ARTICLE_ROUTE.match(record))}
        shards, self._primary, _ = _layout(slugs, len(expected) > len(slugs))
        self._expected = dict(expected)
        job_of = {record: shard_of(match.group(1), shards) if (match := _ARTICLE_ROUTE.match(record)) else self._primary
                  for record in expected}
        sizes = collections.Counter(job_of.values())
        last: dict[int, int] = {}  # the position of each run's last page
        for position, path in enumerate(paths):
            last[job_of[self._record_of[path]]] = position
        self._pages = len(expected)
        # The bundles under pagefind/ ('' the main one), in the order their last pages come: bundle()
        # writes each once its run is done, while later ones run.
        self._bundles = sorted((("" if job == self._primary else f"shard-{job}/", job) for job in last),
                               key=lambda item: last[item[1]])
        indexer = " ".join(["pagefind", _version(), "service", json.dumps(INDEX_CONFIG, sort_keys=True)]).encode("utf-8")
        self._runs = {job: _Run(job, size, hashlib.sha256(indexer)) for job, size in sizes.items()}
        self._records = {record: _Record(self._runs[job]) for record, job in job_of.items()}
        processes.grow(min(os.cpu_count() or 1, len(self._runs)))
        self._threads = [threading.Thread(target=self._drive, args=(process,), name="pagefind", daemon=True)
                         for process in processes.processes]
        for thread in self._threads:
            thread.start()

    def add(self, path: str, staged: Staged, digest: str | None = None) -> None:
        """Give one page's part of its record: its text (staged_for_search), or a function that makes
        that text, called only if the record's run is not in the cache, with the text's SHA-256
        (digest). Pages come in the same order in every build: a run's cache key digests its
        records' parts in order."""
        name = self._record_of.pop(path)
        record = self._records[name]
        if isinstance(staged, bytes):
            digest = digest or hashlib.sha256(staged).hexdigest()
        elif digest is None:
            raise ValueError("a page staged later needs the digest of its text")
        record.parts[edition_of(path, self._default)] = (staged, digest)
        record.changed = record.changed or digest != self._previous(path)
        if len(record.parts) == self._expected[name]:
            self._add_record(name, record)

    def _add_record(self, name: str, record: _Record) -> None:
        """Give a record whose parts have all come to its run."""
        run = record.run
        digests = "\0".join(f"{code}\0{digest}" for code, (_, digest) in sorted(record.parts.items()))
        staged: Staged
        if all(isinstance(part, bytes) for part, _ in record.parts.values()):
            staged = _record_text(record.parts)
            if not run.taken or len(run.pages) - run.sent >= BACKLOG:  # (read unlocked: it only decides where the text waits)
                staged = _stage(self._root / f"site-{run.job}", name, staged)
        else:
            staged = functools.partial(_record_text, record.parts)
        record.parts = {}  # the parts are not kept once joined
        with self._changes:
            run.pages.append((name, staged))
            run.digest.update(f"\0{name}\0{digests}".encode("utf-8"))
            wake = run.taken  # its process waits for the record
            if run.complete:
                run.key = run.digest.hexdigest()
                known = None if run.taken else self._cache.lookup(run.key)
                if known is not None:
                    run.pages = []
                    _settle(run.result, known)
                elif not run.taken:
                    run.looked_up = True
                    self._complete.append(run)
                wake = True  # a process may be free to take it, or to find nothing left to take
            elif record.changed and self._stream and not run.changed and not run.taken:
                self._changed.append(run)
                wake = True
            run.changed = run.changed or record.changed
            if wake:
                self._changes.notify_all()

    def _drive(self, process: PagefindProcess) -> None:
        """One process's thread: index the runs it takes, one after another, until none is left; then
        stop the process, while the build goes on with the bundle."""
        try:
            process.start_reading()
            while (run := self._take()) is not None:
                _settle(run.result, self._index(process, run))
            process.close()
        except BaseException as exc:
            self._stop(exc if isinstance(exc, FramingError) else SearchIndexError(f"the search index failed: {exc!r}"))

    def _take(self) -> _Run | None:
        """The next run to index: one with all its pages (in the order they were completed), else one
        that changed (in the order they changed); None once every run is taken or settled."""
        with self._changes:
            while not self._stopped:
                for queue in (self._complete, self._changed):
                    while queue:
                        run = queue.popleft()
                        if not run.taken and not run.result.done():
                            run.taken = True
                            return run
                if all(run.taken or run.result.done() for run in self._runs.values()):
                    return None
                self._changes.wait()
            return None

    def _index(self, process: PagefindProcess, run: _Run) -> Path:
        """The folder holding one run's output: made by the process from the pages as they come, or the
        cache's, where the run turns out to be there once all its pages are given."""
        index = process.new_index()
        while True:
            with self._changes:
                while run.sent == len(run.pages) and not self._stopped:
                    self._changes.wait()
                if self._stopped:
                    raise SearchIndexError("the build stopped")
                first, run.sent = run.sent, len(run.pages)
                batch = run.pages[first:run.sent]
                run.pages[first:run.sent] = [_SENT] * len(batch)  # the texts are not kept once sent
            for name, staged in batch:
                process.add(index, name, _read(staged))
            if run.sent == run.size:
                break
        run.pages = []
        known = None if run.looked_up else self._cache.lookup(run.key)  # a run taken before its last page
        if known is not None:
            process.delete(index)
            return known
        files = process.files(index)
        process.delete(index)
        out = self._root / f"out-{run.job}"
        out.mkdir()
        for relative, data in files:
            if not _UNUSED.match(relative):
                _stage(out, relative, data)
        return self._cache.keep(run.key, out)

    def _stop(self, error: FramingError) -> None:
        """Stop every run: those not settled fail with error."""
        with self._changes:
            self._stopped = True
            runs = list(self._runs.values())
            self._changes.notify_all()
        for run in runs:
            _settle(run.result, error=error)

    def bundle(self, put: Callable[[str, bytes | Path], None], progress: Callable[[str, int, int], None] = lambda *_: None) -> None:
        """Wait for the runs and hand put(path under the site, bytes or the file that holds them) every
        file of the bundle: the union of the files of its runs' folders, handed over as those files
        (the writer links them where it can: at 10,000 articles the bundle is over 500 MB in 45,000
        files), but for the entry files, merged. A shard bundle keeps only what mergeIndex reads."""
        if self._record_of:
            raise SearchIndexError(f"{len(self._record_of)} pages were never given to the indexer, e.g. {min(self._record_of)}")
        deadline = time.monotonic() + TIMEOUT + self._pages
        made = False  # pagefind.js, which the search page loads
        done = 0
        try:
            for name, job in self._bundles:
                try:
                    folder = self._runs[job].result.result(timeout=max(0.0, deadline - time.monotonic()))
                except concurrent.futures.TimeoutError:
                    raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT + self._pages} s") from None
                done += 1
                progress("indexing for search", done, len(self._runs))
                for relative, data in merged([folder], _SHARD_FILES if name else None):
                    put(BUNDLE + name + relative, data)
                    made = made or (not name and relative == "pagefind.js")
        finally:
            self.close()
        if any(not name for name, _ in self._bundles) and not made:
            raise SearchIndexError("Pagefind wrote no pagefind.js")

    def close(self) -> None:
        """Stop the processes and their threads, and remove the staging folder."""
        self._stop(SearchIndexError("the build stopped"))
        self._processes.close()
        for thread in self._threads:
            thread.join()
        self._folder.cleanup()

    def __enter__(self) -> "SearchIndexer":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _settle(future: concurrent.futures.Future, result: object = None, error: BaseException | None = None) -> None:
    """Give a run its folder or its error, unless it has one already (a run that fails while the
    build stops gets only the first)."""
    try:
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)
    except concurrent.futures.InvalidStateError:
        pass


def _stage(staging: Path, path: str, staged: bytes) -> Path:
    """Write staged at path under the folder staging (a page waiting for its run, or a file of a
    run's output); the file written."""
    target = staging / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(staged)
    return target


def _version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "unknown"


def search_bundle(files: dict[str, bytes], default_edition: str, converter: ScriptConverter | None = None,
                  cache: IndexCache | None = None, staged: dict[str, bytes | None] | None = None) -> dict[str, bytes]:
    """The Pagefind bundle for these rendered files of a site whose root holds default_edition, as
    {path under the site: bytes}. The pages are indexed in the order given (the index's bytes depend
    on it): a build's bundle comes from its pages in the order it plans them (search.indexing_order).
    cache: runs kept from an earlier bundle (the live preview's); staged: the search text of pages
    already staged, which the text of the others is added to."""
    converter = converter or ScriptConverter()
    paths = [path for path in files if is_searchable(path)]
    staged = {} if staged is None else staged
    bundle: dict[str, bytes] = {}
    with SearchIndexer(paths, default_edition, PagefindProcesses(), cache) as indexer:
        for path in paths:
            if path not in staged:
                staged[path] = staged_for_search(converter, path, files[path])
            indexer.add(path, staged[path])
        indexer.bundle(lambda path, data: bundle.__setitem__(path, data if isinstance(data, bytes) else data.read_bytes()))
    return bundle
