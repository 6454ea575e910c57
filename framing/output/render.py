"""Rendering pages through Jinja2.

Templates run with autoescape and StrictUndefined, so a missing variable is an error naming the
template line rather than an empty string.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence, TypeVar

import jinja2
import jinja2.meta

from framing.errors import TemplateError
from framing.source.lineends import as_lf

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
    """templates/, each read as saved with LF line ends and no byte-order mark (source/lineends.py): a
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

    def closure(self, name: str) -> set[str]:
        """The template and every template it extends, includes or imports, however deep (every
        template, where one of them names another only when it runs)."""
        found, waiting = set(), [name]
        while waiting:
            current = waiting.pop()
            if current in found:
                continue
            found.add(current)
            try:
                source = self.env.loader.get_source(self.env, current)[0]
                named = list(jinja2.meta.find_referenced_templates(self.env.parse(source)))
            except (jinja2.TemplateError, OSError, UnicodeDecodeError):
                continue  # rendering reports it
            if None in named:
                return set(self.env.list_templates())
            waiting.extend(named)
        return found

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
    """A page that assembles itself on request (site.pages.PlannedPage)."""

    path: str

    def build(self) -> Assembled: ...


R = TypeVar("R")
_MAKE: "Callable[[int], object] | None" = None  # a worker process's maker, set as it starts


def _start_worker(make: Callable[[int], object]) -> None:
    global _MAKE
    _MAKE = make


def _make_in_worker(numbers: list[int]) -> list[object]:
    assert _MAKE is not None
    return [_MAKE(number) for number in numbers]


def _started() -> bool:
    return True


PARALLEL_FROM = 400  # below this many outputs, starting worker processes costs more than it saves
AHEAD = 4  # chunks a worker may have under way or finished before the caller takes their results


class MadeInOrder:
    """make(n) for each n asked for, in that order: in this process, or in worker processes forked
    with make (so what it makes from, the whole plan, is never sent to them: only numbers go, and
    results come back). The workers are forked before the caller starts any thread. At most AHEAD
    chunks a worker are under way or finished but not taken: when the caller, writing the files, is
    slower than the workers, they wait instead of piling results up in memory."""

    def __init__(self, make: Callable[[int], R], count: int, workers: int | None = None) -> None:
        self.make = make
        self.workers = workers = workers or os.cpu_count() or 1
        self.chunk = max(1, min(16, count // (workers * 8)))
        self.pool: ProcessPoolExecutor | None = None
        if workers >= 2 and count >= PARALLEL_FROM:
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start_worker, initargs=(make,))
            self.pool.submit(_started).result()  # a fork start method launches every worker at the first task

    def run(self, numbers: Sequence[int]) -> Iterator[R]:
        if self.pool is None:
            for number in numbers:
                yield self.make(number)
            return
        chunks = [list(numbers[at:at + self.chunk]) for at in range(0, len(numbers), self.chunk)]
        pending: collections.deque[Future[list[R]]] = collections.deque()
        handed = 0
        while pending or handed < len(chunks):
            while handed < len(chunks) and len(pending) < self.workers * AHEAD:
                pending.append(self.pool.submit(_make_in_worker, chunks[handed]))
                handed += 1
            yield from pending.popleft().result()

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> "MadeInOrder":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
