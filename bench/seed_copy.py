"""What bench/seed.py and bench/preview.py share: a scratch copy of the seed archive, the note in it
that their edits mark, and the commit and machine they measured."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = Path("content/annotations/aggregator-baseless-accusation.md")
NOTE = "日期、出处和核心指控都与来源一致。"  # the start of the note that each edit marks


@contextlib.contextmanager
def seed_copy(prefix: str) -> Iterator[tuple[Path, Path, str]]:
    """(the copy's folder, its annotation file holding NOTE, that file's text): content/ and
    templates/ copied to a scratch folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        project = Path(scratch)
        for folder in ("content", "templates"):
            shutil.copytree(ROOT / folder, project / folder)
        source = project / ANNOTATIONS
        original = source.read_text(encoding="utf-8")
        if NOTE not in original:
            raise SystemExit(f"{ANNOTATIONS} no longer has the note this benchmark marks ({NOTE}); update NOTE")
        yield project, source, original


def commit() -> str:
    """The short hash of the commit checked out, or 'unknown'."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def measured_on() -> str:
    """'commit 1a2b3c4; <platform>, 2 CPUs, Python 3.11.7': what a results file was measured at and on."""
    cpus = os.cpu_count()
    return (f"commit {commit()}; {platform.platform()}, {cpus} CPU{'s' if cpus != 1 else ''}, "
            f"Python {platform.python_version()}")
