"""Annotating from the preview: the panel's files and its one endpoint, in front of the preview's app.

Only 'build.py serve' on a loopback address has them; a build writes none of it. Article pages get
the panel's stylesheet and script (static files, as the pages' Content-Security-Policy allows no
inline script), the script tag carrying a secret made afresh each run. The endpoint takes POST only,
from a page of this server (the Origin and Host headers), with the secret, a JSON body of bounded
size; it writes only through framing/preview/annotate_edit.py, which confines it to content/annotations/
and content/claims/.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import secrets
import sys
from pathlib import Path
from typing import Callable, Iterable

import opencc

from framing.source.anchor import TextFolder
from framing.preview.annotate import Anchoring
from framing.preview.annotate_edit import Annotator, NewClaim, Rejection, Selection
from framing.preview.annotate_text import Draft
from framing.project import Project
from framing.source.records import DEVICES, ENTMAN_FUNCTIONS, FRAME_DIMENSIONS, Archive

PANEL = "/_annotate/"  # not a slug: no page of the site can be there
API = "api"
TOKEN_HEADER = "HTTP_X_ANNOTATE_TOKEN"
FILES = {"panel.js": "text/javascript; charset=utf-8", "panel.css": "text/css; charset=utf-8"}
FOLDER = Path(__file__).resolve().parent / "panel"
MAX_BODY = 256 * 1024
MAX_TEXT = 20_000  # characters of one field (a paragraph is at most a line of a content file)
_ARTICLE_PAGE = re.compile(r"(?:^|/)articles/[a-z0-9-]+/(?:index\.html)?$")
DRAFT_FIELDS = ("id", "theme", "claim", "tags", "device", "entman", "frame", "commentary", "gloss", "commentary_en")


def is_loopback(host: str) -> bool:
    """Whether the preview listens on this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _json_response(start_response, status: int, payload: dict, extra: Iterable = ()) -> list[bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
              409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type", 500: "Internal Server Error",
              503: "Service Unavailable"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body))),
                                          ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"), *extra])
    return [body]


def _problem(start_response, status: int, message: str, hint: str = "", extra: Iterable = ()) -> list[bytes]:
    return _json_response(start_response, status, {"ok": False, "problems": [{"message": message, "hint": hint}]}, extra)


def _text(body: dict, name: str, limit: int = MAX_TEXT) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        raise Rejection(400, [(f"'{name}' must be text of at most {limit:,} characters", "")])
    return value


def _number(body: dict, name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10 * MAX_TEXT:
        raise Rejection(400, [(f"'{name}' must be a whole number", "")])
    return value


def _selection(body: dict) -> Selection:
    paragraph = _number(body, "paragraph")
    if paragraph < 1:
        raise Rejection(400, [("'paragraph' counts from 1", "")])
    return Selection(_text(body, "slug", 100), paragraph - 1, _text(body, "shown"), _number(body, "start"), _number(body, "end"))


def _draft(body: dict) -> Draft:
    values = {name: _text(body, name) for name in DRAFT_FIELDS}
    return Draft(quote="", contexts=(), **values)


def choices(archive: Archive) -> dict:
    """What the panel's lists offer: the themes, the claims with their themes, the framing vocabularies."""
    return {"themes": [{"id": t.slug, "title": t.title, "title_en": t.title_en} for t in archive.themes],
            "claims": sorted(({"id": c.id, "label": c.label, "label_en": c.label_en, "theme": c.theme} for c in archive.claims),
                             key=lambda claim: claim["id"]),
            "device": list(DEVICES), "entman": list(ENTMAN_FUNCTIONS), "frame": list(FRAME_DIMENSIONS)}


def _located(found: Anchoring) -> dict:
    return {"quote": found.quote, "paragraph": found.span.paragraph + 1, "count": len(found.occurrences),
            "paragraphs": sorted({span.paragraph + 1 for span in found.occurrences}), "anchors": found.anchors,
            "context": {"key": found.context.key, "text": found.context.text} if found.context else None}


class AnnotatePanel:
    """A WSGI app: the preview's app, with the panel on its article pages and the panel's endpoint."""

    def __init__(self, app: Callable, annotator: Annotator, archive: Callable[[], Archive | None], base: str,
                 host: str, port: int, token: str | None = None):
        self.app, self.annotator, self.archive, self.base = app, annotator, archive, base
        self.token = token or secrets.token_urlsafe(32)
        self.hosts = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]", host)}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path.startswith(PANEL):
            name = path[len(PANEL):]
            if name == API:
                return self.api(environ, start_response)
            return self.static(environ, start_response, name)
        if path.startswith(self.base) and _ARTICLE_PAGE.search(path[len(self.base):]):
            return self.article_page(environ, start_response)
        return self.app(environ, start_response)

    # ------------------------------------------------------------ pages and files

    def tags(self) -> bytes:
        return (f'<link rel="stylesheet" href="{PANEL}panel.css">'
                f'<script src="{PANEL}panel.js" data-token="{self.token}" defer></script>').encode()

    def article_page(self, environ, start_response):
        """The page as the preview serves it, with the panel's stylesheet and script before </body>."""
        answer: dict = {}

        def capture(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        headers = answer["headers"]
        html = any(name == "Content-Type" and value.startswith("text/html") for name, value in headers)
        if answer["status"].startswith("200") and html and b"</body>" in body:
            at = body.rindex(b"</body>")
            body = body[:at] + self.tags() + body[at:]
            headers = [(n, str(len(body)) if n == "Content-Length" else v) for n, v in headers]
        start_response(answer["status"], headers)
        return [body]

    def static(self, environ, start_response, name: str):
        if name not in FILES:
            return _problem(start_response, 404, "no such file of the panel")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _problem(start_response, 405, "GET only", extra=[("Allow", "GET, HEAD")])
        body = (FOLDER / name).read_bytes()
        start_response("200 OK", [("Content-Type", FILES[name]), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
        return [body]

    # ------------------------------------------------------------ the endpoint

    def refusal(self, environ) -> str:
        """Why a request may not use the endpoint ('' when it may)."""
        host, origin = environ.get("HTTP_HOST", ""), environ.get("HTTP_ORIGIN", "")
        if host not in self.hosts:
            return "the request is not addressed to this preview"
        if origin != f"http://{host}":
            return "the request does not come from a page of this preview"
        if environ.get("HTTP_SEC_FETCH_SITE", "same-origin") != "same-origin":
            return "the request does not come from a page of this preview"
        if not hmac.compare_digest(environ.get(TOKEN_HEADER, "").encode(), self.token.encode()):
            return "the request does not carry this run's token"
        return ""

    def api(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST":
            return _problem(start_response, 405, "POST only", extra=[("Allow", "POST")])
        why = self.refusal(environ)
        if why:
            return _problem(start_response, 403, why, "reload the preview's page and try again")
        if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            return _problem(start_response, 415, "the body must be JSON")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return _problem(start_response, 413, f"the body must be 1 to {MAX_BODY:,} bytes")
        try:
            body = json.loads(environ["wsgi.input"].read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _problem(start_response, 400, "the body is not JSON")
        archive = self.archive()
        if archive is None:
            return _problem(start_response, 503, "the preview shows a build error", "fix it; then annotate")
        try:
            if not isinstance(body, dict):
                raise Rejection(400, [("the body must be a JSON object", "")])
            return _json_response(start_response, 200, {"ok": True, **self.act(archive, body)})
        except Rejection as rejection:
            problems = [{"message": message, "hint": hint} for message, hint in rejection.problems]
            return _json_response(start_response, rejection.status, {"ok": False, "problems": problems})

    def act(self, archive: Archive, body: dict) -> dict:
        action, annotator = _text(body, "action", 20), self.annotator
        if action == "locate":
            selection = _selection(body)
            found = annotator.locate(archive, selection)
            article = annotator.article(archive, selection.slug)
            return {**_located(found), "lang": article.script, "choices": choices(archive),
                    "id": annotator.propose(archive, selection.slug, f"p{found.span.paragraph + 1}")}
        if action == "propose":
            return {"id": annotator.propose(archive, _text(body, "slug", 100), _text(body, "hint", 100))}
        if action == "read":
            slug = _text(body, "slug", 100)
            draft = annotator.read(slug, _text(body, "id", 100))
            article = annotator.article(archive, slug)
            return {"quote": draft.quote, "lang": article.script, "choices": choices(archive),
                    "contexts": [{"key": c.key, "text": c.text} for c in draft.contexts],
                    **{name: getattr(draft, name) for name in DRAFT_FIELDS}}
        if action == "add":
            claim = body.get("new_claim")
            new_claim = NewClaim(_text(claim, "label", 500), _text(claim, "label_en", 500)) if isinstance(claim, dict) else None
            written = annotator.add(archive, _selection(body), _draft(body), new_claim)
        elif action == "edit":
            written = annotator.edit(archive, _text(body, "slug", 100), _draft(body))
        elif action == "delete":
            written = annotator.delete(archive, _text(body, "slug", 100), _text(body, "id", 100))
        else:
            raise Rejection(400, [(f"unknown action '{action}'", "use locate, propose, read, add, edit or delete")])
        shown = [annotator.loader.shown(path) for path in written]
        print(f"annotate: {action} {_text(body, 'id', 100)}: wrote {', '.join(shown)}", file=sys.stderr, flush=True)
        return {"id": _text(body, "id", 100), "files": shown}


def with_annotate_panel(app: Callable, project: Project, archive: Callable[[], Archive | None], base: str,
                        host: str, port: int) -> Callable:
    """The preview's app with the annotation panel, where the preview listens on this machine only.

    archive: the archive the preview has loaded, None while it shows a build error."""
    if not is_loopback(host):
        print(f"the annotation panel is off: the preview listens on {host}, not on this machine only "
              "(serve on 127.0.0.1 to annotate from the browser)", file=sys.stderr, flush=True)
        return app
    annotator = Annotator(project.content, project.root, TextFolder(opencc.OpenCC("t2s")))  # the folding 'check' uses
    return AnnotatePanel(app, annotator, archive, base, host, port)
