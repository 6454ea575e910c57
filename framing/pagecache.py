"""The pages an earlier build rendered, so that a rebuild renders again only those whose input changed.

A page's input is everything its rendering reads: the generator (its sources and library versions),
every file under templates/, the template's name and the page's assembled context. A digest of all
of them is recorded for each page with a digest of the bytes it rendered to and one of the text the
search indexer read of it. Where the digest of a page's input is the one recorded, the next build
takes the page from the previous site instead of rendering it (a hard link into the new tree), once
it has checked that the file there still holds the recorded bytes; and the search indexer makes the
page's text again only if the page's shard is not in the cache. So a changed input can never be
missed, and a site edited by hand or left half-copied is rendered again, never trusted.

Finding a page's input digest means assembling the page. An article page (nine in ten pages of a
large archive) also records a digest of the records it reads (framing/dependencies.py): where that
is unchanged, the page is not even assembled.

Contexts are plain values (dicts, lists, strings, Markup, numbers), digested as pickle writes them:
it tells their types apart (a str and a Markup with the same text render differently) and keeps the
order of every dict. Its memo is off, so that only values count, not which of them happen to be one
object (a memoised conversion is in one build and not in the next).
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from pathlib import Path

RECORD_FILE = "pages.json"
NOT_INDEXED = "-"  # the search digest of a page the indexer does not read
UNKNOWN = ""  # the search digest of a page built without the search index

# Digests of a page's input, its bytes, its search text (or NOT_INDEXED, UNKNOWN), and what it reads
# (framing/dependencies.py; NO_READS for a page known only by its input).
Entry = tuple[str, str, str, str]
NO_READS = ""
_PROTOCOL = 5  # fixed, so that one Python gives the same digests from one build to the next


def pickled(value: object) -> bytes:
    """value as pickle writes it without memo: the same values give the same bytes, whichever objects
    hold them (a memoised conversion is one object in one build and two in the next). Raises
    TypeError, pickle.PicklingError or the like for what pickle cannot write."""
    written = io.BytesIO()
    pickler = pickle.Pickler(written, protocol=_PROTOCOL)
    pickler.fast = True  # no memo: the values are trees, never loops
    pickler.dump(value)
    return written.getvalue()


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
        self.known = self._read()
        self.made: dict[str, Entry] = {}

    def _read(self) -> dict[str, Entry]:
        try:
            data = json.loads((self.folder / RECORD_FILE).read_text(encoding="utf-8"))
            if data.get("salt") != self.salt:
                return {}
            known = {}
            for path, entry in data["pages"].items():
                input_digest, output_digest, search_digest, reads = entry
                known[path] = (str(input_digest), str(output_digest), str(search_digest), str(reads))
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
        if entry is None or entry[3] == NO_READS or entry[3] != reads or self._recorded_bytes(path, entry) is None:
            return None
        return entry

    def previous(self, path: str, input_digest: str | None) -> tuple[Entry, bytes] | None:
        """The record and bytes of what the previous build rendered for this page from the same input,
        if the site still holds them."""
        entry = self.known.get(path)
        if input_digest is None or entry is None or entry[0] != input_digest:
            return None
        data = self._recorded_bytes(path, entry)
        return (entry, data) if data is not None else None

    def _recorded_bytes(self, path: str, entry: Entry) -> bytes | None:
        """The previous site's file for path, if it holds the bytes the entry records."""
        try:
            data = (self.site / path).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == entry[1] else None

    def note(self, path: str, entry: Entry) -> None:
        """Record a page of this build."""
        self.made[path] = entry

    def record(self) -> bytes:
        """This build's record, for save() to write beside the rest of the cache."""
        return json.dumps({"salt": self.salt, "pages": self.made}, sort_keys=True, separators=(",", ":")).encode("utf-8")
