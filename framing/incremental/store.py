"""The one store of what a build keeps for the next: a SQLite file beside the output folder.

It holds values by (kind, key): what each content file gave when loaded, compiled templates, the
passages articles share, the record of each output (what it read, its digest) and the state of the
inputs and the output tree of the last build. Everything in it is stamped with one salt: a digest
of the generator's source and of the versions of the libraries that shape the output; a store
written under another salt is not read. Values are read as they are asked for and written in one
transaction by commit(), after the output is in place: a failed or killed build leaves the store
of the build before, and a missing, corrupt or unwritable store makes a build slower, never
different.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
import sqlite3
import sys
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent.parent  # framing/
LIBRARIES = ("jinja2", "markdown", "pyyaml", "opencc", "nh3", "cn2an", "pagefind")
_PROTOCOL = 5
_ABSENT = object()  # what a look-up gives for a key the store does not hold


@functools.lru_cache(maxsize=1)
def generator_salt() -> str:
    """A digest of the generator: its source and the versions of the libraries that shape the output."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


class Store:
    """(kind, key) -> value, read lazily from the file and written back by commit()."""

    def __init__(self, path: Path | None, salt: str | None = None) -> None:
        self.path, self.salt = path, salt or generator_salt()
        self._read: dict[tuple[str, str], object] = {}
        self._written: dict[tuple[str, str], object] = {}
        self._dropped: set[str] = set()  # kinds whose entries commit() replaces with those written
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            row = db.execute("SELECT value FROM entries WHERE kind = 'salt' AND key = ''").fetchone()
            if row is not None and pickle.loads(row[0]) == self.salt:
                return db
            db.close()
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            pass  # missing, corrupt or foreign: every value is made again
        return None

    def get(self, kind: str, key: str, compute: Callable[[], T] | None = None) -> T | None:
        """The value kept for (kind, key); else compute() (kept for the next build), or None without one."""
        found = self._lookup(kind, key)
        if found is _ABSENT:
            if compute is None:
                return None
            found = compute()
            self.put(kind, key, found)
        return found  # type: ignore[return-value]

    def _lookup(self, kind: str, key: str) -> object:
        entry = (kind, key)
        if entry in self._written:
            return self._written[entry]  # _ABSENT where forgotten
        if entry in self._read:
            return self._read[entry]
        if self._db is None or kind in self._dropped:
            return _ABSENT
        try:
            row = self._db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", entry).fetchone()
            value = pickle.loads(row[0]) if row else _ABSENT
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            value = _ABSENT
        self._read[entry] = value
        return value

    def all(self, kind: str) -> dict[str, object]:
        """Every value of a kind (as the last build left them, with this build's own over them)."""
        found: dict[str, object] = {}
        if self._db is not None and kind not in self._dropped:
            try:
                for key, value in self._db.execute("SELECT key, value FROM entries WHERE kind = ?", (kind,)):
                    found[key] = pickle.loads(value)
            except (sqlite3.Error, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
                found = {}
        for (written_kind, key), value in self._written.items():
            if written_kind == kind:
                if value is _ABSENT:
                    found.pop(key, None)
                else:
                    found[key] = value
        return found

    def put(self, kind: str, key: str, value: object) -> None:
        self._written[(kind, key)] = value

    def replace(self, kind: str, entries: Iterable[tuple[str, object]]) -> None:
        """From commit() on, the kind holds exactly these entries (what the build used), and no others."""
        self._dropped.add(kind)
        for key, value in entries:
            self._written[(kind, key)] = value

    def forget(self, kind: str, keys: Iterable[str]) -> None:
        """Drop these entries of a kind at commit()."""
        for key in keys:
            self._written[(kind, key)] = _ABSENT

    def commit(self) -> None:
        """Write what this build kept, in one transaction; a store that cannot be written is left as it
        was, and a file that is no store at all is replaced."""
        if self.path is None:
            return
        self.close()
        for attempt in range(2):
            try:
                self._write()
                break
            except (sqlite3.OperationalError, OSError, pickle.PicklingError):
                break  # cannot be written here: the next build only takes longer
            except sqlite3.DatabaseError:  # a file that is no database: start it again
                with contextlib.suppress(OSError):
                    self.path.unlink()
        self._written.clear()
        self._dropped.clear()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path)
        try:
            with db:
                db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key))")
                salt = db.execute("SELECT value FROM entries WHERE kind = 'salt' AND key = ''").fetchone()
                if salt is None or pickle.loads(salt[0]) != self.salt:
                    db.execute("DELETE FROM entries")
                for kind in sorted(self._dropped):
                    db.execute("DELETE FROM entries WHERE kind = ?", (kind,))
                gone = [entry for entry, value in self._written.items() if value is _ABSENT]
                db.executemany("DELETE FROM entries WHERE kind = ? AND key = ?", gone)
                rows = [(kind, key, pickle.dumps(value, protocol=_PROTOCOL))
                        for (kind, key), value in self._written.items() if value is not _ABSENT]
                rows.append(("salt", "", pickle.dumps(self.salt, protocol=_PROTOCOL)))
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
        finally:
            db.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
