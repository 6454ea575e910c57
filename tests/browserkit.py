"""Browser-test support: the built site served over HTTP under a sub-path, as GitHub Pages serves a
project site, and Debian's Chromium driven by Playwright.

The server answers /repo/<path> from the site folder and, like GitHub Pages, any missing path with
the site's root 404.html and status 404. Tests that use these fixtures are marked 'browser'; they are
skipped only where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.parse
from pathlib import Path

import pytest

from framing.search.searchrecords import without_ignored

CHROMIUM = Path("/usr/bin/chromium")
BASE = "/repo/"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
SEARCHABLE = re.compile(r"^(?:(zh-hant|en)/)?(?:articles|themes)/[^/]+/index\.html$")

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".wasm": "application/wasm", ".xml": "application/xml"}

    def log_message(self, *args):  # keep pytest's output clean
        pass

    def send_head(self):
        path = urllib.parse.urlsplit(self.path).path
        target = Path(self.translate_path(self.path))
        if not path.startswith(BASE) or not (target.is_file() or (target / "index.html").is_file()):
            return self._not_found()
        return super().send_head()

    def translate_path(self, path):
        path = urllib.parse.urlsplit(path).path
        inside = path[len(BASE):] if path.startswith(BASE) else "__outside__"
        return super().translate_path("/" + inside)

    def _not_found(self):
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


class SiteServer:
    """The site folder served on 127.0.0.1 under BASE; url('en/') -> 'http://127.0.0.1:N/repo/en/'."""

    def __init__(self, site: Path):
        self.site = site
        handler = functools.partial(_Handler, directory=str(site))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, route: str = "") -> str:
        return self.origin + BASE + route

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


class Problems:
    """Console errors, uncaught exceptions and failed requests seen by the pages of a context."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def watch(self, page) -> None:
        page.on("console", lambda m: self.seen.append(f"console {m.type}: {m.text} ({page.url})") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.seen.append(f"exception: {e} ({page.url})"))
        # ERR_ABORTED is a request cut short because the reader moved on (the favicon, fetched after load).
        page.on("requestfailed", lambda r: self.seen.append(f"failed request: {r.url} ({r.failure})")
                if r.failure != "net::ERR_ABORTED" else None)
        page.on("response", lambda r: self.seen.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


def searchable_pages(site: Path, edition: str = "") -> dict[str, str]:
    """{url path under BASE: the indexed text of <main>} for the article and theme pages of one edition
    (without what a theme page gathers from the article pages, which are indexed themselves)."""
    pages = {}
    for path in sorted(site.rglob("index.html")):
        relative = path.relative_to(site).as_posix()
        match = SEARCHABLE.match(relative)
        if match and (match.group(1) or "") == edition.rstrip("/"):
            html = path.read_text(encoding="utf-8")
            main = without_ignored(re.search(r"<main\b.*?</main>", html, re.S).group(0))
            pages[relative.removesuffix("index.html")] = re.sub(r"<[^>]+>", "", main)
    return pages
