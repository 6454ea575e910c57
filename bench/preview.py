#!/usr/bin/env python3
"""Measure the live preview: from saving a file to the reloaded page in a browser.

    python bench/preview.py              # the seed archive, 15 saves, the median shown
    python bench/preview.py --runs 40
    python bench/preview.py --articles 10000 --runs 5   # a synthetic archive (bench/generate.py)

With --articles, the archive is generated first and built once with `build.py build` (so the
preview starts from the store that build left, as an editor's does), and the time from starting
`build.py serve` to its first page is measured too.

It copies content/ and templates/ to a scratch folder, starts `build.py serve` on them, and opens an
article page in headless Chromium (Playwright, driving Debian's /usr/bin/chromium; set CHROMIUM to
use another). Each run appends a marker to one annotation's note, saves the file, and waits until
the browser shows the marker: the time covers the file event, the rebuild, livereload's message,
the browser's reload and the page's load. It prints a Markdown table and writes it, with the
machine it ran on, to bench/preview-results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from seed_copy import NOTE, ROOT, measured_on, seed_copy

PAGE = "articles/aggregator-baseless-accusation/"
SYNTHETIC_NOTE = "合成注释"  # the start of each note of a generated article (bench/generate.py); the first is marked
TIME_LIMIT = 20.0  # seconds a run may take before the benchmark gives up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, limit: float) -> None:
    import urllib.request

    deadline = time.monotonic() + limit
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"the preview did not answer at {url} within {limit:.0f} s")
        time.sleep(0.1)


@contextlib.contextmanager
def synthetic_copy(articles: int) -> Iterator[tuple[Path, Path, str, str]]:
    """(project, annotation file, its text, page) of a generated archive, built once into its site/."""
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as scratch:
        project = Path(scratch)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--articles", str(articles),
                        "--out", str(project)], check=True)
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--quiet", "--out", str(project / "site"),
                        "--content", str(project / "content"), "--templates", str(project / "templates")], check=True)
        source = project / "content" / "annotations" / "synthetic-00000.md"
        yield project, source, source.read_text(encoding="utf-8"), "articles/synthetic-00000/"


def seed_project() -> contextlib.AbstractContextManager:
    @contextlib.contextmanager
    def made() -> Iterator[tuple[Path, Path, str, str]]:
        with seed_copy("preview-bench-") as (project, source, original):
            yield project, source, original, PAGE
    return made()


def measure(runs: int, chromium: str, articles: int) -> tuple[float, list[float]]:
    """(seconds from starting the preview to its first page, seconds from each save to the page showing it)."""
    from playwright.sync_api import sync_playwright

    with (synthetic_copy(articles) if articles else seed_project()) as (project, source, original, page_path):
        note = SYNTHETIC_NOTE if articles else NOTE
        port = free_port()
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--base-url", "/",
                                   "--content", str(project / "content"), "--templates", str(project / "templates")],
                                  cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/{page_path}"
            wait_until_up(url, 600)
            first = time.perf_counter() - started
            times = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium)
                page = browser.new_page()
                page.goto(url, wait_until="load")
                page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
                settle = 3 if not articles else 3 + articles / 200
                time.sleep(settle)  # the background pass of the first build (pages, search index) settles
                for run in range(runs):
                    marker = f"〔{run}〕"
                    started = time.perf_counter()
                    source.write_text(original.replace(note, note + marker, 1), encoding="utf-8")
                    page.wait_for_function(f"() => document.body && document.body.innerText.includes({marker!r})",
                                           timeout=TIME_LIMIT * 1000, polling="raf")
                    times.append(time.perf_counter() - started)
                    time.sleep(settle)  # let the background pass of this save (pages, search index) finish before the next
                browser.close()
            return first, times
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def report(first: float, times: list[float], articles: int) -> str:
    archive = f"a synthetic archive of {articles:,} articles (built once first)" if articles else "the seed archive"
    option = f" --articles {articles}" if articles else ""
    lines = [
        "# Live preview: from saving a file to the reloaded page",
        "",
        f"`python bench/preview.py{option} --runs {len(times)}` on {dt.date.today().isoformat()}, {measured_on()}.",
        "",
        f"Each run appends a marker to one annotation's note in {archive} and waits until headless "
        "Chromium, showing that article's page, displays it.",
        "",
        "| saves | median | fastest | slowest | first page after starting |",
        "|---|---|---|---|---|",
        f"| {len(times)} | {statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms "
        f"| {first:.1f} s |",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="saves to time; the median is shown (default 15)")
    parser.add_argument("--results", type=Path,
                        help="where to write the table (default bench/preview-results.md, or with --articles N "
                             "bench/preview-results-N.md)")
    parser.add_argument("--articles", type=int, default=0,
                        help="measure a synthetic archive of this many articles instead of the seed (default: the seed)")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        raise SystemExit(f"no browser at {chromium}: install Debian's chromium, or set CHROMIUM to a Chromium binary")
    table = report(*measure(max(1, args.runs), chromium, args.articles), args.articles)
    print(table)
    name = f"preview-results-{args.articles}.md" if args.articles else "preview-results.md"
    (args.results or ROOT / "bench" / name).write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
