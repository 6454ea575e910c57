#!/usr/bin/env python3
"""Time `python build.py` on the seed archive (content/ and templates/ as they are in the repository).

    python bench/seed.py              # 15 runs of each step, the median shown
    python bench/seed.py --runs 40

It copies content/ and templates/ to a scratch folder and builds them there with the command line,
each build a process of its own measured from outside: its wall time, its CPU time (user and
system, its Pagefind processes included) and its peak memory, from wait4. The steps:

  clean      the full build, with the output, the build cache and the build record removed first;
  no-op      the build again, nothing changed;
  edit       the build after appending a marker to one annotation's note (another marker each run).

One build runs first and is not counted: it writes Python's bytecode cache of the generator, as the
first build after a checkout does. The steps alternate (clean, no-op, edit, clean, ...), so that a
machine whose speed drifts moves them alike. It prints a Markdown table and writes it, with the
machine it ran on, to bench/seed-results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from seed_copy import NOTE, ROOT, measured_on, seed_copy

STEPS = (("clean", "clean build"), ("noop", "no-op rebuild"), ("edit", "rebuild after editing one annotation"))
TIME_LIMIT = 120  # seconds one build may take


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user and system seconds of the build and the processes it waited for
    peak_mib: float  # the largest resident set among them


def timed_build(command: list[str]) -> Sample:
    """Run one build; its figures, or SystemExit with its output if it fails or takes too long."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
        reaped: list[tuple[int, int, object]] = []
        waiter = threading.Thread(target=lambda: reaped.append(os.wait4(process.pid, 0)), daemon=True)
        waiter.start()
        waiter.join(TIME_LIMIT)
        wall = time.perf_counter() - started
        if not reaped:
            process.kill()
            waiter.join()
            raise SystemExit(f"a build took longer than the limit of {TIME_LIMIT} s: {' '.join(command)}")
        _, status, usage = reaped[0]
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            raise SystemExit(f"the build failed (exit status {process.returncode}):\n{output.read().decode(errors='replace')}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def measure(runs: int) -> dict[str, list[Sample]]:
    """Each step's samples, runs of each, taken in turn."""
    samples: dict[str, list[Sample]] = {step: [] for step, _ in STEPS}
    with seed_copy("seed-bench-") as (project, source, original):
        out = project / "site"
        command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(project / "content"),
                   "--templates", str(project / "templates"), "--out", str(out), "--quiet"]

        def clean() -> None:
            for path in [out, *project.glob(".site.*")]:  # the output, its cache and its build record
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()

        timed_build(command)  # not counted: writes the bytecode cache of the generator's modules
        for run in range(runs):
            clean()
            samples["clean"].append(timed_build(command))
            samples["noop"].append(timed_build(command))
            source.write_text(original.replace(NOTE, NOTE + f"〔{run}〕", 1), encoding="utf-8")
            samples["edit"].append(timed_build(command))
    return samples


def report(samples: dict[str, list[Sample]]) -> str:
    runs = len(samples["clean"])
    bytecode = "off (PYTHONDONTWRITEBYTECODE is set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    lines = [
        "# The seed archive: `python build.py`",
        "",
        f"`python bench/seed.py --runs {runs}` on {dt.date.today().isoformat()}, {measured_on()}; "
        f"Python's bytecode cache {bytecode}.",
        "",
        "Each build is a process of its own, timed from outside; CPU is user and system time, the Pagefind "
        "processes included. The steps alternate: clean build, no-op rebuild, edit.",
        "",
        "| step | runs | median | fastest | slowest | median CPU | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for step, label in STEPS:
        walls = [sample.wall for sample in samples[step]]
        lines.append(f"| {label} | {len(walls)} | {statistics.median(walls):.2f} s | {min(walls):.2f} s | "
                     f"{max(walls):.2f} s | {statistics.median(s.cpu for s in samples[step]):.2f} s | "
                     f"{max(s.peak_mib for s in samples[step]):.0f} MiB |")
    return "\n".join(lines + [""])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="runs of each step; the median is shown (default 15)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "seed-results.md",
                        help="where to write the table (default bench/seed-results.md)")
    args = parser.parse_args()
    table = report(measure(max(1, args.runs)))
    print(table)
    args.results.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
