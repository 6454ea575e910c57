"""Full-text search: the rendered pages indexed with Pagefind at build time, found in either Chinese script.

Pagefind's extended build segments Chinese; each edition gets its own index (zh-hans, zh-hant, and
zh-x-en for the English edition, segmented as Chinese: see INDEX_LANGUAGES), which the search page
asks for. Pagefind is pinned to 1.4.0: 1.5.x splits Chinese differently when indexing and when
searching, and most results vanish (Pagefind issue #1237; tests/test_browser.py checks recall).

So that a query finds a passage whatever script it is typed in (黄仁勋 and 黃仁勛 find the same
pages), every index holds each page's text in Simplified script: the page as it is, with a Simplified
copy of each of its lines that reads differently in Simplified appended (the copy exists only in what
Pagefind reads; the published pages are unchanged). A Traditional page is thus indexed twice over,
but a Simplified page that quotes a Traditional source title only adds that line. The search page
looks for the query as typed and folded to Simplified, character by character, with the table
script_table() publishes (made from OpenCC's tables at build time: framing/scriptfold.py).

Only article and theme pages are indexed (the index, search and 404 pages would only echo them), and
of a theme page only what is its own: the passages it gathers are marked data-pagefind-ignore, since
their article pages are indexed. So are an article's shared-passage notes: lists of the other
outlets that carry a passage, which would make a search for an outlet's name find every article
that shares a sentence with it.

A large archive's index is split into shards of about SHARD_SIZE articles (by a digest of each
slug, so that adding an article moves no other): the first, with the theme pages, is the main
bundle under pagefind/, and the search page merges the others of its group of editions
(pagefind/zh-1/ for both Chinese editions, pagefind/en-1/ for English, …) with Pagefind's
mergeIndex. One edition's pages of one shard are the unit of work (a run): Pagefind processes, up
to one per core, each index one run at a time, holding one in memory, and a run over exactly the
pages of an earlier build is taken from the build cache instead of being made again, so an edit
re-indexes only the runs it touches. Pagefind writes each language's index on its own, the same
bytes whatever else a run holds, so a bundle is the union of its runs' files (and of their entry
files' languages). With a run per edition, the two Chinese pages an edit to a note changes are
indexed at once, on two processes: on the seed, that rebuild took 13 % less time than with the
Chinese editions in one run, and clean builds, of the seed and of 10,000 articles, as long.

The pages go to Pagefind's service (framing/pagefind.py) in the order the build plans them, not as
files for its command line to find: that reads a folder in the order the file system lists it, so
the index's bytes would differ from one machine to another. Each process loads its segmenter once,
while the build imports and loads its content; and where the pages are rendered on one core, a run
is indexed page by page while they are rendered, on the other.

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
from typing import Callable, Iterator

from .config import EDITION_CODES
from .editions import ScriptConverter
from .errors import FramingError
from .pagefind import INDEX_CONFIG, PagefindProcess, PagefindProcesses, SearchIndexError

BUNDLE = "pagefind/"
SCRIPT_TABLE = "script-table.json"  # the asset name of script_table(): the search page folds queries with it
SEARCHABLE = re.compile(r"^(?:[a-z-]+/)?(?:articles|themes)/[^/]+/index\.html$")
TIMEOUT = 300  # seconds, plus one per page: nothing may hang a build
SHARD_SIZE = 250  # articles per index shard: what one edit re-indexes, and what one indexer holds in memory
ENTRY = "pagefind-entry.json"
_ARTICLE = re.compile(r"^(?:[a-z-]+/)?articles/([^/]+)/index\.html$")
_THEME = re.compile(r"^(?:[a-z-]+/)?themes/[^/]+/index\.html$")
# A merged shard needs its entry, metadata, index and fragments; the main bundle's pagefind.js and
# WebAssembly serve them all.
_SHARD_FILES = re.compile(r"^(?:pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|index/[^/]+|fragment/[^/]+)$")

# Pagefind segments Chinese only in an index whose language is Chinese. The English edition shows
# every article in Chinese, so it is indexed as Chinese too (English words still split at spaces),
# under its own language key; search.js asks for that index on the English search page.
INDEX_LANGUAGES = {"en": "zh-x-en"}

_LANG = re.compile(r'<html lang="([^"]+)"')
_MAIN = re.compile(r"(<main\b[^>]*>)(.*)(</main>)", re.S)
_H1_LANG = re.compile(r'<h1\b[^>]*\blang="([^"]+)"')
_ID = re.compile(r'\s(?:id|aria-labelledby)="[^"]*"')
# The search bundle needs pagefind.js, its worker, its WebAssembly and the index; not the UI kits.
_UNUSED = re.compile(r"^pagefind-(?:(?:component-|modular-)?ui\.(?:js|css)|highlight\.js)$")


def index_language(lang: str) -> str:
    """The key of the index that pages in lang are searched in (what search.js asks Pagefind for)."""
    return INDEX_LANGUAGES.get(lang, lang).lower()


_IGNORED = re.compile(r'<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore="all"[^>]*>')


def without_ignored(html: str) -> str:
    """html without the elements marked data-pagefind-ignore="all" (Pagefind would skip them, but only
    after parsing them: on a theme page they are most of the bytes)."""
    parts, position = [], 0
    while (opening := _IGNORED.search(html, position)) is not None:
        parts.append(html[position:opening.start()])
        name, depth, cursor = opening.group(1), 1, opening.end()
        tags = re.compile(rf"<(/?){name}\b[^>]*>")
        while depth and (tag := tags.search(html, cursor)) is not None:
            depth += -1 if tag.group(1) else 1
            cursor = tag.end()
        position = cursor if depth == 0 else len(html)
    parts.append(html[position:])
    return "".join(parts)


def for_indexing(html: str, converter: ScriptConverter) -> str:
    """The page as Pagefind reads it: <main>, then a Simplified copy of the lines whose text differs."""
    lang_match, main_match = _LANG.search(html), _MAIN.search(html)
    if not lang_match or not main_match:
        return html
    # Without ids: Pagefind keeps an anchor for every element with one (each sentence of an article has
    # one) in the page's fragment, which a reader downloads with each result, and the search page
    # uses none of them.
    lang, inner = lang_match.group(1), _ID.sub("", without_ignored(main_match.group(2)))
    copy = simplified_copy(inner, converter, lang)
    # The results list shows each page's title: tell it the title's lang (an English page's article title is Chinese).
    heading = _H1_LANG.search(inner)
    extra = f'<span data-pagefind-meta="title_lang:{heading.group(1) if heading else lang}"></span>'
    if copy:
        extra += f"<div>{copy}</div>"
    html = html[:main_match.start(2)] + inner + extra + html[main_match.start(3):]
    if lang in INDEX_LANGUAGES:
        html = html.replace(f'<html lang="{lang}"', f'<html lang="{INDEX_LANGUAGES[lang]}"', 1)
    return html


_RAW_TEXT = re.compile(r"<(?:script|style|textarea|title)\b|<!--", re.I)  # what a line cut out of its page could leave open


def simplified_copy(inner: str, converter: ScriptConverter, lang: str = "zh-Hans") -> str:
    """The lines of inner (markup) whose text reads differently in Simplified script, converted; ''
    where none does. OpenCC converts whichever characters it knows, so converting from Traditional
    is safe for the English edition's mixed text too. The markup is converted in one call: no
    dictionary entry holds markup characters, so the text comes out as if converted node by node (at
    a quarter of the cost), and attributes are read by nobody (Pagefind indexes text and image alt
    text). A line may open an element it does not close, which the copy's own element closes; where
    one could open raw text (a script, a comment) that swallows what follows, the whole is copied.
    lang: the page's (a page of the Traditional edition is read as written in Taiwan's forms)."""
    copy = converter.search_engine(lang).convert(inner)
    if copy == inner:
        return ""
    lines, converted = inner.split("\n"), copy.split("\n")
    if len(lines) != len(converted) or _RAW_TEXT.search(inner):
        return copy
    return "\n".join(new for old, new in zip(lines, converted) if new != old)


@functools.lru_cache(maxsize=4)  # the same for a converter each time; the live preview asks at every save
def script_table(converter: ScriptConverter) -> bytes:
    """Every Han character that folds to another, as JSON {"from": characters, "to": the Simplified
    characters they fold to, character for character}: what the search page folds a query with (a
    character at a time, with the fold that anchors quotes, framing/scriptfold.py; the query as typed
    is looked for too)."""
    pairs = sorted((source, target) for source, target in converter.fold().table.items() if len(source) == 1)
    table = {"from": "".join(source for source, _ in pairs), "to": "".join(target for _, target in pairs)}
    return json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def is_searchable(path: str) -> bool:
    """Whether the page at this output path is indexed (article and theme pages)."""
    return bool(SEARCHABLE.match(path))


BACKLOG = 32  # pages a run being indexed may hold in memory before the next go to disk


# ---------------------------------------------------------------- shards

def shard_count(articles: int) -> int:
    """How many shards an edition's index is split into for this many articles."""
    return max(1, -(-articles // SHARD_SIZE))


def shard_of(slug: str, shards: int) -> int:
    """The shard an article is indexed in: from a digest of its slug, so adding an article moves no other."""
    return int(hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8], 16) % shards


def edition_of(path: str, default_edition: str) -> str:
    """The code of the edition the page at path belongs to (every edition but the default one
    begins its paths with its code)."""
    first = path.split("/", 1)[0]
    return first if first in EDITION_CODES else default_edition


def run_group(edition: str) -> str:
    """The group of editions whose shards are published together, by an edition's code: one bundle
    a shard for both Chinese editions, one for English."""
    return "en" if edition == "en" else "zh"


def _layout(slugs: set[str], has_themes: bool) -> tuple[int, int, list[int]]:
    """(shards, the primary shard, the others in use): the primary holds the theme pages and is
    published as the main bundle; each other shard in use is a bundle the search page merges."""
    shards = shard_count(len(slugs))
    used = {shard_of(slug, shards) for slug in slugs} | ({0} if has_themes else set())
    primary = min(used, default=0)
    return shards, primary, sorted(used - {primary})


def merged_bundles(slugs: list[str], has_themes: bool, edition: str) -> list[str]:
    """The bundles (paths under the site) that the search page of this edition (its code) merges
    into the main one: none until an edition has more than SHARD_SIZE articles."""
    _, _, others = _layout(set(slugs), has_themes)
    return [f"{BUNDLE}{run_group(edition)}-{number}/" for number in others]


def in_primary_shard(slugs: list[str], has_themes: bool) -> set[str]:
    """The articles indexed with the theme pages, in the main bundle (all of them up to SHARD_SIZE)."""
    shards, primary, _ = _layout(set(slugs), has_themes)
    return {slug for slug in slugs if shard_of(slug, shards) == primary}


class IndexCache:
    """Where the indexer finds the output of a run over exactly the same pages (framing/cache.py)."""

    def lookup(self, key: str) -> Path | None:
        """The folder holding that run's output, if kept."""
        return None

    def keep(self, key: str, folder: Path) -> Path:
        """Offer a run's output folder for later builds (it may be moved: the folder is removed after
        the build anyway); returns where the output now is."""
        return folder


def staged_for_search(converter: ScriptConverter, path: str, html: bytes) -> bytes | None:
    """What the indexer reads of the page rendered at path (for_indexing, as UTF-8); None for a page
    it does not index. Made where the page is rendered (render.PageRendering's second product), so a
    large build does this on every core."""
    return for_indexing(html.decode("utf-8"), converter).encode("utf-8") if is_searchable(path) else None


_SENT = ("", b"")  # in a run's list of pages, in place of a page handed to its process
Staged = bytes | Path | Callable[[], bytes]  # a page's text for the indexer: itself, the file holding it, or its maker


class _Run:
    """The pages of one indexer run (an edition and a shard), in the order given."""

    def __init__(self, job: tuple[str, int], size: int, digest: "hashlib._Hash") -> None:
        self.job, self.size, self.digest = job, size, digest
        self.pages: list[tuple[str, Staged]] = []
        self.sent = 0  # pages handed to a process
        self.changed = False  # a page differs from the previous build's: no cached run can hold these pages
        self.taken = False  # a process is indexing it
        self.key = ""  # the digest of its pages, once all are given: what the cache knows it by
        self.looked_up = False  # the cache was asked for it (as its last page came) and does not hold it
        self.result: concurrent.futures.Future[Path] = concurrent.futures.Future()

    @property
    def complete(self) -> bool:
        return len(self.pages) == self.size


class SearchIndexer:
    """Pagefind indexing the searchable pages of a build, in the background, as they are rendered.

    It is made with the paths of every page it will index, the code of the edition at the site's
    root and the Pagefind processes to work with (PagefindProcesses: it starts more, up to one per
    core and no more than there are runs, and closes them), and given each page's staged text
    (staged_for_search) by add() as soon as the page is rendered. The pages go to one run per
    edition and shard; each process indexes one run at a time, in a thread of its own, sending its
    pages in the order they were given.
    A run over exactly the pages of an earlier build is not made again: its output comes from the
    cache, and a page whose text the caller knows only by its digest (a page unchanged since that
    build) is not even staged. Whether the cache holds a run is known only once all its pages are
    given, so a process takes a run whose pages are all given and not in the cache; with stream, and
    none such, a run with a page whose text differs from the previous build's (previous(path) gives
    that build's digest of it), which no cached run can hold: its pages are then sent as they come.
    A run's pages wait on disk until a process takes it.
    bundle() waits for the runs and hands over every file of the bundle: the runs of the primary
    shard merged into pagefind/, those of each other shard and group of editions into a bundle of
    its own that the search page merges (Pagefind's mergeIndex). Use it as a context manager, so
    that a failed build stops the processes and removes the staging folder. Result URLs are stored
    relative to the site root, and pagefind.js prefixes the path it was loaded from: the same index
    works under any base path.
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
        self._changes = threading.Condition()  # guards the runs' state and the queues below
        self._stopped = False
        self._complete: collections.deque[_Run] = collections.deque()  # runs with every page, not in the cache
        self._changed: collections.deque[_Run] = collections.deque()  # runs that cannot be in the cache
        paths = [path for path in paths if is_searchable(path)]
        slugs = {match.group(1) for path in paths if (match := _ARTICLE.match(path))}
        shards, self._primary, _ = _layout(slugs, any(_THEME.match(path) for path in paths))
        self._job_of: dict[str, tuple[str, int]] = {}
        sizes: dict[tuple[str, int], int] = {}
        last: dict[tuple[str, int], int] = {}  # the position of each run's last page
        for position, path in enumerate(paths):
            article = _ARTICLE.match(path)
            job = (edition_of(path, default_edition), shard_of(article.group(1), shards) if article else 0)
            self._job_of[path] = job
            sizes[job] = sizes.get(job, 0) + 1
            last[job] = position
        self._pages = len(paths)
        # The bundles under pagefind/ ('' the main one) and the runs each is made of, in the order
        # their last pages come: bundle() writes each once its runs are done, while later ones run.
        bundles: dict[str, list[tuple[str, int]]] = {}
        for job in sorted(last):
            bundles.setdefault("" if job[1] == self._primary else f"{run_group(job[0])}-{job[1]}/", []).append(job)
        self._bundles = sorted(bundles.items(), key=lambda item: max(last[job] for job in item[1]))
        indexer = " ".join(["pagefind", _version(), "service", json.dumps(INDEX_CONFIG, sort_keys=True)]).encode("utf-8")
        self._runs = {job: _Run(job, size, hashlib.sha256(indexer)) for job, size in sizes.items()}
        processes.grow(min(os.cpu_count() or 1, len(self._runs)))
        self._threads = [threading.Thread(target=self._drive, args=(process,), name="pagefind", daemon=True)
                         for process in processes.processes]
        for thread in self._threads:
            thread.start()

    def add(self, path: str, staged: Staged, digest: str | None = None) -> None:
        """Give one page: its text as the indexer reads it (staged_for_search), or a function that makes
        that text, called only if the page's run is not in the cache, with the text's SHA-256 (digest).
        Pages come in the same order in every build: a run's cache key digests its pages' texts in order."""
        run = self._runs[self._job_of.pop(path)]
        if isinstance(staged, bytes):
            digest = digest or hashlib.sha256(staged).hexdigest()
            if not run.taken or len(run.pages) - run.sent >= BACKLOG:  # (read unlocked: it only decides where the text waits)
                staged = _stage(self._root / f"site-{run.job[0]}-{run.job[1]}", path, staged)
        elif digest is None:
            raise ValueError("a page staged later needs the digest of its text")
        changed = digest != self._previous(path)
        with self._changes:
            run.pages.append((path, staged))
            run.digest.update(f"\0{path}\0{digest}".encode("utf-8"))
            wake = run.taken  # its process waits for the page
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
            elif changed and self._stream and not run.changed and not run.taken:
                self._changed.append(run)
                wake = True
            run.changed = run.changed or changed
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
            for path, staged in batch:
                process.add(index, path, staged if isinstance(staged, bytes) else
                            staged.read_bytes() if isinstance(staged, Path) else staged())
            if run.sent == run.size:
                break
        run.pages = []
        known = None if run.looked_up else self._cache.lookup(run.key)  # a run taken before its last page
        if known is not None:
            process.delete(index)
            return known
        files = process.files(index)
        process.delete(index)
        edition, number = run.job
        out = self._root / f"out-{edition}-{number}"
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
        if self._job_of:
            raise SearchIndexError(f"{len(self._job_of)} pages were never given to the indexer, e.g. {min(self._job_of)}")
        deadline = time.monotonic() + TIMEOUT + self._pages
        made = False  # pagefind.js, which the search page loads
        done = 0
        try:
            for name, jobs in self._bundles:
                folders = []
                for job in jobs:
                    try:
                        folders.append(self._runs[job].result.result(timeout=max(0.0, deadline - time.monotonic())))
                    except concurrent.futures.TimeoutError:
                        raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT + self._pages} s") from None
                    done += 1
                    progress("indexing for search", done, len(self._runs))
                for relative, data in _merged(folders, _SHARD_FILES if name else None):
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


def _entry_bytes(entry: dict) -> bytes:
    """A pagefind-entry.json with sorted keys (Pagefind's own order changes from run to run)."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _files(folder: Path) -> list[str]:
    """The files below folder, as sorted relative paths (joined as strings: at 10,000 articles the
    bundle is 45,000 files)."""
    found: list[str] = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir():
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append(prefix + entry.name)

    walk(str(folder), "")
    return sorted(found)


def _merged(runs: list[Path], only: re.Pattern[str] | None = None) -> Iterator[tuple[str, bytes | Path]]:
    """(relative path, bytes or the file holding them) of one bundle made from runs over different
    languages: the union of their files (those only matches, if given), and one entry listing every
    language (written with sorted keys: Pagefind's order changes from run to run)."""
    holders: dict[str, list[Path]] = {}
    for folder in runs:
        for relative in _files(folder):
            if only is None or only.match(relative):
                holders.setdefault(relative, []).append(folder)
    for relative, folders in sorted(holders.items()):
        if relative == ENTRY:
            entry = json.loads((folders[0] / ENTRY).read_bytes())
            for other in folders[1:]:
                entry["languages"].update(json.loads((other / ENTRY).read_bytes())["languages"])
            yield ENTRY, _entry_bytes(entry)
            continue
        if len(folders) > 1:  # a file every run writes (pagefind.js, the WebAssembly): the same bytes in each
            data = (folders[0] / relative).read_bytes()
            if any((other / relative).read_bytes() != data for other in folders[1:]):
                raise SearchIndexError(f"two Pagefind runs wrote different files at {relative}")
        yield relative, folders[0] / relative


def _version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "unknown"


def search_bundle(files: dict[str, bytes], default_edition: str, converter: ScriptConverter | None = None) -> dict[str, bytes]:
    """The Pagefind bundle for these rendered files of a site whose root holds default_edition, as
    {path under the site: bytes}. The pages are indexed in the order given (the index's bytes depend
    on it): a build's bundle comes from its pages in the order it plans them (pages.plan_pages)."""
    converter = converter or ScriptConverter()
    paths = [path for path in files if is_searchable(path)]
    bundle: dict[str, bytes] = {}
    with SearchIndexer(paths, default_edition, PagefindProcesses()) as indexer:
        for path in paths:
            indexer.add(path, staged_for_search(converter, path, files[path]))
        indexer.bundle(lambda path, data: bundle.__setitem__(path, data if isinstance(data, bytes) else data.read_bytes()))
    return bundle
