"""The decision "is this output current?", from what it read when it was last made.

Each output a build makes (a page, a feed, a file of open data) is recorded with what it read (the
reads recorded while it was assembled and rendered: framing/site/reads.py, and the templates it was
rendered with), the digest of its bytes and of the text search indexed of it; beside the records,
one table holds the digest of what each read saw. One table is enough: after a build every output
is current, so every record that holds a read saw what the table says. The next build finds the
reads that now see something else, once each, and takes every output none of whose reads is among
them from the previous site, without assembling it, where the file there still holds the recorded
bytes (checked by size, modification time and inode, or else by reading it). Everything an output does not record reading,
the site's configuration, interface strings, asset names and editions, is in the site salt: a change
there makes every output again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping

from framing.incremental.memo import MISSING, file_sha256, file_state
from framing.incremental.store import Store
from framing.source.fingerprint import fingerprint

KIND = "output"  # the store's name for output records
READS = "reads"  # the store's name for the table of what each read saw
NOT_INDEXED = "-"  # the search digest of an output the indexer does not read
NOT_STAGED = ""  # the search digest of an output made without the search index (its text unknown)
Read = tuple[str, object]


@dataclass(frozen=True)
class FileIdentity:
    """What tells that a file changed without reading it: its size, modification time and inode."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str | Path) -> "FileIdentity | None":
        state = file_state(path)
        return None if state == MISSING else cls(*state)


@dataclass(frozen=True)
class OutputRecord:
    """One output as the last build made it."""

    reads: frozenset[Read]  # what it read (the digest of what each saw is in the table of reads)
    output: str  # sha256 of the bytes, hex
    search: str  # sha256 of the text the indexer read, NOT_INDEXED or NOT_STAGED
    identity: FileIdentity | None = None  # the file last found to hold the bytes


class Outputs:
    """The records of the last build's outputs, and this build's, for the next.

    site: the folder holding the last build's outputs; salt: the digest of what every output reads
    without recording it. seen(read) gives the digest of what a read sees in this build.
    """

    def __init__(self, store: Store, site: Path, salt: str, seen: Callable[[Read], bytes]) -> None:
        self.store, self.site, self.salt, self.seen = store, site, salt, seen
        self.made: dict[str, OutputRecord] = {}
        self._previous: dict[str, object] | None = None  # read from the store when first asked for
        self._changed: frozenset[Read] | None = None
        self._now: dict[Read, bytes] = {}  # what each read sees in this build, for the next

    def previous(self, path: str) -> OutputRecord | None:
        if self._previous is None:
            self._previous = self.store.all(KIND)
        kept = self._previous.get(path)
        if not isinstance(kept, tuple) or len(kept) != 2 or kept[0] != self.salt or not isinstance(kept[1], OutputRecord):
            return None
        return kept[1]

    def changed(self) -> frozenset[Read]:
        """The reads that see something else than at the last build (each looked at once)."""
        if self._changed is None:
            before = self.store.get(READS, self.salt)
            before = before if isinstance(before, dict) else {}
            self._changed = frozenset(read for read, digest in before.items() if self.seen(read) != digest)
            self._now = {read: digest for read, digest in before.items() if read not in self._changed}
        return self._changed

    def current(self, path: str, searching: bool) -> OutputRecord | None:
        """The last build's record of path where nothing it read has changed and its file is intact
        (and, where the build indexes for search, where its search text is known), else None."""
        record = self.previous(path)
        if record is None or (searching and record.search == NOT_STAGED) or not record.reads.isdisjoint(self.changed()):
            return None
        identity = FileIdentity.of(self.site / path)
        if identity is None:
            return None
        if identity != record.identity and file_sha256(self.site / path) != record.output:
            return None
        return replace(record, identity=identity)

    def note(self, path: str, reads: Iterable[Read], data: bytes, search: str) -> None:
        """Record an output this build made."""
        self.changed()
        now, seen = self._now, self.seen
        for read in reads:
            if read not in now:
                now[read] = seen(read)
        self.made[path] = OutputRecord(frozenset(reads), hashlib.sha256(data).hexdigest(), search)

    def keep(self, path: str, record: OutputRecord) -> None:
        """Record an output this build took from the last."""
        self.made[path] = record

    def save(self) -> None:
        """What this build made and kept becomes the store's record of outputs (the identity of a
        file written by this build is taken once it is in place). Only the records that changed are
        written, and those of outputs no longer made are forgotten."""
        for path, record in self.made.items():
            if record.identity is None:
                record = replace(record, identity=FileIdentity.of(self.site / path))
            if record != self.previous(path):
                self.store.put(KIND, path, (self.salt, record))
        self.store.forget(KIND, [path for path in (self._previous or self.store.all(KIND)) if path not in self.made])
        self.changed()
        self.store.replace(READS, [(self.salt, self._now)])


def site_salt(*values: object) -> str:
    """The salt of every output: a digest of what outputs read without recording it."""
    return fingerprint(values).hex()


def template_digests(templates: Path, closure: Callable[[str], Iterable[str]]) -> Callable[[str], bytes]:
    """digest(name): a digest of a template and of every template it extends, includes or imports,
    made once each; closure(name) names them (output/render.py)."""
    made: dict[str, bytes] = {}

    def digest(name: str) -> bytes:
        if name not in made:
            sha = hashlib.sha256()
            for used in sorted(closure(name)):
                try:
                    sha.update(used.encode("utf-8") + b"\0" + (templates / used).read_bytes() + b"\0")
                except OSError:
                    sha.update(used.encode("utf-8") + b"\0missing\0")
            made[name] = sha.digest()
        return made[name]

    return digest


def seen_in(digests: Mapping[str, Callable[[object], bytes]], default: Callable[[Read], bytes]) -> Callable[[Read], bytes]:
    """seen(read): the digest of what a read sees, from digests[collection](key) where the
    collection is one of those, else from default(read)."""
    def seen(read: Read) -> bytes:
        special = digests.get(read[0])
        return special(read[1]) if special else default(read)
    return seen
