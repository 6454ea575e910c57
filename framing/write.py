"""Atomic output: the whole site is written to a fresh folder beside the target, then swapped in.

A failed or killed build never touches the previous site/: until the swap, the new tree lives in a
temporary sibling folder, and the swap itself is one renameat2(RENAME_EXCHANGE) on Linux (two
renames elsewhere). Two outputs at one path are refused before anything is written.
"""

from __future__ import annotations

import ctypes
import ctypes.util
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
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def check_paths(paths: list[str]) -> None:
    """Refuse two outputs at one path and any path that would leave the output folder."""
    seen: set[str] = set()
    for path in paths:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not path or path.endswith("/"):
            raise OutputError(f"refusing to write outside the site folder: {path!r}")
        key = path.lower()  # case-insensitive file systems would merge these
        if key in seen:
            raise OutputError(f"two outputs would be written to the same path: {path}")
        seen.add(key)


def write_tree(files: dict[str, bytes], out_dir: Path) -> None:
    """Replace out_dir with exactly these files, atomically."""
    check_paths(list(files))
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for path in sorted(files):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path])
        os.chmod(staging, 0o755)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the site: {exc}") from None
    swap_in(staging, out_dir)


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
