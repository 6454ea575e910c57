"""Rendering: editor markdown to sanitised HTML, and pages through Jinja2.

Markdown comes from editors and may hold anything, so its HTML passes through nh3 (the Rust
'ammonia' sanitiser) with a short allow-list: no script, style, event handler or javascript: URL
survives. Internal links are written claim:<id>, article:<slug>#<annotation> or theme:<slug> and
resolved per edition after sanitising. Templates run with autoescape and StrictUndefined, so a
missing variable is an error naming the template line rather than an empty string.
"""

from __future__ import annotations

import collections
import hashlib
import multiprocessing
import os
import re
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from html import unescape
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence

import jinja2
import markdown
import nh3

from .errors import TemplateError
from .lineends import as_lf
from .pagecache import NO_READS, NOT_CHECKED, NOT_INDEXED, UNKNOWN, Entry, RenderedPages

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "h2", "h3", "h4", "hr", "i",
                "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
                "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"},  # no q cite: nh3 does not check its scheme
                      "td": {"align"}, "th": {"align"}, "*": {"lang"}}
URL_SCHEMES = {"http", "https", "mailto", "claim", "article", "theme", "page"}
_INTERNAL_HREF = re.compile(r'href="(claim|article|theme|page):([^"#]*)(?:#([^"]*))?"')
_A_TAG = re.compile(r"<a(\s[^>]*)?>")
_HREF = re.compile(r'\shref="([^"]*)"')
_REL = re.compile(r'\srel="')
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")


class MarkdownRenderer:
    """Editor markdown to sanitised HTML, with one parser reused for every text (building one is slow)."""

    def __init__(self) -> None:
        self._parser = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")

    def html(self, text: str) -> str:
        """Sanitised HTML; internal links still in claim:/article:/theme:/page: form."""
        self._parser.reset()
        return nh3.clean(self._parser.convert(text), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                         url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def markdown_to_html(text: str) -> str:
    """Sanitised HTML of one editor text (a fresh renderer: for one-off use)."""
    return MarkdownRenderer().html(text)


def resolve_links(html: str, resolve: Callable[[str, str, str], str]) -> str:
    """Turn claim:/article:/theme: hrefs into URLs; mark external links noopener noreferrer."""
    html = _INTERNAL_HREF.sub(lambda m: f'href="{resolve(m.group(1), m.group(2), m.group(3) or "")}"', html)
    return _A_TAG.sub(_mark_external, html)


def _mark_external(match: re.Match) -> str:
    """rel="noopener noreferrer" on a link that leaves the site (a scheme, or // and its variants)."""
    attributes = match.group(1) or ""
    href = _HREF.search(attributes)
    if not href or _REL.search(attributes):
        return match.group(0)
    url = unescape(href.group(1)).strip().lower()
    if _SCHEME.match(url) or url.startswith(("//", "/\\", "\\")):
        return f'<a rel="noopener noreferrer"{attributes}>'
    return match.group(0)


def _template_location(templates: Path) -> tuple[str, int | None]:
    """The template file and line where the exception being handled was raised."""
    tb = sys.exc_info()[2]
    where: tuple[str, int | None] = ("templates", None)
    root = str(templates.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(root):
            where = (Path(filename).relative_to(templates.resolve().parent).as_posix(), tb.tb_lineno)
        tb = tb.tb_next
    return where


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja2's environment, reading a key of a plain dict (what every page context is made of)
    without first trying an attribute of that name. Jinja2 tries the attribute first, and the
    exception it then catches was a fifth of the time spent rendering an article page. The result
    is Jinja2's own: a dict's attributes are looked up as before, a missing key is undefined."""

    def getattr(self, obj: object, attribute: str) -> object:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class _TemplateLoader(jinja2.FileSystemLoader):
    """templates/, each read as saved with LF line ends and no byte-order mark (lineends.py): a
    template checked out on Windows renders the same bytes as the LF one."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        return as_lf(source), filename, uptodate


class Renderer:
    """Jinja2 environment over templates/; render(template, context) -> str."""

    def __init__(self, templates: Path, bytecode_cache: jinja2.BytecodeCache | None = None):
        self.templates = templates
        self.bytecode_cache = bytecode_cache
        self.env = _Environment(
            loader=_TemplateLoader(str(templates)), autoescape=True,
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True, bytecode_cache=bytecode_cache,
        )

    def check(self) -> None:
        """Compile every template now, so a syntax error is reported before anything renders."""
        for name in self.env.list_templates(extensions=["html", "xml", "txt"]):
            try:
                self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(f"templates/{name}", exc.lineno, f"template syntax error: {exc.message}",
                                    "check the {% %} and {{ }} tags on this line") from None
            except UnicodeDecodeError as exc:
                raise TemplateError(f"templates/{name}", None, f"the template is not valid UTF-8 ({exc.reason})",
                                    "save it as UTF-8, or restore it from the repository") from None

    def render_page(self, page: Plannable) -> bytes:
        """Assemble a planned page and render it, as UTF-8."""
        built = page.build()
        return self.render(built.template, built.context).encode("utf-8")

    def render(self, template: str, context: dict) -> str:
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"templates/{exc.name}", None, "the template does not exist",
                                "restore it from the repository") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"templates/{exc.name or template}", exc.lineno, f"template syntax error: {exc.message}",
                                "check the {% %} and {{ }} tags on this line") from None
        except jinja2.UndefinedError as exc:
            path, line = _template_location(self.templates)
            raise TemplateError(path, line, f"template error: {exc.message}",
                                "the variable is not passed to this template; check its spelling") from None
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            path, line = _template_location(self.templates)
            raise TemplateError(path, line, f"template error: {exc}", "check the expression on this line") from None


class Assembled(Protocol):
    template: str
    context: dict


class Plannable(Protocol):
    """A page that assembles itself on request (pages.PlannedPage); reads, where given, digests what
    assembling it would read (framing/dependencies.py)."""

    path: str
    reads: Callable[[], bytes] | None

    def build(self) -> Assembled: ...


Also = Callable[[str, bytes], "bytes | None"]  # a second product of a page, from its path and HTML
Job = tuple["Renderer", Sequence[Plannable], "Also | None", "RenderedPages | None", Sequence[Callable[[], bytes]]]
Result = tuple["bytes | None", "bytes | None", "Entry | None"]  # HTML (None: unchanged), second product, record
_WORKER: "Job | None" = None  # a worker process's renderer, plan, second product, earlier pages and other files, set as it starts


def _start_worker(*job: object) -> None:
    global _WORKER
    _WORKER = job  # type: ignore[assignment]


def _kept(job: Job, number: int) -> tuple[str, Entry | None]:
    """(the digest of what page number reads, as recorded; the previous build's record of the page
    where nothing it reads has changed and its file is intact, else None)."""
    _, pages, also, rendered, _ = job
    page = pages[number]
    if rendered is None or page.reads is None:
        return NO_READS, None
    reads = rendered.reads_digest(page.reads())
    entry = rendered.unchanged(page.path, reads)
    if entry is not None and (also is None or entry[2] != UNKNOWN):
        return reads, entry  # nothing it reads changed: not even assembled
    return reads, None


def _made(job: Job, number: int, reads: str) -> Result:
    """Page number assembled and rendered (or its bytes taken from the previous site where its
    assembled input is the one recorded); reads: the digest _kept() found."""
    renderer, pages, also, rendered, _ = job
    page = pages[number]
    if rendered is None:
        html = renderer.render_page(page)
        return html, also(page.path, html) if also else None, None
    built = page.build()
    key = rendered.input_digest(built.template, built.context)
    found = rendered.previous(page.path, key)
    if found is not None and (also is None or found[0][2] != UNKNOWN):
        return None, None, found[0][:3] + (reads, found[0][4])  # as the previous build left it, and its second product with it
    html = found[1] if found else renderer.render(built.template, built.context).encode("utf-8")
    second = also(page.path, html) if also else None
    searched = UNKNOWN if also is None else NOT_INDEXED if second is None else hashlib.sha256(second).hexdigest()
    return html, second, (key, hashlib.sha256(html).hexdigest(), searched, reads, NOT_CHECKED) if key else None


def _render(job: Job, number: int) -> Result:
    reads, entry = _kept(job, number)
    return (None, None, entry) if entry is not None else _made(job, number, reads)


def _render_in_worker(pages: list[tuple[int, str]]) -> list[Result]:
    assert _WORKER is not None
    return [_made(_WORKER, number, reads) for number, reads in pages]


def _make_in_worker(number: int) -> bytes:
    assert _WORKER is not None
    return _WORKER[4][number]()


def _started() -> bool:
    return True


PARALLEL_FROM = 400  # below this many pages, starting worker processes costs more than it saves
AHEAD = 4  # chunks of pages a worker may have finished or under way before the caller takes their results
LOOKAHEAD = 512  # pages decided ahead of the one the caller waits for


class _Slot:
    """A page handed to the workers, in the order of results: its chunk's future (a list, empty
    until the chunk is handed over) and its place in the chunk."""

    __slots__ = ("future", "position")

    def __init__(self, future: list, position: int) -> None:
        self.future, self.position = future, position


class PageRendering:
    """Assembles and renders planned pages: in this process, or in worker processes that inherit the plan.

    The workers are forked when the rendering starts, before the caller starts any thread (the search
    indexer), and each receives only page numbers: a page is assembled where it is rendered, so
    contexts never cross between processes, and the parent never holds more than one. also(path,
    html), where given, makes a second product of each page beside it (the text search indexes).
    rendered, where given, holds what the previous build rendered: a page whose input is unchanged
    and whose file there holds the bytes recorded comes back as None instead of its HTML (the caller
    takes the file), without its second product (the record has that product's digest), and each
    result carries the record of its page for the next build. Which pages are unchanged by what
    they read is found in this process, so that the workers get only the pages to assemble.
    Results come back in the order asked for, so the output does not depend on which worker
    finished first.
    beside: the makers of other files (feeds, open data). With workers, they are made there, one at
    a time from the first pages on, so that this process is left to write what the workers make and
    a worker is free for the pages it waits for; without, here, when made_beside() asks for them.
    """

    def __init__(self, renderer: "Renderer", pages: Sequence[Plannable], also: Also | None = None,
                 workers: int | None = None, rendered: RenderedPages | None = None,
                 beside: Sequence[Callable[[], bytes]] = ()) -> None:
        self.job: Job = (renderer, pages, also, rendered, beside)
        self.workers = workers = workers or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None
        self._beside_pending: collections.deque[tuple[int, Future[bytes]]] = collections.deque()
        self._beside_next = 0  # the next beside maker to hand over
        self.chunk = max(1, min(16, len(pages) // (workers * 8)))
        if workers >= 2 and len(pages) >= PARALLEL_FROM:
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start_worker, initargs=self.job)
            self.pool.submit(_started).result()  # a fork start method launches every worker at the first task

    def render(self, numbers: range, progress: Callable[[str, int, int], None]) -> Iterator[Result]:
        """(HTML or None, second product or None, record or None) of pages[n] for each n in numbers, in that order."""
        total = len(numbers)
        progress("rendering pages", 0, total)
        made = self._from_workers(numbers) if self.pool else (_render(self.job, n) for n in numbers)
        for done, result in enumerate(made, start=1):
            yield result
            if done % 50 == 0 or done == total:
                progress("rendering pages", done, total)

    def _from_workers(self, numbers: range) -> Iterator[Result]:
        """The results in order. This process finds the pages that need nothing done (what they read
        is as recorded: digests of records that many pages share, made once here) and hands the
        workers only the others, in chunks, with at most AHEAD chunks a worker under way or finished
        but not yet taken: when the caller (writing the files) is slower than the workers, they wait
        instead of piling pages up in memory. The files made beside go to the workers behind the first
        chunk, which the caller waits for."""
        assert self.pool is not None
        pool, limit = self.pool, self.workers * AHEAD
        decisions = ((number, *_kept(self.job, number)) for number in numbers)
        queue: collections.deque[Result | _Slot] = collections.deque()  # the pages decided, in order
        chunk: list[tuple[int, str]] = []  # pages for the workers, not yet handed over
        future: list[Future[list[Result]]] = []  # where the open chunk's slots find it, once handed over
        under_way = 0  # chunks handed over and not wholly taken

        def hand_over() -> None:
            nonlocal chunk, future, under_way
            if chunk:
                future.append(pool.submit(_render_in_worker, chunk))
                chunk, future, under_way = [], [], under_way + 1
                self._submit_beside()  # behind the first pages: the caller waits for those, in order

        exhausted = False
        while True:
            while not exhausted and under_way < limit and len(queue) < LOOKAHEAD:
                decided = next(decisions, None)
                if decided is None:
                    exhausted = True
                elif decided[2] is not None:
                    queue.append((None, None, decided[2]))
                else:
                    queue.append(_Slot(future, len(chunk)))
                    chunk.append(decided[:2])
                    if len(chunk) == self.chunk:
                        hand_over()
            if under_way < limit or exhausted:
                hand_over()  # a part chunk too: the workers need not wait for this process to decide more
            if exhausted:
                self._submit_beside()  # where no page needed the workers
            if not queue:
                return
            item = queue.popleft()
            if not isinstance(item, _Slot):
                yield item
                continue
            if not item.future:
                hand_over()
            results = item.future[0].result()
            if item.position == len(results) - 1:
                under_way -= 1
            yield results[item.position]

    def _submit_beside(self, every: bool = False) -> None:
        """Hand the workers the next beside maker where none is under way (so that one worker at a
        time makes them, and the pages the caller waits for do not queue behind them all); with
        every, all the rest."""
        pending = self._beside_pending
        while self.pool and self._beside_next < len(self.job[4]) and (every or not any(not f.done() for _, f in pending)):
            pending.append((self._beside_next, self.pool.submit(_make_in_worker, self._beside_next)))
            self._beside_next += 1

    def made_beside(self, waiting: bool = True) -> Iterator[tuple[int, bytes]]:
        """(number, file) of each beside maker not yet taken, in their order: every one (made here
        where there are no workers), or with waiting=False, those the workers have finished (and
        the next handed over)."""
        if self.pool is None:
            if waiting:
                yield from enumerate(make() for make in self.job[4])
            return
        pending = self._beside_pending
        if waiting:
            self._submit_beside(every=True)
        while pending and (waiting or pending[0][1].done()):
            number, future = pending.popleft()
            yield number, future.result()
        if self._beside_next:  # once started by the first pages handed over
            self._submit_beside()

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> "PageRendering":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
