"""The pages an earlier build rendered, so that a rebuild renders again only those whose input changed.

A page's input is everything its rendering reads: the generator (its sources and library versions),
every file under templates/, the template's name and the page's assembled context. A digest of all
of them is recorded for each page with a digest of the bytes it rendered to and one of the text the
search indexer read of it. Where the digest of a page's input is the one recorded, the next build
takes the page from the previous site instead of rendering it (a hard link into the new tree), once
it has checked that the file there still holds the recorded bytes (by reading and hashing it, or,
where it is the very file checked by an earlier build, by its size, modification time and inode, as
the build record trusts inputs); and the search indexer makes the
page's text again only if the page's shard is not in the cache. So a changed input can never be
missed, and a site edited by hand or left half-copied is rendered again, never trusted.

Finding a page's input digest means assembling the page. Article, claim, theme and index pages and
the pages of the article list also record a digest of the records they read
(framing/dependencies.py): where that is unchanged, the page is not even assembled. The feeds and
the open data are recorded by that digest alone, and kept where it is unchanged.

Contexts are plain values (dicts, lists, strings, Markup, numbers), digested as framing/fingerprint.py
writes them.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

from framing.source.fingerprint import pickled
from framing.incremental.memo import MISSING, file_state

RECORD_FILE = "pages.json"
NOT_INDEXED = "-"  # the search digest of a page the indexer does not read
UNKNOWN = ""  # the search digest of a page built without the search index

# Digests of a page's input, its bytes, its search text (or NOT_INDEXED, UNKNOWN) and what it reads
# (framing/dependencies.py; NO_READS for a page known only by its input), and the identity of the file
# last found to hold those bytes ("size:mtime:inode"; NOT_CHECKED for a page rendered by this build).
Entry = tuple[str, str, str, str, str]
NO_READS = ""
NOT_CHECKED = ""


def _identity(path: str) -> str:
    """The file's state as the load memo takes it (size, modification time, inode), as recorded; NOT_CHECKED if gone."""
    state = file_state(path)
    return NOT_CHECKED if state == MISSING else ":".join(map(str, state))


def templates_digest(templates: Path) -> str:
    """A digest of every file under templates/ (names and bytes): any of them may shape any page."""
    digest = hashlib.sha256()
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class RenderedPages:
    """What the previous build rendered, read when made; what this build rendered, written by save().

    salt: digests of the generator and the templates (a record made under others is not read).
    site: the folder the previous build's pages are in (the output folder, until the new one is swapped in).
    """

    def __init__(self, folder: Path, site: Path, salt: str) -> None:
        self.folder, self.site, self.salt = folder, site, salt
        self._site = f"{site}{os.sep}"
        self.known = self._read()
        self.made: dict[str, Entry] = {}

    def _read(self) -> dict[str, Entry]:
        try:
            data = json.loads((self.folder / RECORD_FILE).read_text(encoding="utf-8"))
            if data.get("salt") != self.salt:
                return {}
            known = {}
            for path, entry in data["pages"].items():
                input_digest, output_digest, search_digest, reads, identity = entry
                known[path] = (str(input_digest), str(output_digest), str(search_digest), str(reads), str(identity))
            return known
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # missing or unreadable: every page is rendered

    def input_digest(self, template: str, context: dict) -> str | None:
        """The digest of what rendering a page reads; None for a context that is not plain values."""
        try:
            written = pickled(context)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            return None  # rendered every time
        digest = hashlib.sha256(f"{self.salt}\0{template}\0".encode("utf-8"))
        digest.update(written)
        return digest.hexdigest()

    def reads_digest(self, reads: bytes) -> str:
        """The recorded form of a digest of what a page reads (framing/dependencies.py), salted like input digests."""
        return hashlib.sha256(f"{self.salt}\0reads\0".encode("utf-8") + reads).hexdigest()

    def unchanged(self, path: str, reads: str) -> Entry | None:
        """The record of what the previous build rendered for this page from what it reads now, if the
        site still holds those bytes: the page needs neither assembling nor rendering."""
        entry = self.known.get(path)
        if entry is None or entry[3] == NO_READS or entry[3] != reads:
            return None
        identity = _identity(self._site + path)
        if identity == NOT_CHECKED:
            return None
        if identity == entry[4]:
            return entry  # the very file found to hold these bytes before, untouched since
        return entry[:4] + (identity,) if self._recorded_bytes(path, entry) is not None else None

    def previous(self, path: str, input_digest: str | None) -> tuple[Entry, bytes] | None:
        """The record and bytes of what the previous build rendered for this page from the same input,
        if the site still holds them."""
        entry = self.known.get(path)
        if input_digest is None or entry is None or entry[0] != input_digest:
            return None
        identity = _identity(self._site + path)  # taken before reading: a later change shows next time
        data = self._recorded_bytes(path, entry)
        return (entry[:4] + (identity,), data) if data is not None else None

    def _recorded_bytes(self, path: str, entry: Entry) -> bytes | None:
        """The previous site's file for path, if it holds the bytes the entry records."""
        try:
            with open(self._site + path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == entry[1] else None

    def search_digest(self, path: str) -> str | None:
        """The digest of the text the search indexer read of this page in the previous build (NOT_INDEXED,
        UNKNOWN), or None where that build made no such page."""
        entry = self.known.get(path)
        return entry[2] if entry else None

    def note(self, path: str, entry: Entry) -> None:
        """Record a page of this build."""
        self.made[path] = entry

    def record(self) -> bytes:
        """This build's record, for save() to write beside the rest of the cache."""
        return json.dumps({"salt": self.salt, "pages": self.made}, sort_keys=True, separators=(",", ":")).encode("utf-8")
