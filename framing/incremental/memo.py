"""What loading a content file produced, remembered while the file is unchanged.

The live preview loads the whole archive again at every save, and all files but one are as they
were; so does a build after an edit. A FileMemo keeps each result with the state of the files it was
computed from (size, modification time and inode, taken before they are read) and with any other
input the caller names; it gives the result back only while all of them are the same. A computation
that raises is not kept (it runs again next time); one that returns the problems it found is kept
like any other result, since the same files give the same problems.

Between builds the memo lives in the build cache (write_memo, read_memo), in shards by a digest of
each key, so that an edit rewrites one or two shards rather than every result. On disk an entry keeps
a digest of its other inputs instead of the inputs themselves (they can be whole articles), and
entries that are cheap to make again and large to keep (lasting=False) are left out. This trusts a
file's size and modification time as the build record does (framing/buildrecord.py): a file changed
without either changing is not noticed.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Sequence, TypeVar

from framing.source.fingerprint import pickled
from framing.output.write import write_atomically

T = TypeVar("T")

MISSING = (None, None, None)  # file_state() of a file that is not there
SHARDS = 64  # files the memo is kept in on disk: an edit rewrites the one or two holding its entries
_PROTOCOL = 5


def file_state(path: Path | str) -> tuple[int | None, int | None, int | None]:
    """What tells that a file changed: its size, modification time and inode (MISSING if it is gone)."""
    try:
        stat = os.stat(path)
    except (OSError, ValueError):  # ValueError: a name no file can have (a NUL in it)
        return MISSING
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


@dataclass(frozen=True)
class Digested:
    """The digest of an entry's inputs, which is what an entry read from disk holds of them."""

    hex: str


def _digested(inputs: Hashable) -> Digested:
    if isinstance(inputs, Digested):
        return inputs
    return Digested(hashlib.sha256(pickled(inputs)).hexdigest())


class FileMemo:
    """Results keyed by what they are of (one entry per key), each valid while its files and inputs are unchanged."""

    def __init__(self, kept: dict[Hashable, tuple[tuple, object]] | None = None) -> None:
        self._kept: dict[Hashable, tuple[tuple, object]] = dict(kept or {})
        self.read = frozenset(self._kept)  # the keys it was made with (from disk)
        self.used: set[Hashable] = set()  # the keys asked for since it was made
        self.made: set[Hashable] = set()  # the keys computed since it was made
        self.passing: set[Hashable] = set()  # keys not worth keeping on disk

    def get(self, key: Hashable, paths: Sequence[Path], inputs: Hashable, compute: Callable[[], T],
            lasting: bool = True) -> T:
        """compute(), or what it gave last time for key if the files at paths and the inputs are the same.
        lasting=False: not kept on disk (cheap to make again, large to keep)."""
        states = tuple(file_state(path) for path in paths)  # taken before compute() reads the files
        self.used.add(key)
        if not lasting:
            self.passing.add(key)
        kept = self._kept.get(key)
        if kept is not None and kept[0][0] == states:
            known = kept[0][1]
            if known == inputs or (isinstance(known, Digested) and known == _digested(inputs)):
                return kept[1]  # type: ignore[return-value]
        value = compute()
        self._kept[key] = ((states, inputs), value)
        self.made.add(key)
        return value

    def lasting(self) -> dict[Hashable, tuple[tuple, object]]:
        """The entries used since the memo was made and worth keeping on disk."""
        return {key: entry for key, entry in self._kept.items() if key in self.used and key not in self.passing}


def _shard(key: Hashable) -> int:
    return int(hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:8], 16) % SHARDS


def _shard_file(folder: Path, shard: int) -> Path:
    return folder / f"{shard:02d}.pickle"


def read_memo(folder: Path, salt: str) -> FileMemo:
    """The memo kept in folder by a build with the same salt (the generator's digest); an empty memo
    where there is none, or where a shard cannot be read (that shard's entries are made again)."""
    kept: dict[Hashable, tuple[tuple, object]] = {}
    collecting = gc.isenabled()
    gc.disable()  # unpickling many small records: the collector would walk them again and again
    try:
        for shard in range(SHARDS):
            try:
                with open(_shard_file(folder, shard), "rb") as handle:
                    written_salt, entries = pickle.load(handle)
            except Exception:  # missing, corrupt, truncated or from another Python: made again  # noqa: BLE001
                continue
            if written_salt == salt and isinstance(entries, dict):
                kept.update(entries)
    finally:
        if collecting:
            gc.enable()
    return FileMemo(kept)


def write_memo(memo: FileMemo, folder: Path, salt: str) -> None:
    """Write the shards holding an entry made since memo was read, or one no longer used (its file
    is gone or renamed); the others are left as they are. Raises OSError where they cannot be written."""
    lasting = memo.lasting()
    changed = {_shard(key) for key in memo.made if key in lasting}
    changed |= {_shard(key) for key in memo.read if key not in lasting}
    if not changed:
        return
    shards: dict[int, dict[Hashable, tuple[tuple, object]]] = {shard: {} for shard in changed}
    for key, ((states, inputs), value) in lasting.items():
        shard = _shard(key)
        if shard in shards:
            shards[shard][key] = ((states, _digested(inputs)), value)
    folder.mkdir(parents=True, exist_ok=True)
    for shard, entries in sorted(shards.items()):
        path = _shard_file(folder, shard)
        if not entries:
            path.unlink(missing_ok=True)
            continue
        write_atomically(path, pickle.dumps((salt, entries), protocol=_PROTOCOL))
