"""The build, top to bottom: load -> validate -> assemble -> render -> write.

plan_site() loads and checks everything and plans every page; gather() renders the pages and makes
every other file, handing each to a writer as soon as it is made (or keeping them in memory, for
'check' and the tests); build() has them written into a staging tree beside the output folder and
swaps that in whole. A problem anywhere before the swap leaves the previous site untouched.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from .anchor import TextFolder
from .cache import BuildCache, cache_folder
from .baseurl import parse_base_url
from .project import Project
from .content import load_archive
from .editions import ScriptConverter
from .errors import ContentError, UsageError
from .frontmatter import parse_yaml
from .memo import FileMemo
from . import buildrecord, dependencies, exports, feeds
from .pages import EditionView, PlannedPage, edition_views, newest_articles, plan_pages
from .records import Archive
from .pagefind import EARLY, PagefindProcesses
from .scriptfold import script_fold
from .pagecache import NO_READS, NOT_CHECKED, NOT_INDEXED, Entry, RenderedPages
from .render import MarkdownRenderer, PageRendering, Renderer
from .search import SCRIPT_TABLE, SearchIndexer, script_table, staged_for_search
from .shared import SharedPassage, find_shared
from .textfile import read_text
from .write import StagedTree, cannot_write, check_paths, clean_leftovers, output_folder, output_lock


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: every file's path, and the files themselves unless they went straight to disk."""

    archive: Archive
    files: dict[str, bytes]
    paths: tuple[str, ...]


def today() -> dt.date:
    """The build's notion of today: SOURCE_DATE_EPOCH where set (reproducible builds), else the clock.
    A value that is not a time is an error, as the reproducible-builds specification asks."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.date.today()
    try:
        if not (epoch.isascii() and epoch.isdigit()):
            raise ValueError(epoch)
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a time: set it to whole seconds since 1970-01-01 UTC "
                         "(e.g. 1764547200), or unset it") from None


def load(project: Project, folder: TextFolder | None = None, markdown: MarkdownRenderer | None = None,
         memo: FileMemo | None = None) -> Archive:
    """Load and validate content/ (what 'check' runs).

    folder: the script folder to anchor quotes with; pass the build's own so that the paragraphs it
    folds are folded once for anchoring and for finding shared passages. markdown: the renderer of
    editor markdown (the build's cached one). memo: what files gave when last read (framing/memo.py).
    """
    return load_archive(project.content, project.root, today(), folder or TextFolder(script_fold()), markdown, memo)


def load_catalogue(project: Project) -> dict[str, dict[str, str]]:
    path = project.templates / "strings.yaml"
    shown = "templates/strings.yaml"
    if not path.is_file():
        raise ContentError(shown, None, "the string catalogue is missing", "restore templates/strings.yaml")
    data = parse_yaml(read_text(path, shown), shown)
    if data is not None and not isinstance(data, dict):
        raise ContentError(shown, 1, "the string catalogue is not a set of 'key: {zh: …, en: …}' entries",
                           "restore templates/strings.yaml from the repository")
    catalogue = {}
    for key, texts in (data or {}).items():
        if not isinstance(texts, dict) or not {"zh", "en"} <= set(texts) or not all(isinstance(v, str) for v in texts.values()):
            raise ContentError(shown, data.lines[key], f"the string '{key}' needs text for both zh and en",
                               "write key: {zh: 中文, en: English}")
        catalogue[key] = {"zh": texts["zh"], "en": texts["en"]}
    return catalogue


def static_files(project: Project, converter: ScriptConverter) -> tuple[dict[str, bytes], dict[str, str]]:
    """templates/static/* and the search page's script table, as fingerprinted assets: (files, {name: published path})."""
    made = {SCRIPT_TABLE: script_table(converter)}
    static = project.templates / "static"
    for path in sorted(static.glob("*")) if static.is_dir() else []:
        if path.is_file() and not path.name.startswith("."):
            made[path.name] = path.read_bytes()
    files, names = {}, {}
    for name, data in sorted(made.items()):
        stem, suffix = os.path.splitext(name)
        published = f"assets/{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
        files[published] = data
        names[name] = published
    return files, names


def _silent(stage: str, done: int, total: int) -> None:
    """The default progress report: none."""


@dataclass(frozen=True)
class SitePlan:
    """Everything a build knows before it renders a page: the archive, its editions and every page, planned."""

    archive: Archive
    views: list[EditionView]
    pages: list[PlannedPage]
    static: dict[str, bytes]
    renderer: Renderer
    converter: ScriptConverter

    def data_files(self) -> list[tuple[str, Callable[[], bytes]]]:
        """The files made beside the pages, each with the function that makes it: feeds, robots.txt,
        the open data and the sitemap."""
        archive, views, default = self.archive, self.views, self.views[0]
        files: list[tuple[str, Callable[[], bytes]]] = [(view.edition.prefix + "feed.xml", functools.partial(feeds.atom, view))
                                                       for view in views]
        files += [("robots.txt", functools.partial(feeds.robots, archive)),
                  ("data/annotations.jsonld", functools.partial(exports.annotation_collection, default)),
                  ("data/claims.json", functools.partial(exports.claims_json, default)),
                  ("data/claims.csv", functools.partial(exports.claims_csv, default)),
                  ("data/shared-passages.json", functools.partial(exports.shared_passages, default))]
        if archive.config.origin:  # a sitemap lists absolute URLs only
            files += [("sitemap.xml", functools.partial(feeds.sitemap, archive, self.pages))]
        return files

    def data_reads(self) -> dict[str, Callable[[], bytes]]:
        """For the data files with a dependency record (the feeds and the open data), what each reads,
        digested (framing/dependencies.py): where that is as recorded, the previous build's file is kept."""
        default = self.views[0]
        carried = dependencies.carried_reads(self.archive, newest_articles(self.archive.articles, feeds.FEED_ARTICLES))
        reads = {view.edition.prefix + "feed.xml": functools.partial(dependencies.feed_reads, view, carried)
                 for view in self.views}
        return reads | {"data/annotations.jsonld": functools.partial(dependencies.annotations_reads, default),
                        "data/claims.json": functools.partial(dependencies.claims_reads, default),
                        "data/claims.csv": functools.partial(dependencies.claims_reads, default),
                        "data/shared-passages.json": functools.partial(dependencies.shared_reads, default)}

    def captures(self, project: Project) -> list[tuple[str, Callable[[], bytes]]]:
        """The raw capture of each article, published beside its page, with the function that reads it."""
        folder = project.content / "captures"
        return [(f"captures/{a.capture}", (folder / a.capture).read_bytes) for a in self.archive.articles]


@dataclass(frozen=True)
class BuildTools:
    """The helpers a build works with, each slow to make: the live preview keeps one set from a rebuild to the next.

    Each gives the same output whatever it did before: the renderer recompiles a template whose file
    changed, and the others only remember results (the preview's shared_passages is a
    shared.SharedPassageMemo, and the memo keeps what each content file gave while it is unchanged:
    in memory for the preview, in the build cache for a build).
    """

    renderer: Renderer
    converter: ScriptConverter
    markdown: MarkdownRenderer
    shared_passages: Callable[[Archive, TextFolder, int], tuple[SharedPassage, ...]] = find_shared
    memo: FileMemo | None = None

    @classmethod
    def make(cls, project: Project, cache: BuildCache | None = None) -> "BuildTools":
        if cache is None:
            return cls(Renderer(project.templates), ScriptConverter(), MarkdownRenderer())
        return cls(Renderer(project.templates, cache.bytecode), ScriptConverter(), cache.markdown, cache.shared_passages,
                   cache.memo)


def plan_site(project: Project, base_url: str | None = None, progress: Callable[[str, int, int], None] = _silent,
              cache: BuildCache | None = None, tools: BuildTools | None = None) -> SitePlan:
    """Load and validate everything, find what articles share, and plan every page of every edition.

    tools: the helpers to work with (made afresh, with the cache's, when not given).
    """
    if not project.templates.is_dir():
        raise ContentError(str(project.templates), None, "the templates folder does not exist",
                           "run the command in the project folder, or pass --templates DIR")
    tools = tools or BuildTools.make(project, cache)
    renderer, converter = tools.renderer, tools.converter
    renderer.check()
    progress("loading content", 0, 1)
    folder = TextFolder(converter.fold())
    with collecting():
        archive = load(project, folder, tools.markdown, tools.memo)
    converter.use_overrides((o.simplified, o.traditional) for o in archive.script_overrides)
    if base_url is not None:
        given = parse_base_url(base_url)
        archive = replace(archive, config=replace(archive.config, base_url=given.path,
                                                  origin=given.origin or archive.config.origin))
    static, assets = static_files(project, converter)
    if "style.css" not in assets:
        raise ContentError("templates/static/style.css", None, "the stylesheet is missing", "restore it from the repository")
    progress("finding shared passages", 0, 1)
    shared = tools.shared_passages(archive, folder, archive.config.shared_min_length)
    progress("planning pages", 0, 1)
    views = edition_views(archive, load_catalogue(project), converter, assets, shared)
    return SitePlan(archive, views, plan_pages(views), static, renderer, converter)


@contextlib.contextmanager
def few_collections() -> Iterator[None]:
    """The cyclic garbage collector off while a build holds the archive in memory, but for the
    loading of content (collecting()); its settings are restored afterwards.

    A large archive is hundreds of thousands of long-lived records, which every full collection
    walks again, and only loading makes reference cycles: the YAML and Markdown parsers' trees. The
    rest of a build makes none, the rendering of pages and data files in worker processes included
    (tests/test_incremental.py checks it). With the collector on, even at high thresholds, an edit
    to one annotation at 10,000 articles took 2 s longer (18.2 s against 16.3 s).
    """
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        if enabled:
            gc.enable()


@contextlib.contextmanager
def collecting() -> Iterator[None]:
    """Inside few_collections(), the collector on for a stage that makes reference cycles: seldom,
    blind to the objects made before (frozen, until few_collections() ends), and once more at the
    end for the cycles still young. Where the collector is on already, nothing changes."""
    if gc.isenabled():
        yield
        return
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    gc.enable()
    try:
        yield
    finally:
        gc.disable()
        gc.collect(1)


def gather(project: Project, base_url: str | None = None, progress: Callable[[str, int, int], None] = _silent,
           search: bool = False, cache: BuildCache | None = None,
           write: Callable[[str, bytes | Path], None] | None = None,
           processes: PagefindProcesses | None = None) -> BuildResult:
    """Every output file of the site; progress(stage, done, total) hears how far it got.

    write: hears each file as soon as it is made, and the result keeps none of them (build() passes
    its staged tree's, which refuses two files at one path, so a large site never sits in memory
    whole); without it, BuildResult.files holds them all. search: index the site with Pagefind too: each run starts as soon as its pages
    are rendered, and runs beside the rendering of the rest. Where the pages are rendered by worker
    processes, the feeds and open data are made there too (this process then only writes what the
    workers make), and the stage "feeds and open data" is the wait for them; one whose dependency
    record is unchanged is taken from the previous site. cache: compiled templates, rendered
    markdown, rendered pages and search runs from earlier builds (framing/cache.py). processes: the
    Pagefind processes to index with, where the caller has started them (framing/pagefind.py).
    """
    with few_collections(), contextlib.ExitStack() as running:
        # Pagefind's processes start first, to load their segmenters while the templates compile and
        # the content loads: one (if the caller has not started it), then a second. Where the caller
        # started both at once, before importing the libraries, the seed's clean build took 7 % longer.
        if search:
            processes = running.enter_context(processes or PagefindProcesses())
            processes.grow(min(EARLY, os.cpu_count() or 1))
        site = plan_site(project, base_url, progress, cache)
        files: dict[str, bytes] = {}
        paths: list[str] = []
        seen: set[str] = set()

        def put(path: str, data: bytes | Path) -> None:
            """Hand over one output: its bytes, or the file of the previous site that holds them."""
            paths.append(path)
            if write:
                write(path, data)  # the writer refuses a path given twice, as StagedTree.write_file does
            else:
                check_paths([path], seen)
                files[path] = data if isinstance(data, bytes) else data.read_bytes()

        def put_data_file(number: int, data: bytes) -> None:
            """Hand over data file number of those made, and record it where it has a dependency record."""
            path, _, reads = data_files[number]
            if rendered and reads != NO_READS:
                rendered.note(path, ("", hashlib.sha256(data).hexdigest(), NOT_INDEXED, reads, NOT_CHECKED))
            put(path, data)

        pages = site.pages
        stage = functools.partial(staged_for_search, site.converter) if search else None
        rendered = cache.pages if cache else None
        data_files, kept = _data_files_to_make(site, rendered)
        for path, entry in kept:
            rendered.note(path, entry)
            put(path, rendered.site / path)
        rendering = running.enter_context(PageRendering(site.renderer, pages, stage, rendered=rendered,
                                                        beside=[make for _, make, _ in data_files]))  # forks before any thread starts
        indexer = running.enter_context(SearchIndexer([page.path for page in pages if page.indexed],
                                                      site.archive.config.default_edition, processes, cache,
                                                      rendered.search_digest if rendered else None,
                                                      stream=rendering.pool is None)) if search else None
        # The indexed pages are planned first, run by run (pages.plan_pages), so each indexer run
        # starts while the others are still rendered. A run is indexed page by page as they come
        # where the pages are rendered in this process, on one core: Pagefind has the other. Where
        # worker processes render them on every core, it would only take time from them.
        for number, (page, (html, staged, record)) in enumerate(zip(pages, rendering.render(range(len(pages)), progress))):
            if number % 64 == 0:  # written as soon as the workers have made them: they are large
                for made, data in rendering.made_beside(waiting=False):
                    put_data_file(made, data)
            if rendered and record:
                rendered.note(page.path, record)
            if html is not None:
                put(page.path, html)
                if indexer and staged is not None:
                    indexer.add(page.path, staged, record[2] if record else None)
                continue
            assert rendered and record  # unchanged since the previous build: its file is the page
            previous = rendered.site / page.path
            put(page.path, previous)
            if indexer and record[2] != NOT_INDEXED:
                indexer.add(page.path, functools.partial(_restaged, stage, page.path, previous), record[2])
        progress("feeds and open data", 0, 1)
        for made, data in rendering.made_beside():
            put_data_file(made, data)
        rendering.close()
        for path, data in site.static.items():
            put(path, data)
        for path, make in site.captures(project):
            put(path, make())
        if indexer:
            progress("indexing for search", 0, 1)
            indexer.bundle(put, progress)
        return BuildResult(site.archive, files, tuple(paths))


def _data_files_to_make(site: SitePlan, rendered: RenderedPages | None) -> tuple[
        list[tuple[str, Callable[[], bytes], str]], list[tuple[str, Entry]]]:
    """([(path, maker, digest of what it reads or NO_READS)] of the data files to make, [(path,
    record)] of those the previous build made from what they read now, whose files are intact)."""
    making, kept = [], []
    reads = site.data_reads() if rendered else {}
    for path, make in site.data_files():
        digest = rendered.reads_digest(reads[path]()) if rendered and path in reads else NO_READS
        entry = rendered.unchanged(path, digest) if rendered and digest != NO_READS else None
        if entry is None:
            making.append((path, make, digest))
        else:
            kept.append((path, entry))
    return making, kept


def _restaged(stage: Callable[[str, bytes], bytes | None], path: str, previous: Path) -> bytes:
    """The search text of a page taken from the previous site, made again from its file."""
    staged = stage(path, previous.read_bytes())
    if staged is None:
        raise RuntimeError(f"{path} was indexed by the previous build but is not searchable")
    return staged


def check_out_dir(project: Project, out_dir: Path) -> None:
    """Refuse an output folder whose replacement would lose anything: the sources, or a folder that is not a site."""
    out = out_dir.resolve()
    for name, folder in (("content", project.content), ("templates", project.templates)):
        inside = folder.resolve()
        if out == inside or inside.is_relative_to(out) or out.is_relative_to(inside):
            raise UsageError(f"--out {out_dir}: the build replaces this folder, and it holds or is inside {name}/ "
                             f"({inside}); choose a separate folder such as site/")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise UsageError(f"--out {out_dir}: the folder is not empty and holds no built site (no index.html); the build "
                         "replaces the whole folder, so choose an empty or new folder, or the previous site/")


def build(project: Project, out_dir: Path, base_url: str | None = None, force: bool = False,
          progress: Callable[[str, int, int], None] = _silent, search: bool = True,
          inputs: str | None = None, processes: PagefindProcesses | None = None) -> BuildResult | None:
    """Build the site into out_dir atomically; None when the output is already built from these inputs.

    search=False leaves the search index out (the live preview adds it afterwards, in the background).
    inputs: the input fingerprint where the caller has already computed it. processes: as for gather().
    """
    out_dir = output_folder(out_dir)
    check_out_dir(project, out_dir)
    inputs = inputs or buildrecord.input_fingerprint(project.content, project.templates, {"base_url": base_url or ""})
    with output_lock(out_dir, lambda: progress("waiting for another build of this folder", 0, 1)):
        clean_leftovers(out_dir)
        if not force and buildrecord.is_current(out_dir, inputs):
            return None
        try:
            buildrecord.forget(out_dir)
        except OSError as exc:
            raise cannot_write(out_dir, exc) from None
        with few_collections():
            cache = BuildCache(cache_folder(out_dir), out_dir, project.templates)
            try:
                with StagedTree(out_dir, cache.spare) as tree:
                    result = gather(project, base_url, progress, search=search, cache=cache, write=tree.write_file,
                                    processes=processes)
                    progress("writing", 0, 1)
                    tree.commit()
            except BaseException:
                cache.discard()
                raise
            buildrecord.remember(out_dir, inputs, result.paths)
            cache.save()
    return result
