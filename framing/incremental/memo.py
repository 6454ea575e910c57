"""What loading a content file produced, remembered while the file is unchanged.

The live preview loads the whole archive again at every save, and all files but one are as they
were; so does a build after an edit. A FileMemo keeps each result with the state of the files it was
computed from (size, modification time and inode, taken before they are read) and with any other
input the caller names; it gives the result back only while all of them are the same. A computation
that raises is not kept (it runs again next time); one that returns the problems it found is kept
like any other result, since the same files give the same problems.

Between builds the memo lives in the store (memo_from, keep_memo), an entry a key, so that an edit
rewrites only its own entries. There an entry keeps a digest of its other inputs instead of the
inputs themselves (they can be whole articles), and entries that are cheap to make again and large to
keep (lasting=False) are left out, and an entry keeps the SHA-256 of its files as they were read:
in a fresh checkout, where every file's state is new, an entry whose files hold the same bytes is
still used. This trusts a file's size, modification time and inode: a file changed without any of
them changing is not noticed.
"""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Sequence, TypeVar

from framing.source.fingerprint import pickled
from framing.incremental.store import Store

T = TypeVar("T")

MISSING = (None, None, None)  # file_state() of a file that is not there
KIND = "load"  # the store's name for the memo's entries


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

    def __init__(self, kept: dict[Hashable, tuple[tuple, object]] | None = None,
                 contents: dict[Hashable, tuple[str, ...]] | None = None) -> None:
        self._kept: dict[Hashable, tuple[tuple, object]] = dict(kept or {})
        # With contents (a memo kept in the store), the SHA-256 of each entry's files as they were read:
        # an entry whose files' states changed while their bytes did not (a fresh checkout) still holds.
        self.contents = contents
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
        if kept is not None and (kept[0][0] == states or self._same_bytes(key, paths)):
            known = kept[0][1]
            if known == inputs or (isinstance(known, Digested) and known == _digested(inputs)):
                if kept[0][0] != states:  # the same bytes: kept with the files' new states
                    self._kept[key] = ((states, known), kept[1])
                    self.made.add(key)
                return kept[1]  # type: ignore[return-value]
        if self.contents is not None:
            self.contents[key] = tuple(file_sha256(path) for path in paths)  # taken before compute() reads them
        value = compute()
        self._kept[key] = ((states, inputs), value)
        self.made.add(key)
        return value

    def _same_bytes(self, key: Hashable, paths: Sequence[Path]) -> bool:
        known = self.contents.get(key) if self.contents is not None else None
        return known is not None and len(known) == len(paths) and all(
            digest is not None and file_sha256(path) == digest for path, digest in zip(paths, known))

    def lasting(self) -> dict[Hashable, tuple[tuple, object]]:
        """The entries used since the memo was made and worth keeping on disk."""
        return {key: entry for key, entry in self._kept.items() if key in self.used and key not in self.passing}


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, hex; None where it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (OSError, ValueError):
        return None


def memo_from(store: Store) -> FileMemo:
    """The memo a store holds (an empty one where it holds none, or another generator's)."""
    kept: dict[Hashable, tuple[tuple, object]] = {}
    contents: dict[Hashable, tuple[str, ...]] = {}
    collecting = gc.isenabled()
    gc.disable()  # unpickling many small records: the collector would walk them again and again
    try:
        for entry in store.all(KIND).values():
            if isinstance(entry, tuple) and len(entry) == 4:
                key, state, value, digests = entry
                kept[key] = (state, value)
                if digests is not None:
                    contents[key] = digests
    finally:
        if collecting:
            gc.enable()
    return FileMemo(kept, contents)


def keep_memo(memo: FileMemo, store: Store) -> None:
    """Keep in the store the entries made since the memo was read, and forget those no longer used
    (a file gone or renamed); the others stay as they are."""
    lasting = memo.lasting()
    store.forget(KIND, [repr(key) for key in memo.read if key not in lasting])
    for key in sorted(memo.made & lasting.keys(), key=repr):
        (states, inputs), value = lasting[key]
        contents = memo.contents.get(key) if memo.contents is not None else None
        store.put(KIND, repr(key), (key, (states, _digested(inputs)), value, contents))
