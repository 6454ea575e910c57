"""What each command does, given parsed arguments. Errors propagate to build.py, which reports them."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

from framing.incremental import inputs
from framing.incremental.reuse import Reuse
from framing.errors import UsageError
from framing.search.pagefind import PagefindProcesses
from framing.output.write import output_folder
from framing.project import Project

# The heavy modules (Jinja2, OpenCC, markdown …) are imported inside the commands that need them,
# so that a build with nothing to do answers at once.


def _project(args: argparse.Namespace, root: Path) -> Project:
    return Project(root, args.content.absolute(), args.templates.absolute())


def terminal_progress(quiet: bool):
    """A one-line progress report on a terminal; silence in CI, pipes and with --quiet."""
    if quiet or not sys.stderr.isatty():
        return lambda stage, done, total: None

    def report(stage: str, done: int, total: int) -> None:
        if total > 1:
            width = 30
            filled = width * done // total
            line = f"{stage:<24} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            line = f"{stage}…"
        sys.stderr.write("\r\033[K" + line)
        sys.stderr.flush()

    return report


class StageClock:
    """How long each stage of a build took, from its progress reports (a stage that comes back adds up)."""

    def __init__(self, then: Callable[[str, int, int], None]) -> None:
        self.then = then
        self.totals: dict[str, float] = {}
        self._stage: str | None = "preparing"  # until the first report: fingerprints, caches, templates
        self._since = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self._close()
            self._stage = stage
        self.then(stage, done, total)

    def _close(self) -> None:
        now = time.perf_counter()
        if self._stage is not None:
            self.totals[self._stage] = self.totals.get(self._stage, 0.0) + now - self._since
        self._since = now

    def report(self) -> str:
        """One line a stage, in the order they first came, and the total."""
        self._close()
        self._stage = None
        width = max((len(stage) for stage in self.totals), default=5)
        lines = [f"{stage:<{width}}  {seconds:7.2f} s" for stage, seconds in self.totals.items()]
        return "\n".join(lines + [f"{'total':<{width}}  {sum(self.totals.values()):7.2f} s"])


def cmd_build(args: argparse.Namespace, root: Path) -> int:
    started = time.perf_counter()
    project = _project(args, root)
    out = output_folder(args.out)
    fingerprint = inputs.build_fingerprint(project.content, project.templates, args.base_url, search=True)
    if not args.force and Reuse(out).is_current(fingerprint):
        if not args.quiet:
            print(f"{args.out} is up to date: nothing changed since the last build (--force rebuilds anyway)")
        return 0
    clock = StageClock(terminal_progress(args.quiet))
    with PagefindProcesses() as processes:  # started first: it warms up while the libraries are imported
        from framing.pipeline import build

        result = build(project, out, args.base_url, force=True, progress=clock, fingerprint=fingerprint, processes=processes)
    from framing.output import sitesize

    size = sitesize.measure(out, result.paths)
    for warning in sitesize.warnings(size):  # shown even with --quiet: the site may not publish
        print(warning, file=sys.stderr)
    if args.timings:
        if sys.stderr.isatty() and not args.quiet:
            sys.stderr.write("\r\033[K")
        print(clock.report(), file=sys.stderr)
    if not args.quiet:
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
        archive = result.archive
        print(f"built {len(result.paths)} files, {sitesize.megabytes(size.total)} ({len(archive.articles)} articles, "
              f"{len(archive.annotations)} annotations, {len(archive.claims)} claims) into {args.out} in "
              f"{time.perf_counter() - started:.2f} s")
    return 0


def cmd_check(args: argparse.Namespace, root: Path) -> int:
    from framing.source.coverage import load_allowances, measure, report
    from framing.pipeline import gather, today
    from framing.source.lineends import windows_note, windows_saved

    from framing.output.englishcheck import english_problems
    from framing.errors import ContentErrors, format_problem

    project = _project(args, root)
    result = gather(project)
    archive = result.archive
    untranslated = english_problems(archive, result.files, root)
    if untranslated and args.strict:
        raise ContentErrors(untranslated)
    for problem in untranslated:
        print(f"warning: {format_problem(problem)}", file=sys.stderr)
    print(f"ok: {len(archive.articles)} articles, {len(archive.annotations)} annotations, {len(archive.claims)} claims, "
          f"{len(archive.themes)} themes; {len(result.paths)} files would be written")
    note = windows_note(windows_saved(project.content, project.templates))
    if note:
        print(note)
    sources_failed = report_source_check(archive, args.strict)
    if args.coverage is None:
        return 1 if sources_failed else 0
    coverage = measure(archive, load_allowances(project.content, root, today()))
    print(report(coverage, "content/coverage-allow.yaml"))
    if coverage.percent < args.coverage or coverage.unused:
        print(f"coverage {coverage.percent:.1f} % is below the required {args.coverage:g} %" if coverage.percent < args.coverage
              else "the allow-list has stale entries", file=sys.stderr)
        return 1
    return 1 if sources_failed else 0


def report_source_check(archive, strict: bool) -> bool:
    """Print the source check's findings (framing/source/sourcecheck.py) as warnings; True where --strict
    makes them fail the check."""
    from framing.errors import format_problem
    from framing.source.sourcecheck import check_sources

    checked = check_sources(archive)
    if checked is None:
        print("sources: not checked (there is no content/publishers.yaml)")
        return False
    for finding in checked.findings:
        print("warning: " + format_problem(finding), file=sys.stderr)
    print(f"sources: {checked.sources} sources of {checked.claims} claims and the events checked; "
          f"{checked.off_domain} with a url not on its publisher's domains, "
          f"{checked.unsupported} claims without an original or reputable source"
          + (" (errors with --strict)" if checked.findings and strict else " (warnings; --strict fails on them)" if checked.findings else ""))
    return strict and bool(checked.findings)


def cmd_import(args: argparse.Namespace, root: Path) -> int:
    from framing.commands.importer import import_capture, parse_trim

    trims = [parse_trim(option) for option in args.trim]
    imported = import_capture(args.capture, args.slug, args.content.absolute(), trims)
    paragraphs = f"{imported.paragraphs} paragraph{'s' if imported.paragraphs != 1 else ''}"
    print(f"wrote {imported.article} ({paragraphs}, language {imported.language}: correct 'language:' if it is not); "
          f"capture kept as {imported.capture}.\nNow fill in title, outlet, authors, published and sources.")
    return 0


def cmd_serve(args: argparse.Namespace, root: Path) -> int:
    from framing.preview.serve import serve

    return serve(_project(args, root), args.host, args.port, args.base_url, args.open)


COMMANDS = {"build": cmd_build, "check": cmd_check, "import": cmd_import, "serve": cmd_serve}


def dispatch(args: argparse.Namespace, root: Path) -> int:
    if args.command is None:
        args.command = "build"
    if args.command not in COMMANDS:
        raise UsageError(f"unknown command {args.command}")
    return COMMANDS[args.command](args, root)
