"""Search indexer runs kept from one build to the next, as folders beside the store.

A run is Pagefind's output over one edition's pages of one shard; its key digests the pages' texts
(framing/search/indexer.py). A run over exactly the same pages is taken from here instead of being
made again. The site's files of a run are hard links to the files here, so nothing ever writes into
either: a run made by a build is moved in while the build runs (as pending), put in place by save(),
and dropped by discard() if the build fails; save() also drops the runs the build did not use.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PENDING = ".pending-"  # a run moved in during a build, not yet in place


class SearchRuns:
    """The runs kept in folder (framing/search/indexer.py's IndexCache)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._used: set[str] = set()
        self._made: set[str] = set()

    def lookup(self, key: str) -> Path | None:
        """The folder of a run over exactly these pages (the key digests them), if kept."""
        folder = self.folder / key
        try:
            if not any(file.is_file() for file in folder.rglob("*")):
                return None
        except OSError:
            return None
        self._used.add(key)
        return folder

    def keep(self, key: str, folder: Path) -> Path:
        """Move a run's output in now (a copy where it cannot be moved); returns where it is."""
        self._used.add(key)
        pending = self.folder / f"{PENDING}{key}"
        try:
            shutil.rmtree(pending, ignore_errors=True)
            pending.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(folder, pending)
            except OSError:  # another file system: a copy, the run's folder left whole
                shutil.copytree(folder, pending)
        except OSError:
            shutil.rmtree(pending, ignore_errors=True)
            return folder  # runs that cannot be kept only make the next build slower
        self._made.add(key)
        return pending

    def save(self) -> None:
        """Put the runs this build made in place and drop those it did not use."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for key in sorted(self._made):
                shutil.rmtree(self.folder / key, ignore_errors=True)
                os.rename(self.folder / f"{PENDING}{key}", self.folder / key)
            for folder in self.folder.iterdir():
                if folder.name not in self._used:
                    shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass

    def discard(self) -> None:
        """Forget what a failed build made: the runs stay as they were, and folders it made for them
        (empty now) are gone too, so that a failed build leaves nothing new."""
        for key in self._made:
            shutil.rmtree(self.folder / f"{PENDING}{key}", ignore_errors=True)
        self._made.clear()
        for folder in (self.folder, self.folder.parent):
            try:
                folder.rmdir()  # only where empty
            except OSError:
                break
