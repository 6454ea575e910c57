"""What loading a content file produced, remembered while the file is unchanged.

The live preview loads the whole archive again at every save, and all files but one are as they
were. A FileMemo keeps each result with the state of the files it was computed from (size,
modification time and inode, taken before they are read) and with any other input the caller names;
it gives the result back only while all of them are the same. A computation that raises is not
kept (it runs again next time); one that returns the problems it found is kept like any other
result, since the same files give the same problems.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Hashable, Sequence, TypeVar

T = TypeVar("T")

_MISSING = (None, None, None)


def _state(path: Path) -> tuple[int | None, int | None, int | None]:
    """What tells that a file changed: its size, modification time and inode (None for each if it is gone)."""
    try:
        stat = os.stat(path)
    except OSError:
        return _MISSING
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


class FileMemo:
    """Results keyed by what they are of (one entry per key), each valid while its files and inputs are unchanged."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[tuple, object]] = {}

    def get(self, key: Hashable, paths: Sequence[Path], inputs: Hashable, compute: Callable[[], T]) -> T:
        """compute(), or what it gave last time for key if the files at paths and the inputs are the same."""
        state = (tuple(_state(path) for path in paths), inputs)  # taken before compute() reads the files
        kept = self._kept.get(key)
        if kept is not None and kept[0] == state:
            return kept[1]  # type: ignore[return-value]
        value = compute()
        self._kept[key] = (state, value)
        return value
