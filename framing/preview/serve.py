"""The editor's live preview: serve the site from memory under the production base path, rebuild on save.

A save wakes the server through the operating system's file events (watchfiles), not a scan. The
rebuild loads and checks the content and plans every page, but renders none: each page is rendered
the first time a browser asks for it, so the browser reloads as soon as the content is checked. A
moment later a background thread renders every remaining page (reporting a template error the
reloaded page did not reach) and adds the search index. Pages are served under the base path they
will have when published, so sub-path mistakes show while editing. When a build fails, every page
shows the error (file:line and fix) until the next good save brings the site back.
"""

from __future__ import annotations

import errno
import hashlib
import mimetypes
import sys
import functools
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import jinja2
from markupsafe import escape

from framing.preview.annotate_server import with_annotate_panel
from framing.site.editions import ScriptConverter
from framing.output.render import Renderer
from framing.source.baseurl import parse_base_url
from framing.source.markdown import MarkdownRenderer
from framing.errors import FramingError, UsageError, format_error, problems_of
from framing.pipeline import BuildTools, Output, Project, SitePlan, few_collections, load, plan_site
from framing.site.reads import Read, recording
from framing.incremental.outputs import Outputs
from framing.incremental.reuse import Reuse
from framing.incremental.runs import SearchRuns
from framing.search.indexer import search_bundle
from framing.incremental.memo import FileMemo
from framing.site.shared import SharedPassageMemo
from framing.preview.watch import EventWatcher

ASSETS = "assets/"  # fingerprinted files (pipeline.static_files)
SETTLE_SECONDS = 0.5  # after a rebuild, how long the background work waits so the browser's reload comes first


@dataclass
class PreviewSite:
    """One successful rebuild: the static files and captures, and every output planned, each made
    when first asked for (with what it read, so that the next rebuild can keep it)."""

    plan: SitePlan
    files: dict[str, bytes]
    outputs: dict[str, Output]
    seen: Callable[[Read], bytes]
    made: dict[str, bytes] = field(default_factory=dict)
    reads: dict[str, frozenset[Read]] = field(default_factory=dict)  # what each output made read
    seen_now: dict[Read, bytes] = field(default_factory=dict)  # what each of those reads sees in this rebuild
    staged: dict[str, bytes] = field(default_factory=dict)  # the search text of the pages made, once staged
    built: Outputs | None = None  # the last build's outputs, taken from its site/ where none of their reads changed
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def of(cls, plan: SitePlan, project: Project, previous: "PreviewSite | None" = None,
           reuse: Reuse | None = None) -> "PreviewSite":
        """The site of a rebuild, keeping what the previous rebuild made (or, for the first, what the
        last build of site/ left) where none of its reads changed."""
        files = dict(plan.static) | {path: make() for path, make in plan.captures(project)}
        site = cls(plan, files, {output.path: output for output in plan.outputs()}, plan.seen(project.templates))
        if previous is not None and previous.plan.salt == plan.salt:
            site.keep_current(previous)
        elif previous is None and reuse is not None:
            site.built = reuse.outputs_of(plan.salt, site.seen)
        return site

    def keep_current(self, previous: "PreviewSite") -> None:
        """Take from the previous rebuild every output none of whose reads changed."""
        with previous.lock:
            made, reads, staged, before = dict(previous.made), dict(previous.reads), dict(previous.staged), dict(previous.seen_now)
        changed = {read for read, digest in before.items() if self.seen(read) != digest}  # each read looked at once
        self.seen_now = {read: digest for read, digest in before.items() if read not in changed}
        for path, data in made.items():
            output = self.outputs.get(path)
            if output is not None and output.recorded and path in reads and reads[path].isdisjoint(changed):
                self.made[path], self.reads[path] = data, reads[path]
                if path in staged:
                    self.staged[path] = staged[path]

    def get(self, path: str) -> bytes | None:
        """The file at path under the site, made if it is not yet; None if there is none."""
        if path in self.files:
            return self.files[path]
        output = self.outputs.get(path)
        if output is None:
            return None
        with self.lock:
            if path not in self.made and not self._from_build(path, output):
                with recording() as reads:
                    self.made[path] = output.make()
                self._note(path, reads)
            return self.made[path]

    def _from_build(self, path: str, output: Output) -> bool:
        """Take the output from the last build's site/ if none of its reads changed; whether it did."""
        record = self.built.current(path, searching=False) if self.built and output.recorded else None
        if record is None:
            return False
        try:
            data = (self.built.site / path).read_bytes()
        except OSError:  # a build is replacing the folder
            return False
        if hashlib.sha256(data).hexdigest() != record.output:
            return False
        self.made[path] = data
        self._note(path, record.reads)
        return True

    def _note(self, path: str, reads: Iterable[Read]) -> None:
        self.reads[path] = frozenset(reads)
        for read in self.reads[path]:
            if read not in self.seen_now:
                self.seen_now[read] = self.seen(read)

    def is_folder(self, path: str) -> bool:
        return f"{path.rstrip('/')}/index.html" in self.outputs


@dataclass
class PreviewState:
    """The preview's changing state: the last good site, the last error and how many rebuilds there have been."""

    project: Project
    base_url: str | None
    announce: Callable[[], None] = lambda: None  # tells the browsers to reload (set once the server runs)
    site: PreviewSite | None = None
    error: FramingError | None = None
    builds: int = 0
    tools: BuildTools | None = None  # kept from one rebuild to the next: templates compiled, markdown rendered
    reuse: Reuse | None = None  # what the last build of site/ left: the first rebuild starts from it (never written)
    scratch: tempfile.TemporaryDirectory = field(default_factory=lambda: tempfile.TemporaryDirectory(prefix="framing-preview-"))

    @functools.cached_property
    def search_runs(self) -> SearchRuns:
        """The search runs of the last save, so a save indexes again only the runs it changed."""
        return SearchRuns(Path(self.scratch.name))

    def rebuild(self) -> None:
        """Check the content and plan the site; render nothing yet. Then finish in the background."""
        started = time.perf_counter()
        self.builds += 1
        generation = self.builds
        try:
            if self.tools is None:
                self.tools = BuildTools.make(self.project, self.reuse) if self.reuse else \
                    BuildTools(Renderer(self.project.templates), ScriptConverter(), MarkdownRenderer(), SharedPassageMemo(), FileMemo())
            with few_collections():  # as a build does: at 10,000 articles, 1.5 s instead of 2.4 s
                plan = plan_site(self.project, self.base_url, tools=self.tools)
                site = PreviewSite.of(plan, self.project, self.site, self.reuse)
        except FramingError as error:
            self.error = error
            print(format_error(error), file=sys.stderr, flush=True)
            return
        self.site, self.error = site, None
        print(f"rebuilt in {time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)
        timer = threading.Timer(SETTLE_SECONDS, self.complete, args=(site, generation))
        timer.daemon = True
        timer.start()

    def complete(self, site: PreviewSite, generation: int) -> None:
        """Make every file (so a template error shows without opening each page) and add the search index."""
        try:
            for path in list(site.outputs):
                if generation != self.builds:
                    return  # a newer save is being built: its own completion will follow
                site.get(path)
            searchable = {page.path: site.made[page.path] for page in site.plan.pages if page.indexed}
            bundle = search_bundle(searchable, site.plan.archive.config.default_edition, site.plan.converter,
                                   self.search_runs, site.staged)
            self.search_runs.save()
        except FramingError as error:
            if self.fail(site, error):
                self.announce()
            return
        if generation == self.builds:
            site.files.update(bundle)

    def fail(self, site: PreviewSite, error: FramingError) -> bool:
        """A file of site could not be made: the whole site shows the error, unless a newer rebuild replaced it."""
        if site is not self.site or self.error is not None:
            return False
        self.error = error
        print(format_error(error), file=sys.stderr, flush=True)
        return True


def error_page(project: Project, error: FramingError) -> bytes:
    """templates/error.html with the problems; a plain page if the templates themselves are broken."""
    problems = [{"where": p.path + (f":{p.line}" if p.line else ""), "message": p.message, "hint": p.hint}
                for p in problems_of(error)]
    try:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(project.templates)), autoescape=True,
                                 undefined=jinja2.StrictUndefined)
        return env.get_template("error.html").render(problems=problems).encode("utf-8")
    except Exception:  # the templates are what is broken: fall back to a page that needs none
        items = "".join(f"<li><code>{escape(p['where'])}</code>: {escape(p['message'])}<br>fix: {escape(p['hint'])}</li>"
                        for p in problems)
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; object-src \'none\'; base-uri \'none\'">'
                f'<title>Build error</title></head>'
                f"<body><h1>Build error</h1><ul>{items}</ul></body></html>").encode("utf-8")


def _with_reload_script(html: bytes, port: int) -> bytes:
    """Load livereload's client from this server (CSP allows 'self' scripts, not inline ones).

    The optional </head> end tag is dropped so livereload does not also inject its inline loader.
    """
    tag = f'<script src="/livereload.js?port={port}" defer></script>'.encode()
    return html.replace(b"</head>", tag, 1)


def make_app(state: PreviewState, base: str, port: int) -> Callable:
    """A WSGI app serving the preview under base."""

    def respond(start_response, status: str, body: bytes, content_type: str, extra: Iterable = ()) -> list[bytes]:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *extra]
        if not any(name == "Cache-Control" for name, _ in headers):
            headers.append(("Cache-Control", "no-store"))
        start_response(status, headers)
        return [body]

    def error_response(start_response, error: FramingError) -> list[bytes]:
        return respond(start_response, "500 Build Error", _with_reload_script(error_page(state.project, error), port),
                       "text/html; charset=utf-8")

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if not path.startswith(base):
            if path in ("/", "") or path + "/" == base:
                return respond(start_response, "302 Found", b"", "text/plain", [("Location", base)])
            body = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not here</title></head><body>' \
                   f'<p>The site is served under <a href="{base}">{base}</a>.</p></body></html>'.encode()
            return respond(start_response, "404 Not Found", body, "text/html; charset=utf-8")
        relative = path[len(base):]
        site = state.site
        if site is not None and relative and not relative.endswith("/") and site.is_folder(relative):
            return respond(start_response, "301 Moved Permanently", b"", "text/plain", [("Location", path + "/")])
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        wants_html = relative.endswith(".html") or "." not in relative.rsplit("/", 1)[-1]
        if state.error is not None and wants_html or site is None:
            return error_response(start_response, state.error or FramingError("the site has not been built yet"))
        status = "200 OK"
        try:
            body = site.get(relative)
            if body is None:
                status, relative = "404 Not Found", "404.html"
                body = site.get(relative) or b"not found"
        except FramingError as error:  # a template error on the page asked for: the site is broken
            state.fail(site, error)
            return error_response(start_response, error)
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/xml", "application/json"):
            content_type += "; charset=utf-8"
        if content_type.startswith("text/html"):
            body = _with_reload_script(body, port)
        if relative.startswith(ASSETS):  # named by their digest: a changed asset gets a new name
            return respond(start_response, status, body, content_type, [("Cache-Control", "max-age=31536000, immutable")])
        return respond(start_response, status, body, content_type)

    return app


def serve(project: Project, host: str, port: int, base_url: str | None, open_browser: bool) -> int:
    """Run the preview until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload after every save, however quick the saves
    if base_url:
        base = parse_base_url(base_url).path
    else:
        try:
            base = load(project).config.base_url
        except FramingError:  # the preview shows what is wrong in the browser, and serves under the root meanwhile
            base = "/"
    state = PreviewState(project, base, reuse=Reuse(project.root / "site"))
    state.rebuild()
    watcher = EventWatcher(state.rebuild)
    state.announce = watcher.reload
    archive = lambda: state.site.plan.archive if state.site is not None and state.error is None else None  # noqa: E731
    server = Server(with_annotate_panel(make_app(state, base, port), project, archive, base, host, port), watcher=watcher)
    for folder in (project.content, project.templates):
        server.watch(str(folder))
    # Said once the loop runs, that is once the port is bound: a port another program holds says so instead.
    IOLoop.current().add_callback(print, f"serving http://{host}:{port}{base} (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve(port=port, host=host, debug=False, open_url_delay=1 if open_browser else None, restart_delay=0)
    except OSError as error:  # binding: the port is taken, or the host is not an address of this machine
        raise UsageError(f"cannot serve on {host}:{port}: {error.strerror or error}; {_bind_fix(error, port)}") from None
    return 0


def _bind_fix(error: OSError, port: int) -> str:
    """What to do when the preview cannot listen where it was asked to."""
    if error.errno == errno.EADDRINUSE:
        return f"stop the program using the port, or choose another, e.g. --port {port + 1 if port < 65535 else 8000}"
    if error.errno == errno.EACCES:
        return "this user may not listen on that port: choose one above 1023, e.g. --port 8000"
    return "give an address of this machine with --host, e.g. --host 127.0.0.1"
