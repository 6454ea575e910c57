"""Atomic output: the whole site is written to a fresh folder beside the target, then swapped in.

A failed or killed build never touches the previous site/: until the swap, the new tree lives in a
temporary sibling folder, and the swap itself is one renameat2(RENAME_EXCHANGE) on Linux (two
renames elsewhere). Two outputs at one path are refused before anything is written. The tree is
written file by file (StagedTree): the build writes each file as soon as it is made.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
import time
from pathlib import Path, PurePosixPath

from .errors import FramingError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(FramingError):
    """The output cannot be written (two files at one path, a bad path, a full disk)."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter is linked with (no ldconfig run)
    except OSError:
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def check_paths(paths: list[str], seen: set[str] | None = None) -> None:
    """Refuse two outputs at one path and any path that would leave the output folder.

    seen: the paths (lower-cased) of the outputs already made, when they come one at a time; each
    path checked is added to it."""
    seen = set() if seen is None else seen
    for path in paths:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not path or path.endswith("/"):
            raise OutputError(f"refusing to write outside the site folder: {path!r}")
        key = path.lower()  # case-insensitive file systems would merge these
        if key in seen:
            raise OutputError(f"two outputs would be written to the same path: {path}")
        seen.add(key)


class StagedTree:
    """A new output tree, written file by file into a folder beside out_dir and swapped in whole by
    commit(); left unfinished (an error, an exception), it is removed and out_dir is untouched.

    It refuses to write one path twice, so two outputs can never overwrite each other silently.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.absolute()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._staging: Path | None = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
        self._seen: set[str] = set()  # the written paths, lower-cased (check_paths)
        self._folders: set[str] = set()

    def write(self, files: dict[str, bytes]) -> None:
        """Write these files into the new tree."""
        for path in sorted(files):
            self.write_file(path, files[path])

    def write_file(self, path: str, data: bytes | Path) -> None:
        """Write one file into the new tree: these bytes, or those of an existing file (a hard link to
        it where the file system allows, so that a page unchanged since the last build is not copied)."""
        assert self._staging is not None, "the tree was already committed or discarded"
        check_paths([path], self._seen)
        try:
            folder = os.path.dirname(path)
            if folder not in self._folders:  # one mkdir per folder, not per file
                os.makedirs(self._staging / folder, exist_ok=True)
                self._folders.add(folder)
            if isinstance(data, bytes):
                (self._staging / path).write_bytes(data)
            else:
                _link_or_copy(data, self._staging / path)
        except OSError as exc:
            self.discard()
            raise OutputError(f"cannot write the site: {exc}") from None

    def commit(self) -> None:
        """Put the new tree at out_dir."""
        assert self._staging is not None, "the tree was already committed or discarded"
        os.chmod(self._staging, 0o755)
        staging, self._staging = self._staging, None
        swap_in(staging, self.out_dir)

    def discard(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def __enter__(self) -> "StagedTree":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_tree(files: dict[str, bytes], out_dir: Path) -> None:
    """Replace out_dir with exactly these files, atomically (StagedTree checks the paths first)."""
    with StagedTree(out_dir) as tree:
        tree.write(files)
        tree.commit()


def swap_in(staging: Path, out_dir: Path) -> None:
    """Put the finished staging folder at out_dir; the old tree is removed only afterwards."""
    if out_dir.exists() and not out_dir.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
        return
    previous = None
    if out_dir.exists():
        previous = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.rename(out_dir, previous)
    os.rename(staging, out_dir)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def clean_leftovers(out_dir: Path, older_than: float = 600.0) -> None:
    """Remove staging folders left by builds killed before their swap (not a running build's)."""
    out_dir = out_dir.absolute()
    if not out_dir.parent.is_dir():
        return
    now = time.time()
    for pattern in (f".{out_dir.name}.new-*", f".{out_dir.name}.old-*"):
        for stale in out_dir.parent.glob(pattern):
            try:
                if now - stale.stat().st_mtime > older_than:
                    shutil.rmtree(stale, ignore_errors=True)
            except OSError:
                continue
