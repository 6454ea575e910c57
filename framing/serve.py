"""The editor's live preview: build, serve under the production base path, rebuild on save.

The site is built into a temporary folder and served by a small WSGI app inside livereload's
server, under the same base path it will have when published, so sub-path mistakes show while
editing. When a build fails, every page shows the error (file:line and fix) and the server keeps
the last good build for static files; the next good save brings the site back.
"""

from __future__ import annotations

import mimetypes
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import jinja2
from markupsafe import escape

from .errors import FramingError, format_error, problems_of
from .pipeline import Project, build, load
from .search import search_bundle
from .config import normalise_base_url


@dataclass
class PreviewState:
    """The preview's one piece of changing state: the last build's outcome."""

    project: Project
    out_dir: Path
    base_url: str | None
    error: FramingError | None = None
    builds: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        """Build without the search index, so the browser reloads at once; then index in the background."""
        started = time.perf_counter()
        with self.lock:
            try:
                result = build(self.project, self.out_dir, self.base_url, force=True, search=False)
            except FramingError as error:
                self.error = error
                print(format_error(error), file=sys.stderr, flush=True)
                return
            self.error = None
            self.builds += 1
            generation = self.builds
            print(f"rebuilt in {time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)
        threading.Thread(target=self.add_search, args=(result.files, generation), daemon=True).start()

    def add_search(self, files: dict[str, bytes], generation: int) -> None:
        """Write the search bundle into the preview, unless a newer build has replaced it meanwhile."""
        try:
            bundle = search_bundle(files)
        except FramingError as error:
            print(format_error(error), file=sys.stderr, flush=True)
            return
        with self.lock:
            if generation != self.builds:
                return
            for path, data in bundle.items():
                target = self.out_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)


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
    tag = f'<script src="/livereload.js?port={port}"></script>'.encode()
    return html.replace(b"</head>", tag, 1)


def make_app(state: PreviewState, base: str, port: int) -> Callable:
    """A WSGI app serving the preview folder under base."""

    def respond(start_response, status: str, body: bytes, content_type: str, extra: Iterable = ()) -> list[bytes]:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"), *extra]
        start_response(status, headers)
        return [body]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if not path.startswith(base):
            if path in ("/", "") or path + "/" == base:
                return respond(start_response, "302 Found", b"", "text/plain", [("Location", base)])
            body = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not here</title></head><body>' \
                   f'<p>The site is served under <a href="{base}">{base}</a>.</p></body></html>'.encode()
            return respond(start_response, "404 Not Found", body, "text/html; charset=utf-8")
        relative = path[len(base):]
        target = (state.out_dir / relative).resolve()
        if target.is_dir():
            if not path.endswith("/"):
                return respond(start_response, "301 Moved Permanently", b"", "text/plain", [("Location", path + "/")])
            target = target / "index.html"
        wants_html = target.suffix in (".html", "") or path.endswith("/")
        if state.error is not None and wants_html:
            return respond(start_response, "500 Build Error", _with_reload_script(error_page(state.project, state.error), port),
                           "text/html; charset=utf-8")
        status = "200 OK"
        inside = target.is_relative_to(state.out_dir.resolve())
        if not inside or not target.is_file():
            status, target = "404 Not Found", state.out_dir / "404.html"
            if not target.is_file():
                return respond(start_response, status, b"not found", "text/plain")
        body = target.read_bytes()
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/xml", "application/json"):
            content_type += "; charset=utf-8"
        if content_type.startswith("text/html"):
            body = _with_reload_script(body, port)
        return respond(start_response, status, body, content_type)

    return app


def serve(project: Project, host: str, port: int, base_url: str | None, open_browser: bool) -> int:
    """Run the preview until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload after every save, however quick the saves
    try:
        base = normalise_base_url(base_url) if base_url else load(project).config.base_url
    except FramingError:
        base = normalise_base_url(base_url or "/")
    with tempfile.TemporaryDirectory(prefix="framing-preview-") as scratch:
        state = PreviewState(project, Path(scratch) / "site", base)
        state.rebuild()
        server = Server(make_app(state, base, port))
        for folder in (project.content, project.templates):
            server.watch(str(folder), state.rebuild, delay=0)
        print(f"serving http://{host}:{port}{base} (Ctrl-C stops)", file=sys.stderr, flush=True)
        server.serve(port=port, host=host, debug=False, open_url_delay=1 if open_browser else None,
                     restart_delay=0)
    return 0
