"""The build, top to bottom: load -> plan -> (reuse, or assemble and render) -> index -> write.

plan_site() loads and checks everything and plans every output; gather() takes each output from the
last build where nothing it read has changed, or makes it (assembling and rendering it while its
reads are recorded), hands each to a writer as soon as it is there (or keeps them in memory, for
'check' and the tests) and indexes the pages for search; build() has them written into a staging
tree beside the output folder and swaps that in whole. A problem anywhere before the swap leaves the
previous site untouched, and what the build reuses is kept for the next only once the swap is done.
"""

from __future__ import annotations

import contextlib
import functools
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from framing.errors import ContentError, UsageError
from framing.incremental import inputs
from framing.incremental.memo import FileMemo
from framing.incremental.outputs import NOT_INDEXED, NOT_STAGED, Outputs, seen_in, site_salt, template_digests
from framing.incremental.reuse import Reuse
from framing.output.render import MadeInOrder, Renderer
from framing.output.write import StagedTree, cannot_write, check_paths, clean_leftovers, output_folder, output_lock
from framing.project import Project
from framing.search.indexer import SearchIndexer, staged_for_search
from framing.search.layout import indexing_order
from framing.search.layout import bundles as search_bundles
from framing.search.pagefind import PagefindProcesses
from framing.search.scripttables import EXCERPT_TABLE, SCRIPT_TABLE, excerpt_table, script_table
from framing.site import dataparts, exports, feeds
from framing.site.editions import ScriptConverter
from framing.site.pages import PlannedPage, edition_views, plan_pages
from framing.site.view import EditionView
from framing.site.reads import Digests, Read, record, recording
from framing.site.shared import SharedPassage, find_shared
from framing.source.anchor import TextFolder
from framing.source.baseurl import parse_base_url
from framing.source.content import load_archive
from framing.source.catalogue import load_catalogue
from framing.source.markdown import MarkdownRenderer
from framing.source.records import Archive
from framing.collector import collecting, few_collections
from framing.source.lineends import TEXT_SUFFIXES, lf_bytes

from framing.source.scriptfold import script_fold

TEMPLATE = "template"  # the reads of a template (and of every template it uses) by a page rendered with it


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
    editor markdown (the build's cached one). memo: what files gave when last read (framing/incremental/memo.py).
    """
    return load_archive(project.content, project.root, today(), folder or TextFolder(script_fold()), markdown, memo)


def static_files(project: Project, converter: ScriptConverter) -> tuple[dict[str, bytes], dict[str, str]]:
    """templates/static/* and the search page's script tables, as fingerprinted assets: (files, {name: published path})."""
    made = {SCRIPT_TABLE: script_table(converter), EXCERPT_TABLE: excerpt_table(converter)}
    static = project.templates / "static"
    for path in sorted(static.glob("*")) if static.is_dir() else []:
        if path.is_file() and not path.name.startswith("."):
            made[path.name] = lf_bytes(path.read_bytes()) if path.suffix.lower() in TEXT_SUFFIXES else path.read_bytes()
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
class Output:
    """A file of the site the build makes: a page or a data file, and how to make its bytes."""

    path: str
    make: Callable[[], bytes]
    indexed: bool = False  # search indexes it
    recorded: bool = True  # it reads the archive only through recorded views: it can be reused while its reads are unchanged


@dataclass(frozen=True)
class Made:
    """An output made: its bytes, the text search indexes of it (None: not indexed or no search), and what it read."""

    data: bytes
    staged: bytes | None
    reads: frozenset[Read]


@dataclass(frozen=True)
class SitePlan:
    """Everything a build knows before it makes an output: the archive, its editions and every page, planned."""

    archive: Archive
    views: list[EditionView]
    pages: list[PlannedPage]
    static: dict[str, bytes]
    renderer: Renderer
    converter: ScriptConverter
    salt: str  # a digest of what every output reads without recording it
    digests: Digests

    def outputs(self) -> list[Output]:
        """Every page, then the files made beside them: feeds, robots.txt, the open data and the sitemap."""
        made = [Output(page.path, functools.partial(page_bytes, self.renderer, page), page.indexed) for page in self.pages]
        default = self.views[0]
        made += [Output(view.edition.prefix + "feed.xml", functools.partial(feeds.atom, view)) for view in self.views]
        made += [Output("robots.txt", functools.partial(feeds.robots, self.archive)),
                 *[Output(path, make) for path, make in dataparts.annotation_files(default)],
                 Output("data/articles.json", functools.partial(exports.articles_json, default)),
                 Output("data/claims.json", functools.partial(exports.claims_json, default)),
                 Output("data/claims.csv", functools.partial(exports.claims_csv, default)),
                 *[Output(path, make) for path, make in dataparts.shared_passage_files(default)]]
        if self.archive.config.origin:  # a sitemap lists absolute URLs only; it reads the plan, not the records
            made.append(Output("sitemap.xml", functools.partial(feeds.sitemap, self.archive, self.pages), recorded=False))
        return made

    def seen(self, templates: Path) -> Callable[[Read], bytes]:
        """The digest of what a read sees in this plan: a template's, or a record's."""
        return seen_in({TEMPLATE: template_digests(templates, self.renderer.closure)}, self.digests.of)

    def captures(self, project: Project) -> list[tuple[str, Callable[[], bytes]]]:
        """The raw capture of each article, published beside its page, with the function that reads it."""
        folder = project.content / "captures"
        return [(f"captures/{a.capture}", (folder / a.capture).read_bytes) for a in self.archive.articles]


def page_bytes(renderer: Renderer, page: PlannedPage) -> bytes:
    """A planned page assembled and rendered, its template recorded among its reads."""
    built = page.build()
    record(TEMPLATE, built.template)
    return renderer.render(built.template, built.context).encode("utf-8")


@dataclass(frozen=True)
class BuildTools:
    """The helpers a build works with, each slow to make: the live preview keeps one set from a rebuild to the next.

    Each gives the same output whatever it did before: the renderer recompiles a template whose file
    changed, and the others only remember results (shared_passages: find_shared, or one that
    remembers what it found; memo: what each content file gave while it is unchanged).
    """

    renderer: Renderer
    converter: ScriptConverter
    markdown: MarkdownRenderer
    shared_passages: Callable[[Archive, TextFolder, int], tuple[SharedPassage, ...]] = find_shared
    memo: FileMemo | None = None

    @classmethod
    def make(cls, project: Project, reuse: Reuse | None = None) -> "BuildTools":
        if reuse is None:
            return cls(Renderer(project.templates), ScriptConverter(), MarkdownRenderer())

        def shared(archive: Archive, folder: TextFolder, min_length: int) -> tuple[SharedPassage, ...]:
            return reuse.shared_passages([(a.slug, a.paragraphs) for a in archive.articles], min_length,
                                         lambda: find_shared(archive, folder, min_length))

        return cls(Renderer(project.templates, reuse.bytecode), ScriptConverter(), MarkdownRenderer(), shared, reuse.memo)


def plan_site(project: Project, base_url: str | None = None, progress: Callable[[str, int, int], None] = _silent,
              tools: BuildTools | None = None) -> SitePlan:
    """Load and validate everything, find what articles share, and plan every page of every edition."""
    if not project.templates.is_dir():
        raise ContentError(str(project.templates), None, "the templates folder does not exist",
                           "run the command in the project folder, or pass --templates DIR")
    tools = tools or BuildTools.make(project)
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
    catalogue = load_catalogue(project)
    bundles = search_bundles([article.slug for article in archive.articles], bool(archive.themes))
    views = edition_views(archive, catalogue, converter, assets, shared, bundles)
    planned = plan_pages(views)
    ordered = [planned[number] for number in indexing_order([page.path for page in planned], archive.config.default_edition)]
    salt = site_salt(archive.config, catalogue, assets, [view.edition for view in views], bundles, archive.script_overrides)
    return SitePlan(archive, views, ordered, static, renderer, converter, salt, views[0].index.digests())


def gather(project: Project, base_url: str | None = None, progress: Callable[[str, int, int], None] = _silent,
           search: bool = False, reuse: Reuse | None = None, write: Callable[[str, bytes | Path], None] | None = None,
           processes: PagefindProcesses | None = None) -> BuildResult:
    """Every output file of the site; progress(stage, done, total) hears how far it got.

    write: hears each file as soon as it is there (its bytes, or the last build's file that holds
    them), and the result keeps none of them; without it, BuildResult.files holds them all. search:
    index the pages with Pagefind too, each run as soon as its pages are there. reuse: what the last
    build of the same output folder left (framing/incremental/): an output none of whose reads
    changed is taken from there. processes: the Pagefind processes to index with, where the caller
    has started them.
    """
    with few_collections(), contextlib.ExitStack() as running:
        # A Pagefind process starts first (if the caller has not started it), to load its segmenter
        # while the content loads; the indexer starts more where there are more runs (shards), never
        # more than there are runs.
        if search:
            processes = running.enter_context(processes or PagefindProcesses())
        site = plan_site(project, base_url, progress, BuildTools.make(project, reuse))
        sink = _Sink(write)
        outputs = site.outputs()
        records = reuse.outputs_of(site.salt, site.seen(project.templates)) if reuse else None
        kept = [records.current(output.path, search) if records and output.recorded else None for output in outputs]
        stage = functools.partial(staged_for_search, site.converter) if search else None
        to_make = [number for number, record in enumerate(kept) if record is None]
        maker = running.enter_context(MadeInOrder(functools.partial(_make, outputs, stage), len(to_make)))
        indexer = running.enter_context(SearchIndexer(
            [output.path for output in outputs if output.indexed], site.archive.config.default_edition, processes,
            reuse.runs if reuse else None, _previous_search(records), stream=maker.pool is None)) if search else None
        made = maker.run(to_make)
        progress("rendering pages", 0, len(outputs))
        for number, (output, previous) in enumerate(zip(outputs, kept), start=1):
            if previous is None:
                _hand_over_made(output, next(made), sink, records, indexer, search)
            else:
                file = reuse.site / output.path
                sink.put(output.path, file)
                records.keep(output.path, previous)
                if indexer and previous.search != NOT_INDEXED:
                    indexer.add(output.path, functools.partial(_restaged, stage, output.path, file), previous.search)
            if number % 50 == 0 or number == len(outputs):
                progress("rendering pages", number, len(outputs))
        for path, data in site.static.items():
            sink.put(path, data)
        for path, make in site.captures(project):
            sink.put(path, make())
        if indexer:
            progress("indexing for search", 0, 1)
            indexer.bundle(sink.put, progress)
        return BuildResult(site.archive, sink.files, tuple(sink.paths))


class _Sink:
    """Where the outputs go: to write(path, data), or into files; a path given twice is refused."""

    def __init__(self, write: Callable[[str, bytes | Path], None] | None) -> None:
        self.write, self.files, self.paths, self._seen = write, {}, [], set()

    def put(self, path: str, data: bytes | Path) -> None:
        self.paths.append(path)
        if self.write:
            self.write(path, data)  # the writer refuses a path given twice, as StagedTree.write_file does
        else:
            check_paths([path], self._seen)
            self.files[path] = data if isinstance(data, bytes) else data.read_bytes()


def _make(outputs: list[Output], stage: Callable[[str, bytes], bytes | None] | None, number: int) -> Made:
    """Output number made, with what it read (in a worker process, where there are workers)."""
    output = outputs[number]
    with recording() as reads:
        data = output.make()
    staged = stage(output.path, data) if stage and output.indexed else None
    return Made(data, staged, frozenset(reads))


def _hand_over_made(output: Output, made: Made, sink: _Sink, records: Outputs | None, indexer: SearchIndexer | None,
                    search: bool) -> None:
    sink.put(output.path, made.data)
    if indexer and made.staged is not None:
        indexer.add(output.path, made.staged)
    if records is not None and output.recorded:
        searched = NOT_STAGED if not search else NOT_INDEXED if made.staged is None else hashlib.sha256(made.staged).hexdigest()
        records.note(output.path, made.reads, made.data, searched)


def _previous_search(records: Outputs | None) -> Callable[[str], str | None]:
    """previous(path): the digest of the text the last build indexed of a page, where known."""
    def previous(path: str) -> str | None:
        record = records.previous(path) if records else None
        return record.search if record else None
    return previous


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
          fingerprint: str | None = None, processes: PagefindProcesses | None = None) -> BuildResult | None:
    """Build the site into out_dir atomically; None when the output is already built from these inputs.

    search=False leaves the search index out. fingerprint: the inputs' fingerprint where the caller
    has already computed it. processes: as for gather().
    """
    out_dir = output_folder(out_dir)
    check_out_dir(project, out_dir)
    fingerprint = fingerprint or inputs.build_fingerprint(project.content, project.templates, base_url, search)
    with output_lock(out_dir, lambda: progress("waiting for another build of this folder", 0, 1)):
        clean_leftovers(out_dir)
        reuse = Reuse(out_dir)
        if not force and reuse.is_current(fingerprint):
            reuse.discard()
            return None
        with few_collections():
            try:
                with StagedTree(out_dir, reuse.spare) as tree:
                    result = gather(project, base_url, progress, search=search, reuse=reuse, write=tree.write_file,
                                    processes=processes)
                    progress("writing", 0, 1)
                    tree.commit()
            except BaseException:
                reuse.discard()
                raise
            try:
                reuse.commit(fingerprint, result.paths)
            except OSError as exc:
                raise cannot_write(out_dir, exc) from None
    return result
