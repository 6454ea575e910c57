"""How large a built site is, and what will not fit where it is published.

GitHub Pages documents a limit of 1 GB for a published site
(https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits); and a
reader should never have to fetch one data file larger than dataparts.DATA_FILE_LIMIT. The build
reports both as warnings: the site is built either way, and the editor decides what to do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from framing.site.dataparts import DATA_FILE_LIMIT

PAGES_LIMIT = 1_000_000_000  # bytes: GitHub Pages' documented limit for a published site
PAGES_LIMITS_URL = "https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits"


@dataclass(frozen=True)
class SiteSize:
    """The bytes and files of a built site, and its data files over DATA_FILE_LIMIT."""

    total: int
    files: int
    large_data: tuple[tuple[str, int], ...]


def measure(out_dir: Path, paths: tuple[str, ...] | list[str]) -> SiteSize:
    """The size of the files at paths (relative to out_dir), each counted as published (a file
    linked from the build cache counts in full)."""
    total, large = 0, []
    for path in paths:
        size = os.stat(out_dir / path).st_size
        total += size
        if path.startswith("data/") and size > DATA_FILE_LIMIT:
            large.append((path, size))
    return SiteSize(total, len(paths), tuple(sorted(large)))


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB" if size >= 10_000_000 else f"{size / 1_000_000:.1f} MB"


def warnings(size: SiteSize, limit: int = PAGES_LIMIT) -> list[str]:
    """What an editor should know before publishing the site: one line each."""
    found = []
    if size.total > limit:
        found.append(f"warning: the site is {megabytes(size.total)} in {size.files:,} files, more than the "
                     f"{megabytes(limit)} GitHub Pages publishes ({PAGES_LIMITS_URL}); publish it elsewhere, or make it smaller")
    for path, bytes_ in size.large_data:
        found.append(f"warning: {path} is {megabytes(bytes_)}, more than the {megabytes(DATA_FILE_LIMIT)} a reader "
                     "should have to download at once")
    return found
