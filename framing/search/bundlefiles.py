"""The files of a search bundle: a bundle made from runs over different languages is the union of
their files, with one entry listing every language, written with sorted keys (Pagefind's own order
changes from run to run)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Iterator

from framing.search.layout import ENTRY
from framing.search.pagefind import SearchIndexError


def entry_bytes(entry: dict) -> bytes:
    """A pagefind-entry.json with sorted keys (Pagefind's own order changes from run to run)."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def files_below(folder: Path) -> list[str]:
    """The files below folder, as sorted relative paths (joined as strings: at 10,000 articles the
    bundle is 45,000 files)."""
    found: list[str] = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir():
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append(prefix + entry.name)

    walk(str(folder), "")
    return sorted(found)


def merged(runs: list[Path], only: re.Pattern[str] | None = None) -> Iterator[tuple[str, bytes | Path]]:
    """(relative path, bytes or the file holding them) of one bundle made from runs over different
    languages: the union of their files (those only matches, if given), and one entry listing every
    language (written with sorted keys: Pagefind's order changes from run to run)."""
    holders: dict[str, list[Path]] = {}
    for folder in runs:
        for relative in files_below(folder):
            if only is None or only.match(relative):
                holders.setdefault(relative, []).append(folder)
    for relative, folders in sorted(holders.items()):
        if relative == ENTRY:
            entry = json.loads((folders[0] / ENTRY).read_bytes())
            for other in folders[1:]:
                entry["languages"].update(json.loads((other / ENTRY).read_bytes())["languages"])
            yield ENTRY, entry_bytes(entry)
            continue
        if len(folders) > 1:  # a file every run writes (pagefind.js, the WebAssembly): the same bytes in each
            data = (folders[0] / relative).read_bytes()
            if any((other / relative).read_bytes() != data for other in folders[1:]):
                raise SearchIndexError(f"two Pagefind runs wrote different files at {relative}")
        yield relative, folders[0] / relative
