"""Atomic output: the whole site is written to a folder beside the target, then swapped in.

A failed or killed build never touches the previous site/: until the swap, the new tree lives in a
temporary sibling folder, and the swap itself is one renameat2(RENAME_EXCHANGE) on Linux (two
renames elsewhere). Two outputs at one path are refused before anything is written. The tree is
written file by file (StagedTree): the build writes each file as soon as it is made.

The tree a swap takes out is not thrown away when the build keeps a spare (build() keeps it in the
cache folder): the next build takes that spare as its staging folder and brings it up to date. A
file it already holds is kept only if it is the very file (the same inode) the build hands over,
so a page unchanged over two builds costs one comparison, while every other file is replaced,
never written into (it may be a hard link to a file of the live site). Left over, the spare's
files and folders are removed before the swap. At 10,000 articles this saves making and deleting
over 100,000 files and folders per build.

Two builds of one folder at once would share its cache and spare; output_lock() makes the second
wait for the first, on every system (filelock: flock() on Unix, LockFileEx on Windows).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from framing.errors import FramingError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(FramingError):
    """The output cannot be written (two files at one path, a bad path, a full disk)."""


def output_folder(out_dir: Path) -> Path:
    """The folder a build writes: out_dir, or where it points if it is a symbolic link (the link stays).
    Raises OutputError where it, or a folder above it, is a file."""
    out_dir = out_dir.absolute()
    if out_dir.is_symlink():
        out_dir = out_dir.resolve()
    for path in (out_dir, *out_dir.parents):
        if path.exists():
            if not path.is_dir():
                raise OutputError(f"cannot write the site at {out_dir}: {path} is a file, not a folder; "
                                  "choose another --out folder")
            break
    return out_dir


@contextlib.contextmanager
def output_lock(out_dir: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold out_dir for one build: a second build of the same folder waits until the first is done
    (waiting() is told once it must), since both would use its cache and its spare tree.

    The lock is filelock's FileLock on .<name>.lock beside out_dir: a lock the system holds for the
    process (flock() on Unix, LockFileEx on Windows), so it is released when a build is killed. The
    holder removes the file before letting go (on Windows filelock removes it, once closed), so that
    no build, finished or failed, leaves it behind; a build waiting on the removed file finds it
    unlinked and locks the path's new file (filelock checks). A folder whose system cannot lock a
    file (no flock()) is refused rather than built unguarded: an existence lock, which filelock
    would fall back to, is never released by a killed build."""
    import filelock  # here, not at the top: a build with nothing to do answers without it

    path = out_dir.with_name(f".{out_dir.name}.lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(out_dir, exc) from None
    lock = filelock.FileLock(path, fallback_to_soft=False)
    try:
        try:
            lock.acquire(blocking=False)
        except filelock.Timeout:
            waiting()
            lock.acquire()
    except OSError as exc:
        if exc.errno != errno.ENOSYS:
            raise cannot_write(out_dir, exc) from None
        raise OutputError(f"cannot write the site at {out_dir}: the file system cannot lock {path.name} "
                          "(two builds of the folder would break each other); choose an --out folder on a local disk") from None
    try:
        yield
    finally:
        if os.name != "nt":  # Windows cannot remove an open file; filelock removes it there
            with contextlib.suppress(OSError):
                path.unlink()
        lock.release()


def cannot_write(out_dir: Path, exc: OSError) -> OutputError:
    """The error for an output folder that the system refuses to make or write, naming why."""
    where = f" ({exc.filename})" if exc.filename else ""
    return OutputError(f"cannot write the site at {out_dir}: {exc.strerror or exc}{where}; choose an --out folder "
                       "this user can write to")


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
        if not path or path.startswith("/") or path.endswith("/") or ".." in path.split("/"):
            raise OutputError(f"refusing to write outside the site folder: {path!r}")
        key = path.lower()  # case-insensitive file systems would merge these
        if key in seen:
            raise OutputError(f"two outputs would be written to the same path: {path}")
        seen.add(key)


class StagedTree:
    """A new output tree, written file by file into a folder beside out_dir and swapped in whole by
    commit(); left unfinished (an error, an exception), it is removed (or, made from the spare, put
    back as the spare) and out_dir is untouched.

    spare: where the tree taken out by the swap is kept for the next build, which updates it in
    place of writing a whole tree (None: a fresh folder every time, the old tree removed).
    It refuses to write one path twice, so two outputs can never overwrite each other silently.
    """

    def __init__(self, out_dir: Path, spare: Path | None = None) -> None:
        self.out_dir = out_dir.absolute()
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise cannot_write(self.out_dir, exc) from None
        self._spare = spare
        self._seen: set[str] = set()  # the written paths, lower-cased (check_paths)
        self._folders: set[str] = {""}  # the folders written into, and their parents
        self._held: dict[str, tuple[int, int]] = {}  # files the staging folder holds from the spare: (device, inode)
        self._held_folders: set[str] = set()
        self._staging: Path | None = self._claim_spare()
        self._claimed = self._staging is not None
        if self._staging is None:
            try:
                self._staging = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
            except OSError as exc:
                raise cannot_write(self.out_dir, exc) from None
        self._root = f"{self._staging}{os.sep}"  # paths joined as strings: tens of thousands of files a build

    def _claim_spare(self) -> Path | None:
        """The spare, moved to a staging name (so no other build takes it too), with what it holds
        listed; None where there is none or it cannot be read."""
        if self._spare is None or not self._spare.is_dir():
            return None
        staging = self.out_dir.with_name(f".{self.out_dir.name}.new-{os.getpid()}-{os.urandom(4).hex()}")
        try:
            os.rename(self._spare, staging)
            os.utime(staging)  # clean_leftovers() goes by age: this folder is in use now
            _list_tree(staging, "", os.stat(staging).st_dev, self._held, self._held_folders)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            self._held.clear()
            self._held_folders.clear()
            return None
        return staging

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
            folder = path.rpartition("/")[0]
            if folder not in self._folders:  # one mkdir per folder, not per file
                self._make_folder(folder)
            target = self._root + path
            held = self._held.pop(path, None)
            if path in self._held_folders and path not in self._folders:  # a spare folder where the file goes now
                self._remove_held_folder(path)
            if isinstance(data, bytes):
                if held is not None:
                    if _holds(target, data):
                        return  # the spare's file has these bytes already (a capture, an unchanged data file)
                    os.unlink(target)  # never written into: it may be a link to a file of the live site
                with open(target, "wb") as handle:
                    handle.write(data)
                return
            if held is not None:
                if _identity(data) == held:
                    return  # the spare holds this very file
                os.unlink(target)
            _link_or_copy(data, target)
        except OSError as exc:
            self.discard()
            raise OutputError(f"cannot write the site: {exc}") from None

    def _make_folder(self, folder: str) -> None:
        """Make folder and its parents in the staging tree, removing any spare file in their way."""
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            parent = "/".join(parts[:depth])
            if self._held.pop(parent, None) is not None:
                os.unlink(self._root + parent)
            self._folders.add(parent)
        if folder not in self._held_folders:  # a folder of the spare is there already, and so are its parents
            os.makedirs(self._root + folder, exist_ok=True)

    def _remove_held_folder(self, path: str) -> None:
        shutil.rmtree(self._staging / path)
        inside = path + "/"
        self._held_folders = {held for held in self._held_folders if held != path and not held.startswith(inside)}
        for held in [held for held in self._held if held.startswith(inside)]:
            del self._held[held]

    def commit(self) -> None:
        """Remove what the spare held and this build did not write, and put the new tree at out_dir."""
        assert self._staging is not None, "the tree was already committed or discarded"
        try:
            for path in self._held:
                (self._staging / path).unlink(missing_ok=True)
            for folder in sorted(self._held_folders - self._folders, key=lambda f: f.count("/"), reverse=True):
                os.rmdir(self._staging / folder)  # deepest first: each is empty by now
            os.chmod(self._staging, 0o755)
        except OSError as exc:
            self.discard()
            raise OutputError(f"cannot write the site: {exc}") from None
        self._held.clear()
        staging, self._staging = self._staging, None
        swap_in(staging, self.out_dir, self._spare)

    def discard(self) -> None:
        """Give up the new tree: put back as the spare if it was one (whatever it holds now, the next
        build trusts none of it but the files it hands over itself), else removed."""
        if self._staging is not None:
            _retire(self._staging, self._spare if self._claimed else None)
            self._staging = None

    def __enter__(self) -> "StagedTree":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()


def _list_tree(folder: Path, prefix: str, device: int, files: dict[str, tuple[int, int]], folders: set[str]) -> None:
    """Every file below folder (on device) by its path (prefixed) and (device, inode), every folder
    in folders; anything else (a link, a socket) is removed."""
    with os.scandir(folder) as entries:
        for entry in entries:
            path = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.add(path)
                _list_tree(Path(entry.path), path + "/", device, files, folders)
            elif entry.is_file(follow_symlinks=False):
                files[path] = (device, entry.inode())
            else:
                os.unlink(entry.path)


def _holds(path: str, data: bytes) -> bool:
    """Whether the file at path holds exactly data."""
    try:
        with open(path, "rb") as handle:
            return os.fstat(handle.fileno()).st_size == len(data) and handle.read() == data
    except OSError:
        return False


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def write_atomically(path: Path, data: bytes) -> None:
    """One file replaced whole: written under a temporary name beside it, then renamed over it (a
    reader sees the old bytes or the new, never part of them; a failure leaves the old file)."""
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}-", delete=False)
    try:
        with handle:
            handle.write(data)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _link_or_copy(source: Path, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_tree(files: dict[str, bytes], out_dir: Path) -> None:
    """Replace out_dir with exactly these files, atomically (StagedTree checks the paths first)."""
    with StagedTree(out_dir) as tree:
        tree.write(files)
        tree.commit()


def swap_in(staging: Path, out_dir: Path, keep: Path | None = None) -> None:
    """Put the finished staging folder at out_dir; the old tree is then removed, or moved to keep."""
    if out_dir.exists() and not out_dir.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and _exchange(staging, out_dir):
        _retire(staging, keep)  # staging now holds the old site
        return
    previous = None
    if out_dir.exists():
        previous = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.rename(out_dir, previous)
    os.rename(staging, out_dir)
    if previous is not None:
        _retire(previous, keep)


def _retire(old: Path, keep: Path | None) -> None:
    """The old tree, kept as the next build's spare where one is kept (replacing any other), else removed."""
    if keep is not None:
        try:
            shutil.rmtree(keep, ignore_errors=True)
            keep.parent.mkdir(parents=True, exist_ok=True)
            os.rename(old, keep)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)


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
