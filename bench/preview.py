#!/usr/bin/env python3
"""Measure the live preview on the seed archive: from saving a file to the reloaded page in a browser.

    python bench/preview.py              # 15 saves, the median shown
    python bench/preview.py --runs 40

It copies content/ and templates/ to a scratch folder, starts `build.py serve` on them, and opens an
article page in headless Chromium (Playwright, driving Debian's /usr/bin/chromium; set CHROMIUM to
use another). Each run appends a marker to one annotation's note, saves the file, and waits until
the browser shows the marker: the time covers the file event, the rebuild, livereload's message,
the browser's reload and the page's load. It prints a Markdown table and writes it, with the
machine it ran on, to bench/preview-results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from seed_copy import NOTE, ROOT, measured_on, seed_copy

PAGE = "articles/aggregator-baseless-accusation/"
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


def measure(runs: int, chromium: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    with seed_copy("preview-bench-") as (project, source, original):
        port = free_port()
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--base-url", "/",
                                   "--content", str(project / "content"), "--templates", str(project / "templates")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/{PAGE}"
            wait_until_up(url, 60)
            times = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium)
                page = browser.new_page()
                page.goto(url, wait_until="load")
                page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
                time.sleep(1)  # the background pass of the first build (search index) settles
                for run in range(runs):
                    marker = f"〔{run}〕"
                    started = time.perf_counter()
                    source.write_text(original.replace(NOTE, NOTE + marker, 1), encoding="utf-8")
                    page.wait_for_function(f"() => document.body && document.body.innerText.includes({marker!r})",
                                           timeout=TIME_LIMIT * 1000, polling="raf")
                    times.append(time.perf_counter() - started)
                    time.sleep(3)  # let the background pass of this save (pages, search index) finish before the next
                browser.close()
            return times
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def report(times: list[float]) -> str:
    lines = [
        "# Live preview: from saving a file to the reloaded page",
        "",
        f"`python bench/preview.py --runs {len(times)}` on {dt.date.today().isoformat()}, {measured_on()}.",
        "",
        "Each run appends a marker to one annotation's note in the seed archive and waits until headless "
        "Chromium, showing that article's page, displays it.",
        "",
        "| saves | median | fastest | slowest |",
        "|---|---|---|---|",
        f"| {len(times)} | {statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms |",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="saves to time; the median is shown (default 15)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "preview-results.md",
                        help="where to write the table (default bench/preview-results.md)")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        raise SystemExit(f"no browser at {chromium}: install Debian's chromium, or set CHROMIUM to a Chromium binary")
    table = report(measure(max(1, args.runs), chromium))
    print(table)
    args.results.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
